"""The circle's members: their side, organisation, role and start date; who registers whom; balance and rotation.

Balance and rotation only ever suggest: coordinators are told, nothing changes by itself.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import circles
from store.errors import Conflict, NotFound, UserError, shown
from store.models import Circle, Meeting, Member, Role
from store.vocabulary import NAME_LIMIT, ORGANISATION_LIMIT, Side

SIDE_WORDS = {
    "og": Side.OG,
    "opdrachtgever": Side.OG,
    "client": Side.OG,
    "on": Side.ON,
    "opdrachtnemer": Side.ON,
    "contractor": Side.ON,
    "anders": Side.ANDERS,
    "other": Side.ANDERS,
    "overig": Side.ANDERS,
}
COUNTED = (Side.OG, Side.ON)  # "anders" (kennisinstelling, adviseur) sits at the table but tips no balance
MAX_RATIO = Decimal(10)
MAX_ROTATION_MONTHS = 240


@dataclass(frozen=True)
class Registration:
    side: str
    organisation: str
    role: str | None = None
    since: date | None = None


def side_of(word: str) -> str:
    """`OG`, `ON` or `anders` (and their spelled-out or English forms)."""
    side = SIDE_WORDS.get((word or "").strip().lower())
    if side is None:
        raise UserError("members.side_unknown", field="side", text=shown(word))
    return str(side)


def all_members(session: Session, *, circle: Circle) -> list[Member]:
    statement = select(Member).where(Member.circle_id == circle.id)
    return list(session.scalars(statement.order_by(Member.organisation, Member.id)))


def started(member: Member) -> date:
    """Since when someone sits in the circle: the date they gave, else the day their membership began."""
    return member.since or member.created_at.date()


def register(
    session: Session, *, circle: Circle, actor_id: str, user_id: str, registration: Registration, today: date
) -> Member:
    """Register (or re-register) someone's side, organisation and role; others only by a coordinator."""
    if actor_id != user_id:
        circles.require_coordinator(session, circle=circle, user_id=actor_id)
    side = side_of(registration.side)
    organisation = " ".join((registration.organisation or "").split())
    if not organisation:
        raise UserError("members.organisation_missing", field="organisation")
    if len(organisation) > ORGANISATION_LIMIT:
        raise UserError("members.organisation_too_long", field="organisation", limit=ORGANISATION_LIMIT)
    role = resolve_role(session, circle=circle, text=registration.role) if registration.role else None
    if registration.since is not None and registration.since > today:
        raise UserError("members.since_future", field="since")
    existing = circles.member(session, circle=circle, user_id=user_id)
    member = existing or circles.ensure_member(session, circle=circle, user_id=user_id)
    member.side, member.organisation, member.role = side, organisation, role
    member.since = registration.since or member.since or (started(member) if existing else today)
    details = {"user": user_id, "side": side, "organisation": organisation, "role": role}
    circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="member_registered", **details)
    return member


def remove(session: Session, *, circle: Circle, actor_id: str, user_id: str) -> None:
    """A coordinator takes someone off the circle; the last coordinator stays."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    member = circles.member(session, circle=circle, user_id=user_id)
    if member is None:
        raise NotFound("members.not_a_member", user=user_id)
    if member.is_coordinator and len(circles.coordinators(session, circle=circle)) == 1:
        raise Conflict("members.last_coordinator")
    session.delete(member)
    circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="member_removed", user=user_id)


def joined(session: Session, *, circle: Circle, user_id: str) -> Member:
    """Someone joined the channel: a member from now on, registered once they say their side."""
    return circles.ensure_member(session, circle=circle, user_id=user_id)


def left(session: Session, *, circle: Circle, user_id: str) -> bool:
    """Someone left the channel and so the circle; False when they were not a member."""
    member = circles.member(session, circle=circle, user_id=user_id)
    if member is None:
        return False
    session.delete(member)
    circles.record(session, circle=circle, actor_id=user_id, subject="circle", action="member_left", user=user_id)
    return True


# -- roles ------------------------------------------------------------------------------------------------------------


def roles(session: Session, *, circle: Circle) -> list[str]:
    return list(session.scalars(select(Role.name).where(Role.circle_id == circle.id).order_by(Role.id)))


def resolve_role(session: Session, *, circle: Circle, text: str) -> str:
    """A role from the circle's list, by its name or the start of it, in any case."""
    wanted = " ".join(text.split()).lower()
    known = roles(session, circle=circle)
    exact = [name for name in known if name.lower() == wanted]
    starting = [name for name in known if name.lower().startswith(wanted)] if wanted else []
    found = exact or (starting if len(starting) == 1 else [])
    if not found:
        raise UserError("members.role_unknown", field="role", text=shown(text), roles=", ".join(known))
    return found[0]


