"""The fixed five-point agenda of a meeting: what is on it, what the posted agenda listed, and settling its items.

Points 1 and 2 hold topics that stay until discussed; point 3 the active activities (late ones first), at most a
hundred of them chosen in the database (late ones, then ones with news, then the rest) with a count of the others;
point 4 the open klaagpaal items; point 5 the open help requests (each at most a hundred, and a count). Once posted,
the agenda remembers which items it listed, so the post can later show what became of each while new items wait for
the next meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from store import actions as improvement
from store import activities as execution
from store import circles, hulpvraag, indicators, klaagpaal, meeting_decisions, members, versions
from store.errors import Conflict, NotFound, UserError
from store.meetings import lock, next_meeting, open_topics
from store.models import (
    Activity,
    Circle,
    HelpRequest,
    ImprovementAction,
    KlaagpaalItem,
    Meeting,
    MeetingDecision,
    MeetingTopic,
    ProgressUpdate,
)
from store.versions import VersionState
from store.vocabulary import FINISHED

REF = re.compile(r"^(topic|klaagpaal|hulpvraag|activity):(\d{1,12})$")
SHOWN_ACTIVITIES = 100  # point 3's most: as many as its menu can offer for settling
SHOWN_ITEMS = 100  # points 4 and 5 likewise; their lists answer the rest
DECISIONS = {
    "topic": ("besproken",),
    "klaagpaal": ("besproken", "opgelost", "activiteit"),
    "hulpvraag": ("besproken", "opgelost"),
    "activity": ("genoteerd", "verbeteractie", "besluit", "geescaleerd"),
}


@dataclass
class ActivityLine:
    activity: Activity
    latest: ProgressUpdate | None
    late: bool
    news: ProgressUpdate | None = None  # the latest update since the meeting before this one
    settled: MeetingDecision | None = None


@dataclass
class Agenda:
    """Everything one agenda shows, in order."""

    circle: Circle
    meeting: Meeting
    topics: dict[int, list[MeetingTopic]] = field(default_factory=dict)
    activities: list[ActivityLine] = field(default_factory=list)
    more_activities: int = 0  # active activities beyond the ones point 3 lists
    version: VersionState = field(default_factory=lambda: VersionState(0))
    klaagpaal: list[KlaagpaalItem] = field(default_factory=list)
    more_klaagpaal: int = 0  # open items beyond the ones point 4 lists
    requests: list[HelpRequest] = field(default_factory=list)
    more_requests: int = 0  # open requests beyond the ones point 5 lists
    actions: list[ImprovementAction] = field(default_factory=list)  # open actions, carried forward until done
    kring: dict | None = None  # the "De kring" note for coordinators: balance and rotation, each mentioned once
    effects: list[indicators.Total] = field(default_factory=list)  # the circle's effects so far, for point 3

    @property
    def posted(self) -> bool:
        return self.meeting.agenda is not None

    def snapshot(self) -> dict[str, object]:
        return {
            "topics_1": [topic.id for topic in self.topics.get(1, [])],
            "topics_2": [topic.id for topic in self.topics.get(2, [])],
            "activities": [line.activity.id for line in self.activities],
            "activities_more": self.more_activities,
            "klaagpaal": [item.id for item in self.klaagpaal],
            "klaagpaal_more": self.more_klaagpaal,
            "hulpvraag": [request.id for request in self.requests],
            "hulpvraag_more": self.more_requests,
            "actions": [action.id for action in self.actions],
            "version": self.version.number,
            "version_changed": self.version.changed,
            "kring": self.kring,
        }


def build(session: Session, *, circle: Circle, meeting: Meeting, today: date) -> Agenda:
    """The agenda as posted (when it is out) or as it would be posted now."""
    if meeting.agenda is not None:
        return _as_posted(session, circle=circle, meeting=meeting, today=today)
    topics = open_topics(session, circle=circle)
    since = previous_meeting_start(session, meeting=meeting)
    listed, more = _listed_activities(session, circle=circle, since=since, today=today)
    open_items = select(KlaagpaalItem).where(
        KlaagpaalItem.circle_id == circle.id, KlaagpaalItem.status.in_(klaagpaal.OPEN_STATES)
    )
    listed_items = list(session.scalars(open_items.order_by(KlaagpaalItem.number).limit(SHOWN_ITEMS)))
    open_requests = select(HelpRequest).where(HelpRequest.circle_id == circle.id, HelpRequest.status == "open")
    listed_requests = list(session.scalars(open_requests.order_by(HelpRequest.number).limit(SHOWN_ITEMS)))
    return Agenda(
        circle=circle,
        meeting=meeting,
        topics={point: [topic for topic in topics if topic.point == point] for point in (1, 2)},
        activities=_activity_lines(session, meeting, listed, today, since),
        more_activities=more,
        version=versions.state(session, circle=circle),
        klaagpaal=listed_items,
        more_klaagpaal=klaagpaal.count_open(session, circle=circle) - len(listed_items),
        requests=listed_requests,
        more_requests=hulpvraag.count_open(session, circle=circle) - len(listed_requests),
        actions=improvement.open_actions(session, circle=circle),
        kring=members.agenda_note(session, circle=circle, today=today),
        effects=indicators.overall(session, circle=circle),
    )


def _as_posted(session: Session, *, circle: Circle, meeting: Meeting, today: date) -> Agenda:
    listed = meeting.agenda or {}

    def rows(model: type, key: str, *options) -> list:
        ids = listed.get(key) or []
        statement = select(model).where(model.id.in_(ids)).options(*options)
        found = {row.id: row for row in session.scalars(statement)} if ids else {}
        return [found[item_id] for item_id in ids if item_id in found]

    activities = rows(Activity, "activities", selectinload(Activity.updates))

    return Agenda(
        circle=circle,
        meeting=meeting,
        topics={1: rows(MeetingTopic, "topics_1"), 2: rows(MeetingTopic, "topics_2")},
        activities=_activity_lines(
            session, meeting, activities, today, previous_meeting_start(session, meeting=meeting)
        ),
        more_activities=int(listed.get("activities_more") or 0),
        version=VersionState(int(listed.get("version") or 0), bool(listed.get("version_changed"))),
        klaagpaal=rows(KlaagpaalItem, "klaagpaal"),
        more_klaagpaal=int(listed.get("klaagpaal_more") or 0),
        requests=rows(HelpRequest, "hulpvraag"),
        more_requests=int(listed.get("hulpvraag_more") or 0),
        actions=rows(ImprovementAction, "actions"),
        kring=listed.get("kring"),
        effects=indicators.overall(session, circle=circle),
    )


def mark_posted(meeting: Meeting, agenda: Agenda) -> None:
    meeting.agenda = agenda.snapshot()


def add_to_posted(session: Session, *, circle: Circle, topic: MeetingTopic, now: datetime) -> Meeting | None:
    """Put a new topic on the coming meeting's agenda when that is already out; the meeting when it did."""
    coming = next_meeting(session, circle=circle, now=now)
    if coming is None or coming.agenda is None:
        return None
    coming = lock(session, meeting_id=coming.id)
    key = f"topics_{topic.point}"
    listed = dict(coming.agenda)
    listed[key] = [*listed.get(key, []), topic.id]
    coming.agenda = listed
    return coming


