"""Buttons on an activity, wherever they are pressed (channel, DM, App Home): progress, deadline, done, edit, status.

The circle is always looked up from the activity, never from the channel the button was in.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.agenda import status_label
from bot.blocks.agenda_forms import activity_modal, deadline_modal, status_modal
from bot.blocks.common import state_values
from bot.errors import Conflict, UserError
from bot.formatting import long_date
from bot.i18n import t
from bot.parsing import not_in_past, parse_date, parse_status
from bot.services import Services
from bot.slacktext import clean
from handlers.agenda import activity_form, detail_of
from handlers.common import ActionInput, Origin, confirm
from handlers.voortgang import progress_form
from store import activities as store
from store.activity_edits import edit
from store.models import Activity, Circle


class ActivityOrigin(Origin):
    """Where an activity's modal came from, and the version of the activity it showed."""

    version: int | None = None


def register(app: App, services: Services) -> None:
    locale = services.locale

    def load(session, activity_id: int, user_id: str) -> tuple[Activity, Circle]:  # noqa: ANN001
        activity = store.by_id(session, activity_id=activity_id)
        circle = session.get(Circle, activity.circle_id)
        store.require_change(session, circle=circle, activity=activity, user_id=user_id)
        return activity, circle

    def finish(origin_channel: str | None, user: str, team: str, answer: str, client: WebClient) -> None:
        """Tell the one who acted; when they acted on the App Home, show it there too."""
        confirm(services, origin_channel, user, answer)
        if origin_channel is None:
            from handlers.home import publish

            publish(services, client, user, team)

    @app.action("activity_view")
    def view_pressed(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            payload = detail_of(services, session, store.by_id(session, activity_id=action.item_id()))
        respond(**payload, response_type="ephemeral", replace_original=False)

    @app.action("activity_progress")
    def progress_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            activity, circle = load(session, action.item_id(), action.user_id)
            view = progress_form(services, session, circle, action.user_id, action.origin(), activity)
        client.views_open(trigger_id=action.trigger_id, view=view)

    @app.action("activity_deadline")
    def deadline_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            activity, _ = load(session, action.item_id(), action.user_id)
            if activity.status in store.FINISHED:
                raise Conflict("agenda.finished", number=activity.number, status=activity.status)
            view = deadline_modal(activity, locale, action.origin(item_id=activity.id))
        client.views_open(trigger_id=action.trigger_id, view=view)

    @app.view("activity_deadline")
    def deadline_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        origin, user = ActivityOrigin.of(view), body["user"]["id"]
        chosen = state_values(view).get("deadline")
        if not chosen:
            raise UserError("agenda.date_format", field="deadline", text="")
        deadline = not_in_past(parse_date(chosen, field="deadline"), services.today(), field="deadline")
        try:
            with services.transaction() as session:
                activity, circle = load(session, origin.item_id, user)
                store.move_deadline(
                    session,
                    circle=circle,
                    activity=activity,
                    user_id=user,
                    deadline=deadline,
                    expected_version=origin.version,
                    now=services.now(),
                )
                answer = t("agenda.deadline_moved", locale, number=activity.number, date=long_date(deadline, locale))
        except store.Stale as stale:
            ack(response_action="update", view=_fresh(services, stale, origin, deadline_modal))
            return
        ack()
        finish(origin.channel_id, user, origin.team_id, answer, client)

    @app.action("activity_done")
    def done_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)

        def complete() -> str:
            with services.transaction() as session:
                activity, circle = load(session, action.item_id(), action.user_id)
                store.set_status(
                    session,
                    circle=circle,
                    activity=activity,
                    user_id=action.user_id,
                    status="afgerond",
                    now=services.now(),
                )
                return t(
                    "agenda.status_changed", locale, number=activity.number, status=status_label("afgerond", locale)
                )

        answer = store.again_if_stale(complete)
        finish(action.channel_id, action.user_id, action.team_id, answer, client)

    @app.action("activity_edit")
    def edit_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            activity, _ = load(session, action.item_id(), action.user_id)
            view = activity_modal(locale, action.origin(item_id=activity.id), activity=activity)
        client.views_open(trigger_id=action.trigger_id, view=view)

    @app.view("activity_edit")
    def edit_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        origin, user, values = ActivityOrigin.of(view), body["user"]["id"], state_values(view)
        try:
            with services.transaction() as session:
                activity, circle = load(session, origin.item_id, user)
                fields = activity_form(values, today=services.today(), keep_deadline=activity.deadline)
                changed = edit(
                    session,
                    circle=circle,
                    activity=activity,
                    user_id=user,
                    expected_version=origin.version,
                    now=services.now(),
                    **fields,
                )
                answer = t("agenda.updated" if changed else "agenda.nothing_changed", locale, number=activity.number)
        except store.Stale as stale:
            ack(response_action="update", view=_fresh(services, stale, origin, _edit_modal))
            return
        ack()
        finish(origin.channel_id, user, origin.team_id, answer, client)

    @app.action("activity_status")
    def status_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            activity, _ = load(session, action.item_id(), action.user_id)
            if activity.status in store.FINISHED:
                raise Conflict("agenda.finished", number=activity.number, status=activity.status)
            view = _status_modal(activity, locale, action.origin(item_id=activity.id))
        client.views_open(trigger_id=action.trigger_id, view=view)

    @app.view("activity_status")
    def status_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        origin, user, values = ActivityOrigin.of(view), body["user"]["id"], state_values(view)
        if not values.get("status"):
            raise UserError("agenda.status_unknown", field="status", text="")
        status = parse_status(values["status"], field="status")
        reason = clean(values.get("reason") or "", field="reason", limit=1000, required=False) or None
        try:
            with services.transaction() as session:
                activity, circle = load(session, origin.item_id, user)
                store.set_status(
                    session,
                    circle=circle,
                    activity=activity,
                    user_id=user,
                    status=status,
                    reason=reason,
                    expected_version=origin.version,
                    now=services.now(),
                )
                answer = t("agenda.status_changed", locale, number=activity.number, status=status_label(status, locale))
        except store.Stale as stale:
            ack(response_action="update", view=_fresh(services, stale, origin, _status_modal))
            return
        ack()
        finish(origin.channel_id, user, origin.team_id, answer, client)


def _edit_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    return activity_modal(locale, metadata, activity=activity, notice=notice)


def _status_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    return status_modal(activity, store.TRANSITIONS[activity.status], locale, metadata, notice)


def _fresh(services: Services, stale: store.Stale, origin: ActivityOrigin, builder) -> dict:  # noqa: ANN001
    """Changed meanwhile: the same form again, filled with the new state and carrying the new version."""
    with services.transaction() as session:
        activity = store.by_id(session, activity_id=stale.activity_id)
        notice = t(stale.key, services.locale, **stale.params)
        metadata = {"team_id": origin.team_id, "channel_id": origin.channel_id, "item_id": activity.id}
        if activity.status in store.FINISHED and builder is not _edit_modal:
            return _edit_modal(activity, services.locale, metadata, notice)
        return builder(activity, services.locale, metadata, notice)
