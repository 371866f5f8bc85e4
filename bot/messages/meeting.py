"""Messages about meetings: the agenda post and its refreshes, news of the series in the channel, and the DM to
whoever filed an item the meeting settled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.common import message, section
from bot.blocks.meeting import agenda_post, rest_of_point_3, thread_more, when
from bot.blocks.meeting_forms import settled_dm
from bot.i18n import t
from bot.messages import hulpvraag, klaagpaal
from bot.slacktext import escape
from store import meeting_agenda
from store.meeting_agenda import Agenda, Settled
from store.models import Activity, Circle, HelpRequest, KlaagpaalItem, Meeting, Outbox


def agenda_key(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:agenda"


def agenda_subject(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def post_agenda(session: Session, *, circle: Circle, meeting: Meeting, agenda: Agenda) -> None:
    """The meeting's agenda with its five fixed points, in the circle's channel; what point 3 cannot hold follows
    in the post's thread."""
    post = delivery.enqueue(
        session,
        key=agenda_key(meeting.id),
        channel=circle.channel_id,
        payload=agenda_post(agenda, circle.locale),
        circle_id=circle.id,
        subject=agenda_subject(meeting.id),
    )
    rest = rest_of_point_3(agenda, circle.locale)
    if rest:
        reply(session, circle=circle, post=post, key=f"{agenda_key(meeting.id)}:more",
              payload=thread_more(agenda, rest, circle.locale))  # fmt: skip


def reply(session: Session, *, circle: Circle, post: Outbox, key: str, payload: dict) -> None:
    """A message in the thread of an earlier post (its ts is filled in when it is sent)."""
    delivery.enqueue(
        session, key=key, channel=circle.channel_id, payload={**payload, "_thread_of": post.id}, circle_id=circle.id
    )


def refresh_agenda(session: Session, *, circle: Circle, meeting: Meeting, today: date, version: str) -> None:
    """Show a change (a moved meeting, a settled item, a late topic) in the agenda post, once it is out."""
    if meeting.agenda is None:
        return
    agenda = meeting_agenda.build(session, circle=circle, meeting=meeting, today=today)
    payload = agenda_post(agenda, circle.locale)
    delivery.refresh(session, subject=agenda_subject(meeting.id), payload=payload, version=version)


def reminded(session: Session, *, meeting_ids: list[int]) -> set[int]:
    """Which of these meetings had their reminder queued already."""
    if not meeting_ids:
        return set()
    keys = {_reminder_key(meeting_id): meeting_id for meeting_id in meeting_ids}
    return {keys[key] for key in session.scalars(select(Outbox.key).where(Outbox.key.in_(list(keys))))}


def _reminder_key(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:reminder"


def remind(session: Session, *, circle: Circle, meeting: Meeting) -> None:
    """An hour before the meeting, in the channel; once, whatever ticks repeat."""
    where = t("meeting.where", circle.locale, location=escape(meeting.location)) if meeting.location else ""
    text = t(
        "kalender.reminder", circle.locale, circle=escape(circle.name), when=when(meeting, circle.locale), where=where
    )
    delivery.enqueue(
        session,
        key=_reminder_key(meeting.id),
        channel=circle.channel_id,
        payload=message([section(text)], text),
        circle_id=circle.id,
    )


def announce(
    session: Session, *, circle: Circle, meeting: Meeting, what: str, text: str, dropped: Sequence[Meeting] = ()
) -> None:
    """News about the meeting (planned, moved, cancelled) in the circle's channel, once per `what`; with the
    announced meetings the change drops, so nobody comes to a meeting that no longer takes place."""
    if dropped:
        lines = [t("meeting.dropped_line", circle.locale, when=when(old, circle.locale)) for old in dropped]
        text = "\n".join([text, t("meeting.dropped_title", circle.locale, count=len(dropped)), *lines])
    delivery.enqueue(
        session,
        key=f"meeting:{meeting.id}:{what}",
        channel=circle.channel_id,
        payload=message([section(text)], text),
        circle_id=circle.id,
    )


def settled(
    session: Session,
    *,
    circle: Circle,
    meeting: Meeting,
    settled: Settled,
    user_id: str,
    today: date,
    activity: Activity | None = None,
) -> None:
    """Show a decision in the agenda post and the item's own post, and tell its filer (never an anonymous one)."""
    ref = f"{settled.kind}:{settled.item.id}"
    refresh_agenda(session, circle=circle, meeting=meeting, today=today, version=f"{ref}:{settled.decision}")
    if isinstance(settled.item, KlaagpaalItem):
        klaagpaal.refresh(session, circle=circle, item=settled.item)
    elif isinstance(settled.item, HelpRequest):
        hulpvraag.refresh(session, circle=circle, request=settled.item)
    if settled.filer is not None and settled.filer != user_id:
        delivery.enqueue(
            session,
            key=f"meeting:{meeting.id}:{ref}:{settled.decision}",
            channel=settled.filer,
            payload=settled_dm(settled, circle.locale, activity),
            circle_id=circle.id,
        )
