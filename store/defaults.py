"""What every new circle starts with: the method's roles, themes and indicators; each list is its own from then on."""

from __future__ import annotations

from sqlalchemy.orm import Session

from store.models import Circle, CircleTheme, Indicator, Role
from store.vocabulary import DEFAULT_INDICATORS, DEFAULT_ROLES, DEFAULT_THEMES


def seed(session: Session, *, circle: Circle) -> None:
    """Give a new circle the default lists; each list is the circle's own from then on."""
    session.add_all([Role(circle_id=circle.id, name=name) for name in DEFAULT_ROLES])
    session.add_all(
        [CircleTheme(circle_id=circle.id, key=key, level=1, position=n) for n, key in enumerate(DEFAULT_THEMES, 1)]
    )
    session.add_all(
        [
            Indicator(circle_id=circle.id, key=key, unit=unit, aggregate=aggregate, position=n)
            for n, (key, unit, aggregate) in enumerate(DEFAULT_INDICATORS, 1)
        ]
    )
