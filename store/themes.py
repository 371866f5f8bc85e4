"""The circle's themes: the method's three to start with, each with an ambition and a level the circle raises;
coordinators add, rename, retire and restore them. Activities keep a theme's key, so nothing is ever orphaned."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import circles
from store.errors import Conflict, UserError, shown
from store.models import Activity, Circle, CircleTheme, ThemeChange
from store.types import utcnow
from store.vocabulary import MAX_LEVEL, NAME_LIMIT

# Words people use for the method's three themes, in Dutch and English; they work while the theme exists.
ALIASES = {
    "arbeid": "arbeidsmarkt",
    "labour": "arbeidsmarkt",
    "labor": "arbeidsmarkt",
    "labour market": "arbeidsmarkt",
    "circulariteit": "klimaat",
    "circulair": "klimaat",
    "duurzaamheid": "klimaat",
    "duurzaam": "klimaat",
    "klimaat, circulariteit en duurzaamheid": "klimaat",
    "climate": "klimaat",
    "climate, circularity and sustainability": "klimaat",
    "ontwikkelen": "leren",
    "ontwikkelen en leren": "leren",
    "learning": "leren",
    "developing": "leren",
    "developing and learning": "leren",
    "development and learning": "leren",
}
KEY_LIMIT = 24


def _word(text: str) -> str:
    return " ".join((text or "").strip().strip("\"'“”").lower().split())


def listing(session: Session, *, circle: Circle, retired: bool = False) -> list[CircleTheme]:
    """The circle's themes in their order; with `retired`, the retired ones too (after the others)."""
    statement = select(CircleTheme).where(CircleTheme.circle_id == circle.id)
    if not retired:
        statement = statement.where(CircleTheme.retired_at.is_(None))
    found = session.scalars(statement.order_by(CircleTheme.position, CircleTheme.id))
    return sorted(found, key=lambda theme: theme.retired_at is not None)


def find(session: Session, *, circle: Circle, text: str) -> CircleTheme | None:
    """A theme by exactly its key, its name or a word the method uses for it; retired ones too."""
    word = _word(text)
    everything = listing(session, circle=circle, retired=True)
    key = ALIASES.get(word, word)
    return next((theme for theme in everything if theme.key == key or _word(theme.name or "") == word), None)


def resolve(session: Session, *, circle: Circle, text: str, retired: bool = False) -> CircleTheme:
    """The theme someone means: as `find`, or by its number in the list, or by the start of its name or key."""
    word = _word(text)
    found = find(session, circle=circle, text=text)
    if found is not None and (retired or found.retired_at is None):
        return found
    choices = listing(session, circle=circle, retired=retired)
    if re.fullmatch(r"[0-9]{1,3}", word) and 1 <= int(word) <= len(choices):
        return choices[int(word) - 1]
    starting = [t for t in choices if word and (t.key.startswith(word) or _word(t.name or "").startswith(word))]
    if len(starting) == 1:
        return starting[0]
    names = ", ".join(f"`{theme.key}`" for theme in listing(session, circle=circle))
    raise UserError("agenda.theme_unknown", field="theme", text=shown(text), themes=names)


def slug(name: str) -> str:
    """`Water & Riolering` → `water-riolering`: the key a new theme is stored by."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:KEY_LIMIT].strip("-") or "thema"


def add(session: Session, *, circle: Circle, actor_id: str, name: str, now: datetime | None = None) -> CircleTheme:
    """A coordinator adds a theme of the circle's own, at the end of the list."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    name = _checked_name(name)
    if find(session, circle=circle, text=name) is not None:
        raise Conflict("themes.exists", name=name)
    taken = set(session.scalars(select(CircleTheme.key).where(CircleTheme.circle_id == circle.id)))
    key, number = slug(name), 2
    while key in taken:
        suffix = f"-{number}"
        key, number = slug(name)[: KEY_LIMIT - len(suffix)] + suffix, number + 1
    last = session.scalar(select(func.max(CircleTheme.position)).where(CircleTheme.circle_id == circle.id))
    theme = CircleTheme(circle_id=circle.id, key=key, name=name, level=1, position=(last or 0) + 1, created_at=now)
    session.add(theme)
    _changed(session, circle, theme, actor_id, "added", name, now)
    return theme


def change(
    session: Session,
    *,
    circle: Circle,
    actor_id: str,
    theme: CircleTheme,
    name: str | None = None,
    ambition: str | None = None,
    level: int | None = None,
    now: datetime | None = None,
) -> list[str]:
    """A coordinator renames a theme, sets its ambition or its level; each change is kept with date and who."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    changed = []
    if name is not None:
        name = _checked_name(name)
        other = find(session, circle=circle, text=name)
        if other is not None and other.id != theme.id:
            raise Conflict("themes.exists", name=name)
        if name != theme.name:
            theme.name = name
            changed.append(_changed(session, circle, theme, actor_id, "name", name, now))
    if ambition is not None:
        ambition = " ".join(ambition.split())
        if ambition != (theme.ambition or ""):
            theme.ambition = ambition or None
            changed.append(_changed(session, circle, theme, actor_id, "ambition", ambition, now))
    if level is not None:
        if not 1 <= level <= MAX_LEVEL:
            raise UserError("themes.level_range", text=str(level), high=MAX_LEVEL)
        if level != theme.level:
            theme.level = level
            changed.append(_changed(session, circle, theme, actor_id, "level", str(level), now))
    return changed


def retire(session: Session, *, circle: Circle, actor_id: str, theme: CircleTheme, now: datetime | None = None) -> None:
    """No new activities under it; those it has keep it. The last theme in use stays."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    if theme.retired_at is not None:
        raise Conflict("themes.already_retired", name=theme.name or theme.key)
    if len(listing(session, circle=circle)) == 1:
        raise Conflict("themes.last_one")
    theme.retired_at = now or utcnow()
    _changed(session, circle, theme, actor_id, "retired", None, now)


def restore(
    session: Session, *, circle: Circle, actor_id: str, theme: CircleTheme, now: datetime | None = None
) -> None:
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    if theme.retired_at is None:
        raise Conflict("themes.not_retired", name=theme.name or theme.key)
    theme.retired_at = None
    _changed(session, circle, theme, actor_id, "restored", None, now)


def counts(session: Session, *, circle: Circle) -> dict[str, int]:
    """How many activities each theme (by key) holds."""
    statement = select(Activity.theme, func.count()).where(Activity.circle_id == circle.id).group_by(Activity.theme)
    return {key: count for key, count in session.execute(statement)}


def _checked_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UserError("themes.name_missing")
    if len(name) > NAME_LIMIT:
        raise UserError("themes.name_too_long", limit=NAME_LIMIT)
    return name


def _changed(
    session: Session, circle: Circle, theme: CircleTheme, actor_id: str, what: str, value: str | None, now
) -> str:
    theme.changes.append(ThemeChange(actor_id=actor_id, what=what, value=value, created_at=now or utcnow()))
    session.flush()
    circles.record(
        session, circle=circle, actor_id=actor_id, subject="theme", action=f"theme_{what}", key=theme.key, value=value
    )
    return what
