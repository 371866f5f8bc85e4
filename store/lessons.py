"""What the circle learned: lessons from progress updates across activities, and a search over everything the
circle wrote down (titles, updates, lessons, actions, closed items with their outcomes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import (
    Activity,
    Circle,
    HelpRequest,
    ImprovementAction,
    KlaagpaalItem,
    MeetingTopic,
    ProgressUpdate,
)

MAX_WORDS = 8


@dataclass(frozen=True)
class Hit:
    """One thing found: what kind (`activity`, `update`, `lesson`, `action`, `klaagpaal`, `hulpvraag`, `topic`),
    how people name it, its text, who and when."""

    kind: str
    label: str
    text: str
    user_id: str | None
    at: datetime


def lessons(session: Session, *, circle: Circle, theme: str | None = None) -> list[Hit]:
    """Every update's "what we learned", newest first, with the activity and who wrote it."""
    statement = (
        select(Activity, ProgressUpdate)
        .join(ProgressUpdate, ProgressUpdate.activity_id == Activity.id)
        .where(Activity.circle_id == circle.id, ProgressUpdate.learned.is_not(None))
    )
    if theme is not None:
        statement = statement.where(Activity.theme == theme)
    rows = session.execute(statement.order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()))
    return [
        Hit("lesson", f"A-{activity.number} {activity.title}", update.learned, update.author_id, update.created_at)
        for activity, update in rows
    ]


def search(session: Session, *, circle: Circle, words: list[str]) -> list[Hit]:
    """Everything that contains all `words` (case-insensitive), newest first."""
    wanted = [word.lower() for word in words[:MAX_WORDS] if word.strip()]
    found = [hit for hit in _everything(session, circle) if all(word in hit.text.lower() or word in hit.label.lower()
                                                                for word in wanted)]  # fmt: skip
    return sorted(found, key=lambda hit: hit.at, reverse=True)


def _everything(session: Session, circle: Circle) -> list[Hit]:
    hits: list[Hit] = []
    for activity in session.scalars(select(Activity).where(Activity.circle_id == circle.id)):
        name = f"A-{activity.number} {activity.title}"
        text = " ".join(part for part in (activity.description, activity.needs, activity.stop_reason) if part)
        hits.append(Hit("activity", name, text, activity.initiator_id, activity.created_at))
        for update in activity.updates:
            said = " ".join(p for p in (update.happened, update.improvements, update.blockers) if p)
            if said:
                hits.append(Hit("update", name, said, update.author_id, update.created_at))
            if update.learned:
                hits.append(Hit("lesson", name, update.learned, update.author_id, update.created_at))
    for action in session.scalars(select(ImprovementAction).where(ImprovementAction.circle_id == circle.id)):
        hits.append(Hit("action", f"P-{action.number}", action.text, action.owner_id, action.created_at))
    for kind, model, prefix in (("klaagpaal", KlaagpaalItem, "K"), ("hulpvraag", HelpRequest, "H")):
        closed = select(model).where(model.circle_id == circle.id, model.status == "opgelost")
        for item in session.scalars(closed):
            text = f"{item.text} — {item.outcome}" if item.outcome else item.text
            author = None if kind == "klaagpaal" else item.requester_id  # never who filed a klaagpaal item
            hits.append(Hit(kind, f"{prefix}-{item.number}", text, author, item.closed_at or item.created_at))
    topics = select(MeetingTopic).where(MeetingTopic.circle_id == circle.id, MeetingTopic.status != "open")
    for topic in session.scalars(topics):
        text = f"{topic.text} — {topic.outcome}" if topic.outcome else topic.text
        hits.append(Hit("topic", "", text, topic.author_id, topic.discussed_at or topic.created_at))
    return hits