def add_role(session: Session, *, circle: Circle, actor_id: str, name: str) -> bool:
    """A coordinator extends the circle's list of roles; False when it was already there."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    name = " ".join(name.split())
    if not name:
        raise UserError("members.role_missing")
    if len(name) > NAME_LIMIT:
        raise UserError("members.role_too_long", limit=NAME_LIMIT)
    if any(known.lower() == name.lower() for known in roles(session, circle=circle)):
        return False
    session.add(Role(circle_id=circle.id, name=name))
    circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="role_added", name=name)
    return True


# -- balance and rotation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    counts: dict[str, int]
    organisations: dict[str, int]
    unregistered: int
    heavy: str | None = None  # the side that outnumbers the other beyond the circle's ratio
    light: str | None = None


def balance(members: list[Member], ratio: Decimal) -> Balance:
    counts = {str(side): 0 for side in Side}
    organisations: dict[str, set[str]] = {str(side): set() for side in Side}
    for member in members:
        if member.side in counts:
            counts[member.side] += 1
            organisations[member.side].add((member.organisation or "").lower())
    unregistered = sum(1 for member in members if member.side not in counts)
    og, on = counts[Side.OG], counts[Side.ON]
    heavy = light = None
    if max(og, on) > ratio * min(og, on):
        heavy, light = (str(Side.OG), str(Side.ON)) if og > on else (str(Side.ON), str(Side.OG))
    return Balance(counts, {side: len(names) for side, names in organisations.items()}, unregistered, heavy, light)


def rotation_due(members: list[Member], months: int, today: date) -> list[Member]:
    """Who has sat longer than the circle's rotation term, longest first (none when the term is 0)."""
    if months <= 0:
        return []
    due = [member for member in members if today > _months_later(started(member), months)]
    return sorted(due, key=started)


def _months_later(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Suggestions:
    """What coordinators are told about the circle's make-up; keys name each suggestion, to mention it once."""

    balance: Balance
    rotation: list[Member] = field(default_factory=list)

    def names(self) -> list[str]:
        found = [f"balance:{self.balance.heavy}"] if self.balance.heavy else []
        return found + [f"rotation:{member.user_id}" for member in self.rotation]

    def __bool__(self) -> bool:
        return bool(self.names())


def suggestions(session: Session, *, circle: Circle, today: date) -> Suggestions:
    found = all_members(session, circle=circle)
    return Suggestions(balance(found, circle.balance_ratio), rotation_due(found, circle.rotation_months, today))


def configure(
    session: Session, *, circle: Circle, actor_id: str, ratio: str | None = None, rotation_years: str | None = None
) -> list[str]:
    """Coordinators set the balance ratio (`1,5`) and the rotation term in years (`4`, `2,5`, `0` for never)."""
    circles.require_coordinator(session, circle=circle, user_id=actor_id)
    changed: dict[str, str] = {}
    if ratio is not None:
        value = _decimal(ratio, "members.ratio_range")
        if not Decimal(1) <= value <= MAX_RATIO:
            raise UserError("members.ratio_range", text=shown(ratio))
        if value != circle.balance_ratio:
            circle.balance_ratio, changed["balance_ratio"] = value.quantize(Decimal("0.1")), str(value)
    if rotation_years is not None:
        months = int((_decimal(rotation_years, "members.rotation_range") * 12).to_integral_value())
        if not 0 <= months <= MAX_ROTATION_MONTHS:
            raise UserError("members.rotation_range", text=shown(rotation_years))
        if months != circle.rotation_months:
            circle.rotation_months, changed["rotation_months"] = months, str(months)
    if changed:
        circles.record(session, circle=circle, actor_id=actor_id, subject="circle", action="settings", **changed)
    return list(changed)


def _decimal(text: str, key: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise UserError(key, text=shown(text)) from None
    if not value.is_finite():
        raise UserError(key, text=shown(text))
    return value


def agenda_note(session: Session, *, circle: Circle, today: date) -> dict | None:
    """What the next agenda says under "De kring": only suggestions no earlier agenda of this circle mentioned."""
    found = suggestions(session, circle=circle, today=today)
    posted = session.scalars(
        select(Meeting.agenda).where(Meeting.circle_id == circle.id, Meeting.agenda.is_not(None))
    ).all()
    mentioned = {key for agenda in posted for key in ((agenda or {}).get("kring") or {}).get("keys", [])}
    fresh = [key for key in found.names() if key not in mentioned]
    if not fresh:
        return None
    heavy = found.balance.heavy if f"balance:{found.balance.heavy}" in fresh else None
    return {
        "keys": fresh,
        "heavy": heavy,
        "light": found.balance.light if heavy else None,
        "ratio": str(circle.balance_ratio),
        "rotation": [member.user_id for member in found.rotation if f"rotation:{member.user_id}" in fresh],
        "months": circle.rotation_months,
    }
