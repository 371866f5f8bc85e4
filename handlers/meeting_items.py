"""After the meeting: a coordinator settles items from the agenda post (discussed, resolved with outcome, or a
klaagpaal item turned into an activity); the post shows it, and whoever filed the item hears it by DM."""

from __future__ import annotations

from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import meeting_forms as forms
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import meeting as messages
from bot.parsing import is_whole_number
from bot.services import Services
from bot.slacktext import clean
from handlers.common import ActionInput, Origin, confirm
from store import circles, meeting_agenda, meetings
from store.choices import activity_choices
from store.errors import NotFound, UserError
from store.meeting_agenda import Settled
from store.models import Circle, HelpRequest, KlaagpaalItem, Meeting, MeetingTopic


class ItemOrigin(Origin):
    """Where the item modal came from: the agenda post, its meeting, and the item (`klaagpaal:12`)."""

    meeting_id: int
    ref: str
    outcome: str | None = None  # typed in the first modal, when the item becomes an activity in the second


def register(app: App) -> None:
    app.action("meeting_item")(guarded(chosen))
    app.view("meeting_item")(guarded(item_submitted))
    app.view("meeting_activity")(guarded(activity_submitted))


def chosen(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    meeting_id, _, ref = action.value.partition(":")
    if not is_whole_number(meeting_id):
        raise UserError("common.unexpected")
    with services.transaction() as session:
        meeting, circle = _meeting(session, int(meeting_id))
        action.reach(session, circle)
        circles.require_coordinator(session, circle=circle, user_id=action.user_id)
        kind, found = meeting_agenda.item(session, circle=circle, ref=ref)
        metadata = action.origin(meeting_id=meeting.id, ref=ref)
        view = forms.item_modal(kind, label(kind, found, locale), meeting_agenda.item_text(found), locale, metadata)
    client.views_open(trigger_id=action.trigger_id, view=view)


def item_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = ItemOrigin.of(view), state_values(view), body["user"]["id"]
    decision = values.get("decision") or ""
    outcome = clean(values.get("outcome") or "", field="outcome", limit=1000, required=False) or None
    if decision == "activiteit":
        carried = origin.model_copy(update={"outcome": outcome})
        ack(response_action="update", view=_activity_view(services, carried, user))
        return
    answer = settle(services, origin, user, decision, outcome)
    ack()
    confirm(services, origin.channel_id, user, answer)


def activity_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = ItemOrigin.of(view), state_values(view), body["user"]["id"]
    title = clean(values.get("title") or "", field="title", limit=200)
    theme = values.get("theme")
    if not theme:
        raise UserError("meeting.theme_missing", field="theme")
    initiator = values.get("initiator")
    if not initiator:
        raise UserError("meeting.initiator_missing", field="initiator")
    deadline = date.fromisoformat(values["deadline"]) if values.get("deadline") else None
    answer = to_activity(services, origin, user, title, theme, initiator, deadline)
    ack()
    confirm(services, origin.channel_id, user, answer)


def label(kind: str, found: MeetingTopic | KlaagpaalItem | HelpRequest, locale: str) -> str:
    """How an item is named in answers: K-3, H-1, or the point a topic belongs to."""
    if kind == "topic":
        return t(f"meeting.point_name_{found.point}", locale)
    if kind == "activity":
        return f"A-{found.number}"
    return f"{'K' if kind == 'klaagpaal' else 'H'}-{found.number}"


def _meeting(session: Session, meeting_id: int) -> tuple[Meeting, Circle]:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.gone")
    return meeting, session.get(Circle, meeting.circle_id)


def settle(services: Services, origin: ItemOrigin, user: str, decision: str, outcome: str | None) -> str:
    locale, now = origin.locale(services, user), services.now()
    with services.transaction() as session:
        meeting, circle = _meeting(session, origin.meeting_id)
        origin.reach(session, circle, user)
        settled = meeting_agenda.settle(
            session,
            circle=circle,
            user_id=user,
            ref=origin.ref,
            decision=decision,
            outcome=outcome,
            now=now,
            meeting=meeting,
        )
        today = meetings.local_today(circle, now)
        messages.settled(session, circle=circle, meeting=meeting, settled=settled, user_id=user, today=today)
        name = label(settled.kind, settled.item, locale)
    return t(f"meeting.done_{decision}", locale, label=name)


def _activity_view(services: Services, origin: ItemOrigin, user: str) -> dict:
    locale = origin.locale(services, user)
    with services.transaction() as session:
        _, circle = _meeting(session, origin.meeting_id)
        origin.reach(session, circle, user)
        circles.require_coordinator(session, circle=circle, user_id=user)
        kind, found = meeting_agenda.item(session, circle=circle, ref=origin.ref)
        if kind != "klaagpaal":
            raise UserError("meeting.decision_missing", field="decision")
        choices = activity_choices(session, circle_id=circle.id)
        return forms.activity_modal(found, locale, origin.model_dump(), **choices)


def to_activity(
    services: Services, origin: ItemOrigin, user: str, title: str, theme: str, initiator: str, deadline: date | None
) -> str:
    locale, now = origin.locale(services, user), services.now()
    with services.transaction() as session:
        meeting, circle = _meeting(session, origin.meeting_id)
        origin.reach(session, circle, user)
        if deadline is not None and deadline < meetings.local_today(circle, now):
            raise UserError("meeting.deadline_past", field="deadline")
        kind, found = meeting_agenda.item(session, circle=circle, ref=origin.ref)
        if kind != "klaagpaal":
            raise UserError("common.unexpected")
        activity = meeting_agenda.to_activity(
            session, circle=circle, user_id=user, item=found, title=title, theme=theme, initiator_id=initiator,
            deadline=deadline, now=now, meeting=meeting, outcome=origin.outcome,
        )  # fmt: skip
        settled = Settled("klaagpaal", found, "activiteit", found.outcome, meeting_agenda.filer(kind, found))
        messages.settled(
            session,
            circle=circle,
            meeting=meeting,
            settled=settled,
            user_id=user,
            today=meetings.local_today(circle, now),
            activity=activity,
        )
        return t("meeting.done_activiteit", locale, label=f"K-{found.number}", activity=activity.number)
