"""The scheduled work: meeting agendas and deadline nudges, each derived from the database and recorded once.

Every unit (one agenda, one person's nudges) is its own transaction that stores what it decided together with the
outbox message announcing it, so a second process, a repeated tick or a crash never sends anything twice.

What is due is found with a few indexed queries over all circles at once (a meeting's agenda time, an activity's next
nudge moment, a series' next occurrence), so a minute with nothing due costs the same for one circle or a thousand.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.messages import meeting as meeting_messages
from bot.messages import nudge as nudge_messages
from bot.services import Services
from store import meeting_agenda, meetings, nudges
from store.models import Circle

log = logging.getLogger(__name__)


def post_meeting_agendas(services: Services, now: datetime) -> None:
    """Post each agenda that is due and not out yet, as long as its meeting has not started."""
    with services.transaction() as session:
        meetings.extend_series(session, now=now)
    with services.transaction() as session:
        due = meetings.due_agendas(session, now=now)
    for circle_id, meeting_id in due:
        with services.transaction() as session:
            _post_agenda(session, session.get(Circle, circle_id), meeting_id, now)


def _post_agenda(session: Session, circle: Circle, meeting_id: int, now: datetime) -> None:
    meeting = meetings.lock(session, meeting_id=meeting_id)  # a second process waits here, then sees it posted
    if meeting is None or meeting.agenda is not None or meeting.status != "gepland" or meeting.starts_at <= now:
        return
    today = meetings.local_today(circle, now)
    agenda = meeting_agenda.build(session, circle=circle, meeting=meeting, today=today)
    meeting_messages.post_agenda(session, circle=circle, meeting=meeting, agenda=agenda)
    meeting_agenda.mark_posted(meeting, agenda)
    log.info("Agenda of meeting %s queued for %s", meeting.id, circle.channel_id)


def send_nudges(services: Services, now: datetime) -> None:
    """On working days from the posting time: one DM per person bundling every nudge due for them."""
    planned: int | None = 0
    while planned is not None:  # activities new or changed since the last tick get their moment first
        with services.transaction() as session:
            planned = nudges.plan_unplanned(session, now=now, after_id=planned)
    with services.reading() as session:
        people = nudges.due_people(session, now=now)
    for (circle_id, user_id), activity_ids in sorted(people.items()):
        with services.transaction() as session:
            _nudge(session, session.get(Circle, circle_id), user_id, activity_ids, now)


def _nudge(session: Session, circle: Circle, user_id: str, activity_ids: list[int], now: datetime) -> None:
    key = nudges.message_key(circle, user_id, now)
    if not nudges.claim(session, key=key):  # today's message is out: anything new waits for the next working day
        nudges.wait_for_next_day(session, circle=circle, activity_ids=activity_ids, now=now)
        return
    due = nudges.due(session, circle=circle, now=now, user_id=user_id, activity_ids=activity_ids).get(user_id, [])
    sent, left_over = due[: nudges.MAX_PER_MESSAGE], due[nudges.MAX_PER_MESSAGE :]
    if sent:
        try:
            with session.begin_nested():
                nudges.record(session, user_id=user_id, nudges=sent, outbox_key=key)
                nudge_messages.send(
                    session, circle=circle, user_id=user_id, key=key, due=sent, left_over=len(left_over)
                )
        except IntegrityError:  # decided by another process in the same instant: its message stands
            log.info("Nudges for %s in circle %s were decided elsewhere", user_id, circle.id)
            return
    waiting = {nudge.activity.id for nudge in left_over}
    nudges.wait_for_next_day(session, circle=circle, activity_ids=list(waiting), now=now)
    nudges.plan(session, circle=circle, activity_ids=[i for i in activity_ids if i not in waiting], now=now)


# The scheduled work, in the order it runs; each must be idempotent for a given moment.
JOBS = (post_meeting_agendas, send_nudges)