# -- the execution agenda, as point 3 shows it ---------------------------------------------------------------------


def _listed_activities(
    session: Session, *, circle: Circle, since: datetime | None, today: date
) -> tuple[list[Activity], int]:
    """The active activities point 3 lists, chosen in the database (late ones, then ones with news since `since`,
    then by deadline), with their updates; and how many others are active."""
    active = and_(Activity.circle_id == circle.id, Activity.status.not_in(FINISHED))
    news = select(ProgressUpdate.id).where(ProgressUpdate.activity_id == Activity.id)
    if since is not None:
        news = news.where(ProgressUpdate.created_at > since)
    late = and_(Activity.deadline.is_not(None), Activity.deadline < today)
    statement = (
        select(Activity)
        .where(active)
        .order_by(
            case((late, 0), else_=1),
            case((news.exists(), 0), else_=1),
            Activity.deadline.is_(None),
            Activity.deadline,
            Activity.number,
        )
        .limit(SHOWN_ACTIVITIES)
        .options(selectinload(Activity.updates))
    )
    listed = list(session.scalars(statement))
    return listed, (session.scalar(select(func.count()).select_from(Activity).where(active)) or 0) - len(listed)


def _activity_lines(
    session: Session, meeting: Meeting, activities: list[Activity], today: date, since: datetime | None
) -> list[ActivityLine]:
    settled = {d.ref: d for d in meeting_decisions.of(session, meeting=meeting)} if meeting.id else {}
    lines = []
    for a in activities:
        latest = execution.latest_update(a)
        news = latest if latest is not None and (since is None or latest.created_at > since) else None
        lines.append(ActivityLine(a, latest, execution.is_late(a, today), news, settled.get(f"activity:{a.id}")))
    return sorted(lines, key=lambda line: (not line.late, line.activity.deadline or date.max, line.activity.number))


def previous_meeting_start(session: Session, *, meeting: Meeting) -> datetime | None:
    """When the meeting before this one started: point 3 shows what is new since then."""
    if meeting.starts_at is None:
        return None
    statement = select(Meeting.starts_at).where(
        Meeting.circle_id == meeting.circle_id, Meeting.status == "gepland", Meeting.starts_at < meeting.starts_at
    )
    return session.scalars(statement.order_by(Meeting.starts_at.desc()).limit(1)).first()


# -- after the meeting: what became of each item -------------------------------------------------------------------


@dataclass
class Settled:
    """What was decided about one agenda item, and whom to tell (None for an anonymous klaagpaal item)."""

    kind: str
    item: MeetingTopic | KlaagpaalItem | HelpRequest
    decision: str
    outcome: str | None
    filer: str | None


