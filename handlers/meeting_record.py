"""Point 3 settled per activity from the agenda post, who is present, closing the meeting, and its record
(`/kenniskring verslag [datum]`)."""

from __future__ import annotations

from datetime import date

from slack_bolt import Ack, App

from bot.blocks.common import state_values
from bot.i18n import t
from bot.messages import actions as action_messages
from bot.messages import meeting as messages
from bot.services import Services
from bot.slacktext import clean
from handlers.common import confirm
from handlers.meeting_items import ItemOrigin, _meeting
from store import activities, meeting_agenda, meeting_record, meetings
from store.errors import UserError
from store.meeting_agenda import Settled


def register(app: App, services: Services) -> None:
    @app.view("meeting_activity_item")
    def activity_settled(ack: Ack, body: dict, view: dict) -> None:
        origin, values, user = ItemOrigin.of(view), state_values(view), body["user"]["id"]
        answer = settle_activity(services, origin, user, values)
        ack()
        confirm(services, origin.channel_id, user, answer)


def settle_activity(services: Services, origin: ItemOrigin, user: str, values: dict) -> str:
    """Noted, an improvement action agreed, a decision taken or escalated; the post and the initiator hear it."""
    decision = values.get("decision") or ""
    text = clean(values.get("outcome") or "", field="outcome", limit=1000, required=False) or None
    deadline = date.fromisoformat(values["deadline"]) if values.get("deadline") else None
    locale, now = services.locale, services.now()
    with services.transaction() as session:
        meeting, circle = _meeting(session, origin.meeting_id)
        kind, activity = meeting_agenda.item(session, circle=circle, ref=origin.ref)
        if kind != "activity":
            raise UserError("common.unexpected")
        if deadline is not None and deadline < meetings.local_today(circle, now):
            raise UserError("meeting.deadline_past", field="deadline")
        done = meeting_record.settle_activity(
            session, circle=circle, meeting=meeting, user_id=user, activity=activity, decision=decision, text=text,
            owner_id=values.get("owner"), deadline=deadline, now=now,
        )  # fmt: skip
        settled = Settled("activity", activity, decision, text, activity.initiator_id)
        today = meetings.local_today(circle, now)
        messages.settled(session, circle=circle, meeting=meeting, settled=settled, user_id=user, today=today)
        label = activities.label(activity)
        if done.action is not None:
            action_messages.filed(session, circle=circle, action=done.action, today=today)
            return t("meeting.done_verbeteractie", locale, label=label, number=done.action.number)
        return t(f"meeting.done_{decision}", locale, label=label)
