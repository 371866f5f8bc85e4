"""The README's table of who may do what, checked cell by cell against the rules in store/."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from store import actions, activities, circles, hulpvraag, klaagpaal, meeting_agenda, meetings, rhythm, versions
from store.errors import Forbidden
from store.models import Activity, Circle, HelpRequest, ImprovementAction, KlaagpaalItem, Meeting

README = Path(__file__).resolve().parents[2] / "README.md"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
KEY = b"k" * 32
PEOPLE = {
    "member": "UMEMBER",
    "initiator": "UINIT",
    "team": "UTEAM",
    "filer": "UFILER",
    "coordinator": "UCOORD",
    "outsider": "UOUT",
}


def table() -> list[tuple[str, str, bool]]:
    """(action, role, allowed) for every cell of the README's permission table."""
    lines = README.read_text("utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| may … |"))
    roles = [cell.strip() for cell in lines[header].strip("|").split("|")[1:]]
    cells = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        first, *marks = (cell.strip() for cell in line.strip("|").split("|"))
        action = re.search(r"\*\*(\w+)\*\*", first).group(1)
        cells += [(action, role, mark == "✓") for role, mark in zip(roles, marks, strict=True)]
    return cells


@dataclass
class World:
    """One circle with an activity (initiator, team), a named and an anonymous klaagpaal item and a help request by
    the filer, a plain member, a planned meeting, an action the filer filed for themselves and one a coordinator
    filed for the filer to own; and an outsider who coordinates another circle."""

    circle: Circle
    activity: Activity
    named: KlaagpaalItem
    anonymous: KlaagpaalItem
    request: HelpRequest
    meeting: Meeting
    filed: ImprovementAction
    owned: ImprovementAction


def world(session: Session) -> World:
    circle = circles.start(
        session, team_id="T1", channel_id="C1", name="West", user_id="UCOORD", locale="nl", timezone="Europe/Amsterdam"
    )
    circles.start(
        session, team_id="T1", channel_id="C2", name="Oost", user_id="UOUT", locale="nl", timezone="Europe/Amsterdam"
    )
    circles.ensure_member(session, circle=circle, user_id="UMEMBER")
    activity = activities.create(
        session, circle=circle, user_id="UINIT", title="Pilot", theme="klimaat", initiator_id="UINIT",
        team=["UTEAM"], status="lopend", now=NOW,
    )  # fmt: skip
    named = klaagpaal.file(session, circle=circle, text="met naam", author_id="UFILER", anonymous=False, now=NOW)
    anonymous = klaagpaal.file(
        session, circle=circle, text="anoniem", author_id="UFILER", anonymous=True, filer_key=KEY, now=NOW
    )
    request = hulpvraag.file(session, circle=circle, text="hulp", requester_id="UFILER")
    meeting = meetings.plan(
        session, circle=circle, user_id="UCOORD", first=datetime(2027, 1, 12, 14), interval_weeks=None,
        location=None, now=NOW,
    )  # fmt: skip
    filed = actions.create(session, circle=circle, user_id="UFILER", text="zelf", owner_id="UFILER", now=NOW)
    owned = actions.create(session, circle=circle, user_id="UCOORD", text="voor jou", owner_id="UFILER", now=NOW)
    return World(circle, activity, named, anonymous, request, meeting, filed, owned)


Rule = Callable[[Session, World, str], object]


def rules(*attempts: Rule) -> list[Rule]:
    return list(attempts)


def settle(s: Session, w: World, who: str) -> object:
    ref = f"hulpvraag:{w.request.id}"
    return meeting_agenda.settle(s, circle=w.circle, user_id=who, ref=ref, decision="besproken", outcome=None, now=NOW)


def to_activity(s: Session, w: World, who: str) -> object:
    return meeting_agenda.to_activity(
        s, circle=w.circle, user_id=who, item=w.named, title="Van de klaagpaal", theme="klimaat",
        initiator_id="UINIT", deadline=None, now=NOW,
    )  # fmt: skip


# Every rule a row names, tried as its own attempt: each must allow the role, or each must refuse it.
ATTEMPTS: dict[str, list[Rule]] = {
    "read": rules(
        lambda s, w, who: circles.require_reach(s, circle=w.circle, team_id="T1", user_id=who),
        lambda s, w, who: circles.require_reach(s, circle=w.circle, team_id="T1", user_id=who, channel_id="D1"),
    ),
    "change": rules(
        lambda s, w, who: activities.move_deadline(
            s, circle=w.circle, activity=w.activity, user_id=who, deadline=date(2027, 6, 1), now=NOW
        ),
        lambda s, w, who: activities.record_progress(s, circle=w.circle, activity=w.activity, user_id=who, percent=4),
    ),
    "close": rules(
        lambda s, w, who: klaagpaal.resolve(s, circle=w.circle, item=w.named, user_id=who, outcome="klaar"),
        lambda s, w, who: hulpvraag.resolve(s, circle=w.circle, request=w.request, user_id=who, outcome="klaar"),
    ),
    "withdraw": rules(
        lambda s, w, who: klaagpaal.withdraw(s, circle=w.circle, number=w.anonymous.number, user_id=who, key=KEY),
    ),
    "settle": rules(
        settle,
        to_activity,
    ),
    "plan": rules(
        lambda s, w, who: meetings.plan(
            s, circle=w.circle, user_id=who, first=datetime(2027, 2, 9, 14), interval_weeks=6, location=None, now=NOW
        ),
        lambda s, w, who: meetings.cancel(s, circle=w.circle, user_id=who, meeting=w.meeting),
    ),
    "configure": rules(
        lambda s, w, who: rhythm.configure(
            s, circle=w.circle, actor_id=who, rhythm=rhythm.Rhythm(3, time(8, 30), (7,), 9)
        ),
        lambda s, w, who: circles.add_coordinator(s, circle=w.circle, actor_id=who, user_id="UMEMBER"),
    ),
    "complete": rules(
        lambda s, w, who: actions.complete(s, circle=w.circle, action=w.filed, user_id=who, now=NOW),
        lambda s, w, who: actions.complete(s, circle=w.circle, action=w.owned, user_id=who, now=NOW),
    ),
    "adopt": rules(
        lambda s, w, who: versions.adopt(s, circle=w.circle, user_id=who, now=NOW),
    ),
}


def test_the_table_has_a_row_for_every_action_and_a_column_for_every_role() -> None:
    cells = table()
    assert {action for action, _, _ in cells} == set(ATTEMPTS)
    assert {role for _, role, _ in cells} == set(PEOPLE)
    assert len(cells) == len(ATTEMPTS) * len(PEOPLE)


@pytest.mark.parametrize(
    ("action", "role", "allowed"), table(), ids=[f"{a}-{r}-{'yes' if y else 'no'}" for a, r, y in table()]
)
def test_permission(session_factory, action: str, role: str, allowed: bool) -> None:
    with session_factory.begin() as session:
        built = world(session)
        for attempt in ATTEMPTS[action]:
            if allowed:
                attempt(session, built, PEOPLE[role])
            else:
                with pytest.raises(Forbidden):
                    attempt(session, built, PEOPLE[role])
