"""What an activity's form offers to choose from: the circle's own themes and common goals."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from store import goals, themes
from store.models import Circle


def activity_choices(session: Session, *, circle_id: int) -> dict[str, Any]:
    """Keyword arguments for the activity form builder, read while the session is open."""
    circle = session.get(Circle, circle_id)
    return {"themes": themes.listing(session, circle=circle), "goals": goals.listing(session, circle=circle)}