def item(session: Session, *, circle: Circle, ref: str) -> tuple[str, MeetingTopic | KlaagpaalItem | HelpRequest]:
    """An agenda item by reference (`klaagpaal:12`), checked to belong to this circle."""
    match = REF.match(ref or "")
    if not match:
        raise UserError("common.unexpected")
    kind, item_id = match.group(1), int(match.group(2))
    model = {"topic": MeetingTopic, "klaagpaal": KlaagpaalItem, "hulpvraag": HelpRequest, "activity": Activity}[kind]
    found = session.get(model, item_id)
    if found is None or found.circle_id != circle.id:
        raise NotFound("meeting.item_gone")
    return kind, found


def settle(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    ref: str,
    decision: str,
    outcome: str | None,
    now: datetime,
    meeting: Meeting | None = None,
) -> Settled:
    """A coordinator records what became of an item: discussed (it leaves points 1 and 2) or resolved; with the
    meeting named, it becomes a line of that meeting's record."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    kind, found = item(session, circle=circle, ref=ref)
    if kind == "activity" or decision not in DECISIONS[kind] or decision == "activiteit":
        raise UserError("meeting.decision_missing", field="decision")
    if decision == "opgelost" and not outcome:
        raise UserError("meeting.outcome_required", field="outcome")
    if kind == "topic":
        if found.status != "open":
            raise Conflict("meeting.topic_already_discussed")
        found.status, found.outcome, found.discussed_at = "besproken", outcome, now
    elif decision == "opgelost" and kind == "klaagpaal":
        klaagpaal.resolve(session, circle=circle, item=found, user_id=user_id, outcome=outcome)
    elif decision == "opgelost":
        hulpvraag.resolve(session, circle=circle, request=found, user_id=user_id, outcome=outcome)
    else:
        _discussed(found)
    circles.record(
        session, circle=circle, actor_id=user_id, subject=subject(kind, found), action=f"agenda_{decision}",
        outcome=outcome,
    )  # fmt: skip
    if meeting is not None:
        noted(session, meeting=meeting, kind=kind, found=found, decision=decision, text=outcome, user_id=user_id)
    return Settled(kind, found, decision, outcome, filer(kind, found))


def noted(
    session: Session, *, meeting: Meeting, kind: str, found, decision: str, text: str | None, user_id: str, **extra
) -> None:
    """The settlement as a line of the meeting's record, named as people know the item."""
    if kind == "topic":
        point, label = found.point, found.text
    elif kind == "activity":
        point, label = 3, f"A-{found.number} {found.title}"
    else:
        point, label = meeting_decisions.POINT_OF[kind], f"{subject(kind, found)} {found.text}"
    meeting_decisions.note(
        session, meeting=meeting, point=point, ref=f"{kind}:{found.id}", label=label, decision=decision, text=text,
        user_id=user_id, **extra,
    )  # fmt: skip


def _discussed(found: KlaagpaalItem | HelpRequest) -> None:
    if found.status == "opgelost":
        raise Conflict("meeting.item_closed")
    if isinstance(found, KlaagpaalItem):
        found.status = "besproken"  # still open: it stays on point 4 until resolved


def item_text(found: MeetingTopic | KlaagpaalItem | HelpRequest | Activity) -> str:
    """What an item says: its text, or an activity's title."""
    return found.title if isinstance(found, Activity) else found.text


def subject(kind: str, found: MeetingTopic | KlaagpaalItem | HelpRequest) -> str:
    """The audit subject: K-3, H-1, or `meeting` for a topic."""
    if kind == "topic":
        return "meeting"
    return f"{'K' if kind == 'klaagpaal' else 'H'}-{found.number}"


def filer(kind: str, found: MeetingTopic | KlaagpaalItem | HelpRequest) -> str | None:
    if kind == "hulpvraag":
        return found.requester_id
    return found.author_id  # None for an anonymous klaagpaal item: nobody is told, nothing reveals who filed it


def to_activity(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    item: KlaagpaalItem,
    title: str,
    theme: str,
    initiator_id: str,
    deadline: date | None,
    now: datetime,
    meeting: Meeting | None = None,
    outcome: str | None = None,
) -> Activity:
    """Turn a klaagpaal item into an activity on the execution agenda; the item is resolved with the outcome the
    meeting wrote down (if any), pointing to the activity."""
    circles.require_coordinator(session, circle=circle, user_id=user_id)
    if item.status == "opgelost":
        raise Conflict("klaagpaal.already_resolved", number=item.number)
    activity = execution.create(
        session, circle=circle, user_id=user_id, title=title, theme=theme, initiator_id=initiator_id,
        deadline=deadline, description=item.text, status="gepland", now=now,
    )  # fmt: skip
    item.activity = activity
    klaagpaal.resolve(session, circle=circle, item=item, user_id=user_id, outcome=outcome)
    if meeting is not None:
        text = f"A-{activity.number}: {title}" + (f" — {outcome}" if outcome else "")
        noted(session, meeting=meeting, kind="klaagpaal", found=item, decision="activiteit", text=text, user_id=user_id)
    return activity
