"""What an activity's form offers to choose from: the circle's own themes and common goals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import themes
from store.models import Circle, Goal


def activity_choices(session: Session, *, circle_id: int) -> dict[str, Any]:
    """Keyword arguments for the activity form builder, read while the session is open."""
    circle = session.get(Circle, circle_id)
    # Only the goals' names: their activities (what the goal listing loads for progress) are not in the form.
    statement = select(Goal).where(Goal.circle_id == circle.id, Goal.retired_at.is_(None)).order_by(Goal.id)
    return {"themes": themes.listing(session, circle=circle), "goals": list(session.scalars(statement))}
