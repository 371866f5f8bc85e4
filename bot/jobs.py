"""The scheduled work: meeting agendas and records, deadline nudges, each derived from the database and recorded once;
and forgetting what is kept only briefly.

Every unit (one agenda, one person's nudges) is its own transaction that stores what it decided together with the
outbox message announcing it, so a second process, a repeated tick or a crash never sends anything twice.

What is due is found with a few indexed queries over all circles at once (a meeting's agenda time, an activity's next
nudge moment, a series' next occurrence), so a minute with nothing due costs the same for one circle or a thousand.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import canvas, outbox
from bot.messages import meeting as meeting_messages
from bot.messages import meeting_record as record_messages
from bot.messages import nudge as nudge_messages
from bot.messages import progress_requests as ask_messages
from bot.services import Services
from store import actions, klaagpaal, meeting_agenda, meeting_record, meetings, nudges, people, progress_requests
from store.models import Circle

log = logging.getLogger(__name__)
REMINDER = timedelta(hours=1)


def post_meeting_agendas(services: Services, now: datetime) -> None:
    """Post each agenda that is due and not out yet, as long as its meeting has not started."""
    with services.transaction() as session:
        meetings.extend_series(session, now=now)
    with services.transaction() as session:
        due = meetings.due_agendas(session, now=now)
    for circle_id, meeting_id in due:
        with services.transaction() as session:
            circle = session.get(Circle, circle_id)
            if circle.active:  # a paused workspace gets its agenda when it is back, if the meeting is still ahead
                _post_agenda(session, circle, meeting_id, now)


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
        for circle_id in actions.circles_with_dated_actions(session):  # action nudges share the person's DM
            for user_id in actions.due_nudges(session, circle=session.get(Circle, circle_id), now=now):
                people.setdefault((circle_id, user_id), [])
    for (circle_id, user_id), activity_ids in sorted(people.items()):
        with services.transaction() as session:
            circle = session.get(Circle, circle_id)
            if circle.active:  # a paused workspace's nudges wait until it is back
                _nudge(session, circle, user_id, activity_ids, now)


def _nudge(session: Session, circle: Circle, user_id: str, activity_ids: list[int], now: datetime) -> None:
    if people.is_gone(session, user_id):  # left the workspace: nobody to nudge (their actions wait unowned)
        return
    key = nudges.message_key(circle, user_id, now)
    if not nudges.claim(session, key=key):  # today's message is out: anything new waits for the next working day
        nudges.wait_for_next_day(session, circle=circle, activity_ids=activity_ids, now=now)
        return
    due = nudges.due(session, circle=circle, now=now, user_id=user_id, activity_ids=activity_ids).get(user_id, [])
    owed = actions.due_nudges(session, circle=circle, now=now, user_id=user_id).get(user_id, [])
    sent, left_over = due[: nudges.MAX_PER_MESSAGE], due[nudges.MAX_PER_MESSAGE :]
    owed = owed[: actions.MAX_PER_MESSAGE]  # the rest comes the next working day
    if sent or owed:
        try:
            with session.begin_nested():
                nudges.record(session, user_id=user_id, nudges=sent, outbox_key=key)
                actions.record_nudges(session, user_id=user_id, nudges=owed, outbox_key=key)
                nudge_messages.send(
                    session, circle=circle, user_id=user_id, key=key, due=sent, left_over=len(left_over), owed=owed
                )
        except IntegrityError:  # decided by another process in the same instant: its message stands
            log.info("Nudges for %s in circle %s were decided elsewhere", user_id, circle.id)
            return
    waiting = {nudge.activity.id for nudge in left_over}
    nudges.wait_for_next_day(session, circle=circle, activity_ids=list(waiting), now=now)
    nudges.plan(session, circle=circle, activity_ids=[i for i in activity_ids if i not in waiting], now=now)


def post_meeting_records(services: Services, now: datetime) -> None:
    """At a meeting's end (start plus two hours) it closes and its record goes out, unless a coordinator closed it
    earlier from the post."""
    with services.reading() as session:
        due = meeting_record.due_everywhere(session, now=now)
    for circle_id, meeting_id in due:
        with services.transaction() as session:
            circle = session.get(Circle, circle_id)
            meeting = meeting_record.close(session, circle=circle, meeting_id=meeting_id, user_id=None, now=now)
            if meeting is not None:
                today = meetings.local_today(circle, now)
                record_messages.post_record(session, circle=circle, meeting=meeting, today=today)


def remind_meetings(services: Services, now: datetime) -> None:
    """A short word in the channel an hour before each meeting (not after it started), once per meeting."""
    with services.transaction() as session:
        coming = meetings.upcoming_within(session, now=now, within=REMINDER)
        sent = meeting_messages.reminded(session, meeting_ids=[meeting.id for _, meeting in coming])
        for circle, meeting in coming:
            if meeting.id not in sent and circle.active:  # a paused workspace: a reminder after the fact says nothing
                meeting_messages.remind(session, circle=circle, meeting=meeting)


def ask_for_progress(services: Services, now: datetime) -> None:
    """Before each meeting (the circle's number of working days), one DM per initiator asking how each activity
    without news since the meeting before is doing; each activity asked once per meeting."""
    with services.transaction() as session:
        people = progress_requests.people_to_ask(session, now=now)
    for circle_id, user_id in people:
        with services.transaction() as session:
            circle = session.get(Circle, circle_id)
            if circle.active:  # a paused workspace's people are asked before its next meeting, if it is back
                _ask(session, circle, user_id, now)


def _ask(session: Session, circle: Circle, user_id: str, now: datetime) -> None:
    meeting, due = progress_requests.due(session, circle=circle, now=now, user_id=user_id)
    asked = due.get(user_id, [])
    if meeting is None or not asked:
        return
    key = progress_requests.message_key(meeting, user_id)
    if not nudges.claim(session, key=key):  # asked already for this meeting: later activities wait for the next
        return
    try:
        with session.begin_nested():
            progress_requests.record(session, meeting=meeting, user_id=user_id, asked=asked, outbox_key=key)
            ask_messages.ask(session, circle=circle, meeting=meeting, user_id=user_id, key=key, asked=asked)
    except IntegrityError:
        log.info("Progress of %s in circle %s was asked elsewhere", user_id, circle.id)


def sync_canvases(services: Services, now: datetime) -> None:
    """Each circle's canvas shows its last adopted version."""
    canvas.sync(services)


def forget_unanswered_questions(services: Services, now: datetime) -> None:
    """A typed klaagpaal item waiting for "anonymous or with your name?" is kept only briefly, answered or not."""
    with services.transaction() as session:
        klaagpaal.forget_unanswered(session, now=now)


def prune_outbox(services: Services, now: datetime) -> None:
    """Sent messages are kept for KENNISKRING_OUTBOX_RETENTION_DAYS, then forgotten (see bot.outbox.prune)."""
    days = services.settings.outbox_retention_days
    if days == 0:
        return
    with services.transaction() as session:
        pruned = outbox.prune(session, before=now - timedelta(days=days))
    if pruned:
        log.info("Forgot %s messages sent more than %s days ago", pruned, days)


# The scheduled work, in the order it runs; each must be idempotent for a given moment.
JOBS = (
    post_meeting_records,
    post_meeting_agendas,
    remind_meetings,
    ask_for_progress,
    send_nudges,
    sync_canvases,
    forget_unanswered_questions,
    prune_outbox,
)
