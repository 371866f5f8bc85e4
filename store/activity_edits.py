"""Editing an activity's fields from the edit form: only what really changed is written and recorded."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from store import circles, goals, themes
from store.activities import (
    check_version,
    checked_budget,
    label,
    require_change,
    save,
    team_ids,
    team_without_initiator,
    title_and_description,
)
from store.models import Activity, Circle, TeamMember

EDITABLE = ("title", "description", "theme", "goals", "initiator_id", "deadline", "budget", "needs", "team")


def edit(
    session: Session,
    *,
    circle: Circle,
    activity: Activity,
    user_id: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    **changes: object,
) -> list[str]:
    """Change any of EDITABLE; returns the names of the fields that really changed (none: nothing written)."""
    require_change(session, circle=circle, activity=activity, user_id=user_id)
    check_version(activity, expected_version)
    wanted = _normalised(changes, activity)
    if "theme" in wanted and wanted["theme"] != activity.theme:  # a retired theme an activity has may stay
        wanted["theme"] = themes.resolve(session, circle=circle, text=str(wanted["theme"])).key
    served = goals.chosen(session, circle=circle, picks=wanted.get("goals") or [])
    if "goals" in wanted:
        wanted["goals"] = sorted(goal.id for goal in served)
    changed = [name for name, value in wanted.items() if value != _current(activity, name)]
    if not changed:
        return []
    before = activity.deadline
    for name in changed:
        if name == "team":
            _replace_team(activity, wanted["team"])
        elif name == "goals":
            goals.serve(activity, served)
        else:
            setattr(activity, name, wanted[name])
    save(session, activity, now)
    for person in dict.fromkeys([activity.initiator_id, *team_ids(activity)]):
        circles.ensure_member(session, circle=circle, user_id=person)
    moved = {"from": _iso(before), "to": _iso(activity.deadline)} if "deadline" in changed else {}
    circles.record(
        session, circle=circle, actor_id=user_id, subject=label(activity), action="edited", fields=changed, **moved
    )
    return changed


def _normalised(changes: dict[str, object], activity: Activity) -> dict[str, object]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    wanted = dict(changes)
    if "title" in wanted:
        wanted["title"], _ = title_and_description(str(wanted["title"]), None)
    if "budget" in wanted:
        wanted["budget"] = checked_budget(wanted["budget"])
    for name in ("description", "needs"):
        if name in wanted:
            wanted[name] = (str(wanted[name] or "")).strip() or None
    initiator = str(wanted.get("initiator_id") or activity.initiator_id)
    wanted["initiator_id"] = initiator
    # A team member who becomes initiator leaves the team list; so does one named in both fields.
    team = wanted.get("team", team_ids(activity))
    wanted["team"] = team_without_initiator(team, initiator)  # type: ignore[arg-type]
    return wanted


def _current(activity: Activity, name: str) -> object:
    if name == "goals":
        return sorted(link.goal_id for link in activity.goal_links)
    return team_ids(activity) if name == "team" else getattr(activity, name)


def _replace_team(activity: Activity, wanted: list[str]) -> None:
    """Keep the rows of those who stay, so a member is never deleted and re-added in one flush."""
    kept = [member for member in activity.team if member.user_id in wanted]
    present = {member.user_id for member in kept}
    activity.team = kept + [TeamMember(user_id=person) for person in wanted if person not in present]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
