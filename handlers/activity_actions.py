"""Buttons on an activity, wherever they are pressed (channel, DM, App Home): progress, deadline, done, edit, status.

The circle is always looked up from the activity, never from the channel the button was in.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import object_session

from bot.blocks.activity_forms import activity_modal, deadline_modal, status_modal
from bot.blocks.common import state_values
from bot.blocks.execution_agenda import status_label
from bot.errors_handler import message_for
from bot.formatting import long_date
from bot.i18n import t
from bot.messages import activity as messages
from bot.parsing import not_in_past, parse_date, parse_status
from bot.services import Services
from bot.slacktext import clean
from handlers.agenda import activity_form, detail_of
from handlers.common import ActionInput, Origin, confirm
from handlers.voortgang import progress_form
from store import activities as store
from store.activity_edits import edit
from store.choices import activity_choices
from store.errors import Conflict, UserError
from store.models import Activity, Circle
from store.vocabulary import FINISHED


class ActivityOrigin(Origin):
    """Where an activity's modal came from, and the version of the activity it showed."""

    version: int | None = None


def register(app: App, services: Services) -> None:
    locale = services.locale

    def load(session, activity_id: int, user_id: str) -> tuple[Activity, Circle]:
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

    def open_form(body: dict, client: WebClient, build, *, unless_finished: bool = True) -> None:
        """A button that opens a form about one activity, for those who may change it."""
        action = ActionInput.parse(body)
        with services.transaction() as session:
            activity, _ = load(session, action.item_id(), action.user_id)
            if unless_finished and activity.status in FINISHED:
                raise Conflict("agenda.finished", number=activity.number, status=activity.status)
            view = build(activity, locale, action.origin(item_id=activity.id))
        client.views_open(trigger_id=action.trigger_id, view=view)

    def submit_versioned(ack: Ack, body: dict, view: dict, client: WebClient, change, form) -> None:
        """Apply `change(session, activity, circle) -> answer` to the version the form showed.

        Changed meanwhile: the same form again with the new state and a notice, never a silent lost update.
        """
        origin, user = ActivityOrigin.of(view), body["user"]["id"]
        try:
            with services.transaction() as session:
                activity, circle = load(session, origin.item_id, user)
                answer = change(session, activity, circle, user, origin.version)
        except store.Stale as stale:
            ack(response_action="update", view=_fresh(services, stale, origin, form))
            return
        ack()
        finish(origin.channel_id, user, origin.team_id, answer, client)

    @app.action("activity_deadline")
    def deadline_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_form(body, client, deadline_modal)

    @app.view("activity_deadline")
    def deadline_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        chosen = state_values(view).get("deadline")
        if not chosen:
            raise UserError("agenda.date_format", field="deadline", text="")
        deadline = not_in_past(parse_date(chosen, field="deadline"), services.today(), field="deadline")

        def move(session, activity: Activity, circle: Circle, user: str, version: int | None) -> str:
            store.move_deadline(
                session,
                circle=circle,
                activity=activity,
                user_id=user,
                deadline=deadline,
                expected_version=version,
                now=services.now(),
            )
            return t("agenda.deadline_moved", locale, number=activity.number, date=long_date(deadline, locale))

        submit_versioned(ack, body, view, client, move, deadline_modal)

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
                messages.after_change(session, circle=circle, activity=activity)
                label = status_label("afgerond", locale)
                return t("agenda.status_changed", locale, number=activity.number, status=label)

        answer = store.again_if_stale(complete)
        finish(action.channel_id, action.user_id, action.team_id, answer, client)

    @app.action("activity_edit")
    def edit_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_form(body, client, _edit_modal, unless_finished=False)

    @app.view("activity_edit")
    def edit_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = state_values(view)

        def update(session, activity: Activity, circle: Circle, user: str, version: int | None) -> str:
            fields = activity_form(values, today=services.today(), keep_deadline=activity.deadline)
            changed = edit(
                session,
                circle=circle,
                activity=activity,
                user_id=user,
                expected_version=version,
                now=services.now(),
                **fields,
            )
            return t("agenda.updated" if changed else "agenda.nothing_changed", locale, number=activity.number)

        submit_versioned(ack, body, view, client, update, _edit_modal)

    @app.action("activity_status")
    def status_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        open_form(body, client, _status_modal)

    @app.view("activity_status")
    def status_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = state_values(view)
        if not values.get("status"):
            raise UserError("agenda.status_unknown", field="status", text="")
        status = parse_status(values["status"], field="status")
        reason = clean(values.get("reason") or "", field="reason", limit=1000, required=False) or None

        def change(session, activity: Activity, circle: Circle, user: str, version: int | None) -> str:
            store.set_status(
                session,
                circle=circle,
                activity=activity,
                user_id=user,
                status=status,
                reason=reason,
                expected_version=version,
                now=services.now(),
            )
            messages.after_change(session, circle=circle, activity=activity)
            return t("agenda.status_changed", locale, number=activity.number, status=status_label(status, locale))

        submit_versioned(ack, body, view, client, change, _status_modal)


def _edit_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    choices = activity_choices(object_session(activity), circle_id=activity.circle_id)
    return activity_modal(locale, metadata, activity=activity, notice=notice, **choices)


def _status_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    return status_modal(activity, store.TRANSITIONS[activity.status], locale, metadata, notice)


def _fresh(services: Services, stale: store.Stale, origin: ActivityOrigin, builder) -> dict:
    """Changed meanwhile: the same form again, filled with the new state and carrying the new version."""
    with services.transaction() as session:
        activity = store.by_id(session, activity_id=stale.activity_id)
        notice = message_for(stale, services.locale)
        metadata = {"team_id": origin.team_id, "channel_id": origin.channel_id, "item_id": activity.id}
        if activity.status in FINISHED and builder is not _edit_modal:
            return _edit_modal(activity, services.locale, metadata, notice)
        return builder(activity, services.locale, metadata, notice)
