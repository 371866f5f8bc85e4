"""Point 3 settled per activity from the agenda post, who is present, closing the meeting, and its record
(`/kenniskring verslag [datum]`)."""

from __future__ import annotations

from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import export, record_document, words
from bot.blocks.common import state_values
from bot.blocks.meeting import when
from bot.blocks.meeting_record import record_message
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import actions as action_messages
from bot.messages import meeting as messages
from bot.messages import meeting_record as record_messages
from bot.parsing import is_whole_number, parse_date
from bot.services import Services
from bot.slacktext import clean, escape
from handlers import calendar
from handlers.common import ActionInput, CommandInput, confirm
from handlers.meeting_items import ItemOrigin, _meeting
from store import activities, circles, meeting_agenda, meeting_record, meetings
from store.errors import UserError
from store.meeting_agenda import Settled
from store.models import Circle


def register(app: App) -> None:
    app.action("meeting_record")(guarded(menu))
    app.event("reaction_added")(guarded(reacted))
    app.view("meeting_activity_item")(guarded(activity_settled))


def menu(ack: Ack, body: dict, services: Services) -> None:
    ack()
    chosen(services, ActionInput.parse(body))


def reacted(event: dict, services: Services) -> None:
    item = event.get("item") or {}
    if item.get("type") == "message" and event.get("user"):
        present_by_reaction(services, item.get("channel", ""), item.get("ts", ""), event["user"])


def activity_settled(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = ItemOrigin.of(view), state_values(view), body["user"]["id"]
    answer = settle_activity(services, origin, user, values)
    ack()
    confirm(services, origin.channel_id, user, answer)


def chosen(services: Services, action: ActionInput) -> None:
    """`present:7` marks the one who chose it present; `close:7` (coordinators) closes meeting 7 and sends its
    record."""
    what, _, meeting_id = action.value.partition(":")
    if what not in ("present", "close") or not is_whole_number(meeting_id):
        raise UserError("common.unexpected")
    locale, now = action.locale(services), services.now()
    with services.transaction() as session:
        meeting, circle = _meeting(session, int(meeting_id))
        action.reach(session, circle)
        if what == "present":
            new = meeting_record.mark_present(session, circle=circle, meeting=meeting, user_id=action.user_id)
            answer = t("verslag.present_noted" if new else "verslag.present_already", locale)
        else:
            closed = meeting_record.close(
                session, circle=circle, meeting_id=meeting.id, user_id=action.user_id, now=now
            )
            if closed is None:
                raise UserError("common.unexpected")
            record_messages.post_record(session, circle=circle, meeting=closed, today=meetings.local_today(circle, now))
            answer = t("verslag.closed", locale)
    confirm(services, action.channel_id, action.user_id, answer)


def present_by_reaction(services: Services, channel: str, ts: str, user: str) -> None:
    """Any reaction to an agenda post marks the one reacting present."""
    with services.transaction() as session:
        meeting = meeting_record.meeting_of_post(session, channel=channel, ts=ts)
        if meeting is None or meeting.closed_at is not None:
            return
        circle = session.get(Circle, meeting.circle_id)
        meeting_record.mark_present(session, circle=circle, meeting=meeting, user_id=user)


def verslag(services: Services, request: CommandInput) -> dict:
    """`/kenniskring verslag [datum]`: the record of that meeting, or of the last one closed."""
    text, locale = request.rest.strip(), request.locale(services)
    circle, record = _record(services, request, parse_date(text) if text else None)
    return record_message(circle, record, services.today(circle), locale)


def _record(services: Services, request: CommandInput, day: date | None) -> tuple[Circle, meeting_record.Record]:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        meeting = meeting_record.closed(session, circle=circle, day=day)
        return circle, meeting_record.build(session, circle=circle, meeting=meeting)


def _as_document(request: CommandInput) -> tuple[bool, str]:
    """`verslag [datum] docx`: whether the record goes out as a file, and the date typed before that word."""
    words_typed = request.rest.split()
    if words_typed and words.meaning(words.RECORD, words_typed[-1]) == "docx":
        return True, " ".join(words_typed[:-1])
    return False, request.rest.strip()


def send_document(client: WebClient, user_id: str, circle: Circle, record: meeting_record.Record, locale: str) -> None:
    """The record as a Word file in a direct message to the one who asked, in their language; names instead of ids
    where Slack knows them."""
    names = export.user_names(client, record_document.user_ids(record))
    content = record_document.docx(circle, record, locale, names.get)
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    name = record_document.file_name(circle, record, locale)
    comment = t("verslag.docx_comment", locale, circle=escape(circle.name), when=when(record.meeting, locale))
    client.files_upload_v2(channel=channel, content=content, filename=name, title=name, initial_comment=comment)


def settle_activity(services: Services, origin: ItemOrigin, user: str, values: dict) -> str:
    """Noted, an improvement action agreed, a decision taken or escalated; the post and the initiator hear it."""
    decision = values.get("decision") or ""
    text = clean(values.get("outcome") or "", field="outcome", limit=1000, required=False) or None
    deadline = date.fromisoformat(values["deadline"]) if values.get("deadline") else None
    locale, now = origin.locale(services, user), services.now()
    with services.transaction() as session:
        meeting, circle = _meeting(session, origin.meeting_id)
        origin.reach(session, circle, user)
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


def dispatch(services: Services, request: CommandInput, client: WebClient, ack: Ack) -> None:
    """`/kenniskring verslag [datum] [docx]` and `/kenniskring kalender`."""
    if words.meaning(words.KENNISKRING, request.head) != "record":
        calendar.send(services, request, client, ack)
        return
    document, text = _as_document(request)
    if document:
        locale = request.locale(services)
        circle, record = _record(services, request, parse_date(text) if text else None)  # no meeting: answered at once
        ack(t("verslag.docx_started", locale))
        send_document(client, request.user_id, circle, record, locale)
    else:
        ack(**verslag(services, request))
