"""Buttons on an activity, wherever they are pressed (channel, DM, App Home): progress, deadline, done, edit, status.

The circle is always looked up from the activity, never from the channel the button was in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session, object_session

from bot.blocks.activity_forms import activity_modal, deadline_modal, status_modal
from bot.blocks.common import state_values
from bot.blocks.execution_agenda import status_label
from bot.errors_handler import guarded, message_for
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


# Refuses a circle that cannot be reached from where the button was pressed or the form was submitted.
Reach = Callable[[Session, Circle], None]
# What a submitted form does to the activity it showed:
# `(session, activity, circle, user, version, locale) -> answer` in the language of the one who submitted it.
Change = Callable[[Session, Activity, Circle, str, int | None, str], str]


def register(app: App) -> None:
    app.action("activity_view")(guarded(view_pressed))
    app.action("activity_progress")(guarded(progress_pressed))
    app.action("activity_deadline")(guarded(deadline_pressed))
    app.view("activity_deadline")(guarded(deadline_submitted))
    app.action("activity_done")(guarded(done_pressed))
    app.action("activity_edit")(guarded(edit_pressed))
    app.view("activity_edit")(guarded(edit_submitted))
    app.action("activity_status")(guarded(status_pressed))
    app.view("activity_status")(guarded(status_submitted))


def load(session: Session, activity_id: int | None, user_id: str, reach: Reach) -> tuple[Activity, Circle]:
    """The activity and its circle, for someone who may change it, acting from where `reach` allows."""
    if activity_id is None:  # a form whose metadata names no activity: old or forged
        raise UserError("common.unexpected")
    activity = store.by_id(session, activity_id=activity_id)
    circle = session.get(Circle, activity.circle_id)
    reach(session, circle)
    store.require_change(session, circle=circle, activity=activity, user_id=user_id)
    return activity, circle


def finish(
    services: Services, origin_channel: str | None, user: str, team: str, answer: str, client: WebClient
) -> None:
    """Tell the one who acted; when they acted on the App Home, show it there too."""
    confirm(services, origin_channel, user, answer)
    if origin_channel is None:
        from handlers.home import publish

        publish(services, client, user, team)


def open_form(services: Services, body: dict, client: WebClient, build, *, unless_finished: bool = True) -> None:
    """A button that opens a form about one activity, for those who may change it."""
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        activity, _ = load(session, action.item_id(), action.user_id, action.reach)
        if unless_finished and activity.status in FINISHED:
            raise Conflict("agenda.finished", number=activity.number, status=activity.status)
        view = build(activity, locale, action.origin(item_id=activity.id))
    client.views_open(trigger_id=action.trigger_id, view=view)


def submit_versioned(
    services: Services, ack: Ack, body: dict, view: dict, client: WebClient, change: Change, form
) -> None:
    """Apply `change(session, activity, circle, user, version, locale) -> answer` to the version the form showed.

    Changed meanwhile: the same form again with the new state and a notice, never a silent lost update.
    """
    origin, user = ActivityOrigin.of(view), body["user"]["id"]
    locale = origin.locale(services, user)
    try:
        with services.transaction() as session:
            activity, circle = load(session, origin.item_id, user, partial(origin.reach, user_id=user))
            if origin.version is None:  # an old or forged form: which state it showed is unknown, so show it again
                raise store.Stale(activity.number, activity.id)
            answer = change(session, activity, circle, user, origin.version, locale)
    except store.Stale as stale:
        ack(response_action="update", view=_fresh(services, stale, origin, form, locale))
        return
    ack()
    finish(services, origin.channel_id, user, origin.team_id, answer, client)


def view_pressed(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        activity = store.by_id(session, activity_id=action.item_id())
        circle = session.get(Circle, activity.circle_id)
        action.reach(session, circle)
        payload = detail_of(services, session, circle, activity, locale)
    respond(**payload, response_type="ephemeral", replace_original=False)


def progress_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        activity, circle = load(session, action.item_id(), action.user_id, action.reach)
        view = progress_form(session, circle, action.user_id, action.origin(), activity, locale=locale)
    client.views_open(trigger_id=action.trigger_id, view=view)


def deadline_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    open_form(services, body, client, deadline_modal)


def deadline_submitted(ack: Ack, body: dict, view: dict, client: WebClient, services: Services) -> None:
    typed = state_values(view).get("deadline") or ""

    def move(session: Session, activity: Activity, circle: Circle, user: str, version: int | None, locale: str) -> str:
        today = services.today(circle)
        deadline = not_in_past(parse_date(typed, field="deadline", today=today), today, field="deadline")
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

    submit_versioned(services, ack, body, view, client, move, deadline_modal)


def done_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)

    def complete() -> str:
        with services.transaction() as session:
            activity, circle = load(session, action.item_id(), action.user_id, action.reach)
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
    finish(services, action.channel_id, action.user_id, action.team_id, answer, client)


def edit_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    open_form(services, body, client, _edit_modal, unless_finished=False)


def edit_submitted(ack: Ack, body: dict, view: dict, client: WebClient, services: Services) -> None:
    values = state_values(view)

    def update(
        session: Session, activity: Activity, circle: Circle, user: str, version: int | None, locale: str
    ) -> str:
        fields = activity_form(values, today=services.today(circle), keep_deadline=activity.deadline, locale=locale)
        changed = edit(
            session,
            circle=circle,
            activity=activity,
            user_id=user,
            expected_version=version,
            now=services.now(),
            **fields,
        )
        key = "agenda.updated" if changed else "agenda.nothing_changed"
        return t(key, locale, number=activity.number)

    submit_versioned(services, ack, body, view, client, update, _edit_modal)


def status_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    open_form(services, body, client, _status_modal)


def status_submitted(ack: Ack, body: dict, view: dict, client: WebClient, services: Services) -> None:
    values = state_values(view)
    if not values.get("status"):
        raise UserError("agenda.status_unknown", field="status", text="")
    status = parse_status(values["status"], field="status")
    reason = clean(values.get("reason") or "", field="reason", limit=1000, required=False) or None

    def change(
        session: Session, activity: Activity, circle: Circle, user: str, version: int | None, locale: str
    ) -> str:
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
        label = status_label(status, locale)
        return t("agenda.status_changed", locale, number=activity.number, status=label)

    submit_versioned(services, ack, body, view, client, change, _status_modal)


def _edit_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    choices = activity_choices(object_session(activity), circle_id=activity.circle_id)
    return activity_modal(locale, metadata, activity=activity, notice=notice, **choices)


def _status_modal(activity: Activity, locale: str, metadata: dict[str, Any], notice: str | None = None) -> dict:
    return status_modal(activity, store.TRANSITIONS[activity.status], locale, metadata, notice)


def _fresh(services: Services, stale: store.Stale, origin: ActivityOrigin, builder, locale: str) -> dict:
    """Changed meanwhile: the same form again, filled with the new state and carrying the new version."""
    with services.transaction() as session:
        activity = store.by_id(session, activity_id=stale.activity_id)
        notice = message_for(stale, locale)
        metadata = {"team_id": origin.team_id, "channel_id": origin.channel_id, "item_id": activity.id}
        if activity.status in FINISHED and builder is not _edit_modal:
            return _edit_modal(activity, locale, metadata, notice)
        return builder(activity, locale, metadata, notice)
