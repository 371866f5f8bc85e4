"""Before each meeting, initiators of activities without news since the meeting before are asked how they are
doing ("Hoe staat A-3 ervoor?"): one DM per person and meeting, each activity asked once (a unique record)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import activities
from store.meeting_agenda import previous_meeting_start
from store.meetings import local_today, next_meeting, wall_clock
from store.models import Activity, Circle, Meeting, ProgressRequest
from store.nudges import is_send_time
from store.workdays import working_days_before

ASKED = ("gepland", "lopend", "geblokkeerd")


def due(
    session: Session, *, circle: Circle, now: datetime, user_id: str | None = None
) -> tuple[Meeting | None, dict[str, list[Activity]]]:
    """The coming meeting and, by initiator, the activities to ask about at `now` (from the circle's number of
    working days before it, on working days from the posting time)."""
    if not is_send_time(circle, now):
        return None, {}
    meeting = next_meeting(session, circle=circle, now=now)
    if meeting is None:
        return None, {}
    if local_today(circle, now) < working_days_before(wall_clock(meeting).date(), circle.progress_lead_days):
        return meeting, {}
    since = previous_meeting_start(session, meeting=meeting)
    asked = set(session.scalars(select(ProgressRequest.activity_id).where(ProgressRequest.meeting_id == meeting.id)))
    found: dict[str, list[Activity]] = {}
    for activity in activities.active(session, circle=circle):
        if activity.status not in ASKED or activity.id in asked:
            continue
        if user_id is not None and activity.initiator_id != user_id:
            continue
        latest = activities.latest_update(activity)
        if latest is not None and (since is None or latest.created_at > since):
            continue  # there is news since the meeting before
        found.setdefault(activity.initiator_id, []).append(activity)
    return meeting, found


def message_key(meeting: Meeting, user_id: str) -> str:
    return f"progress-ask:{meeting.id}:{user_id}"


def record(session: Session, *, meeting: Meeting, user_id: str, asked: list[Activity], outbox_key: str) -> None:
    for activity in asked:
        session.add(
            ProgressRequest(meeting_id=meeting.id, activity_id=activity.id, user_id=user_id, outbox_key=outbox_key)
        )
    session.flush()
