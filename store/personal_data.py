"""Everything the bot holds about one person, found by walking every table, and removed on request (AVG/GDPR).

The walk starts from the models: every column typed `USER_ID` names a person, and every text or JSON column may
mention one (`<@U123>` in typed text, `"user": "U123"` in a kept message). `HANDLING` says what removal does with
each `USER_ID` column; a column added to a model without an entry there fails a test, so no table is forgotten.

Removal keeps the circle's records whole: an activity stays on the agenda under its number without its initiator,
counts (herkenbaar, help offered, presence) stay as they were, and the person's id is replaced everywhere by one
placeholder that names no one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from store import klaagpaal
from store.models import USER_ID, Base, Circle, DmChannel, KlaagpaalItem, Member, Outbox

PLACEHOLDER = "verwijderd"
DELETE, PSEUDONYMISE = "delete", "pseudonymise"

# What removal does with each column that holds a person's id. DELETE removes the row: a membership, the person's
# direct-message channel. PSEUDONYMISE replaces the id by the placeholder, so the record and its counts stay.
HANDLING: dict[tuple[str, str], str] = {
    ("circles", "created_by"): PSEUDONYMISE,
    ("members", "user_id"): DELETE,
    ("theme_changes", "actor_id"): PSEUDONYMISE,
    ("klaagpaal_items", "author_id"): PSEUDONYMISE,
    ("klaagpaal_items", "closed_by"): PSEUDONYMISE,
    ("herkenbaar_marks", "user_id"): PSEUDONYMISE,
    ("help_requests", "requester_id"): PSEUDONYMISE,
    ("help_requests", "closed_by"): PSEUDONYMISE,
    ("help_offers", "user_id"): PSEUDONYMISE,
    ("activities", "initiator_id"): PSEUDONYMISE,
    ("activity_team", "user_id"): PSEUDONYMISE,
    ("goals", "created_by"): PSEUDONYMISE,
    ("measurements", "author_id"): PSEUDONYMISE,
    ("progress_updates", "author_id"): PSEUDONYMISE,
    ("audit_events", "actor_id"): PSEUDONYMISE,
    ("meetings", "closed_by"): PSEUDONYMISE,
    ("meeting_topics", "author_id"): PSEUDONYMISE,
    ("nudge_marks", "user_id"): PSEUDONYMISE,
    ("agenda_versions", "adopted_by"): PSEUDONYMISE,
    ("improvement_actions", "owner_id"): PSEUDONYMISE,
    ("improvement_actions", "created_by"): PSEUDONYMISE,
    ("improvement_actions", "done_by"): PSEUDONYMISE,
    ("action_nudge_marks", "user_id"): PSEUDONYMISE,
    ("meeting_decisions", "user_id"): PSEUDONYMISE,
    ("meeting_attendance", "user_id"): PSEUDONYMISE,
    ("progress_requests", "user_id"): PSEUDONYMISE,
    ("dm_channels", "user_id"): DELETE,
    ("person_workspaces", "user_id"): DELETE,
    ("people_gone", "user_id"): DELETE,
}


@dataclass
class Scope:
    """Whose records: the circles named (None: every circle), and whether rows tied to no circle count too (the
    person's direct-message channel, messages to them outside any circle)."""

    circle_ids: list[int] | None = None
    unlinked: bool = True

    @classmethod
    def team(cls, session: Session, team_id: str | None) -> Scope:
        """Everything in one workspace (every circle when `team_id` is None)."""
        if team_id is None:
            return cls()
        return cls(list(session.scalars(select(Circle.id).where(Circle.team_id == team_id))), unlinked=True)

    @classmethod
    def circle(cls, circle_id: int) -> Scope:
        """One circle's records only: what its coordinators may remove."""
        return cls([circle_id], unlinked=False)


@dataclass
class Found:
    """The rows that name one person, per table, as plain values."""

    user_id: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def user_columns(table: Table) -> list[Column]:
    """The columns of `table` that hold a person's id."""
    return [column for column in table.columns if column.type is USER_ID]


def _text_columns(table: Table) -> list[Column]:
    return [column for column in table.columns if isinstance(column.type, (String, Text, JSON))]


def uncovered() -> set[tuple[str, str]]:
    """USER_ID columns that removal has no rule for; empty when every table is covered."""
    columns = {(table.name, column.name) for table in Base.metadata.sorted_tables for column in user_columns(table)}
    return columns - set(HANDLING)


def _people_tables() -> list[Table]:
    """Every table but the database's own key, which is about no one and never shown."""
    return [table for table in Base.metadata.sorted_tables if table.name != "instance_secrets"]


def _pattern(user_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(user_id)}(?![A-Za-z0-9])")


def _circle_condition(table: Table, scope: Scope) -> Any:
    """A condition keeping the rows of `table` within `scope`, by following its foreign keys to `circles`."""
    if scope.circle_ids is None:
        return None
    if table.name == "circles":
        return table.c.id.in_(scope.circle_ids)
    for column in table.columns:
        for key in column.foreign_keys:
            target = key.column.table
            if target.name == "circles":
                inside = column.in_(scope.circle_ids)
            else:
                inner = _circle_condition(target, scope)
                if inner is None:
                    continue
                inside = column.in_(select(key.column).where(inner))
            return or_(inside, column.is_(None)) if scope.unlinked and column.nullable else inside
    return None if scope.unlinked else table.c[next(iter(table.primary_key.columns)).name].is_(None)


def _matching(session: Session, table: Table, user_id: str, scope: Scope) -> list[Any]:
    """The rows of `table` that name `user_id`: in a USER_ID column, or mentioned in any text or JSON."""
    texts = _text_columns(table)
    if not texts:
        return []
    conditions = [cast(column, Text).like(f"%{user_id}%") for column in texts]
    statement = select(table).where(or_(*conditions))
    inside = _circle_condition(table, scope)
    if inside is not None:
        statement = statement.where(inside)
    pattern = _pattern(user_id)
    return [
        row
        for row in session.execute(statement)
        if any(_mentions(getattr(row, column.name), pattern) for column in texts)
    ]


def _mentions(value: object, pattern: re.Pattern[str]) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_mentions(key, pattern) or _mentions(item, pattern) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_mentions(item, pattern) for item in value)
    return False


def _plain(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def find(session: Session, *, user_id: str, scope: Scope | None = None) -> Found:
    """Every row in every table that names `user_id`. An anonymous klaagpaal item names no one, so it is not here."""
    scope = scope or Scope()
    found = Found(user_id)
    for table in _people_tables():
        rows = _matching(session, table, user_id, scope)
        if rows:
            found.tables[table.name] = [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]
    return found


def placeholder() -> str:
    """The id that takes a removed person's place: the same in all their rows, so counts and records stay whole, and
    different per removal, so two removed people who marked the same item stay two marks."""
    return f"{PLACEHOLDER}-{secrets.token_hex(4)}"


def remove(
    session: Session, *, user_id: str, scope: Scope | None = None, filer_key: klaagpaal.Keys | None = None
) -> int:
    """Remove `user_id` from every table within `scope`: their memberships and direct messages deleted, their id
    replaced everywhere else. With the filer key, their anonymous klaagpaal items lose the tag that let them find
    the items again, so nothing, not even the key, ties those items to them any more. How many rows changed."""
    scope = scope or Scope()
    stand_in = placeholder()
    changed = _delete_own_rows(session, user_id, scope)
    if filer_key is not None:
        changed += _untie_anonymous_items(session, user_id, scope, filer_key)
    pattern = _pattern(user_id)
    for table in _people_tables():
        for row in _matching(session, table, user_id, scope):
            changed += _replace(session, table, row, pattern, stand_in)
    return changed


def _untie_anonymous_items(session: Session, user_id: str, scope: Scope, key: klaagpaal.Keys) -> int:
    table = KlaagpaalItem.__table__
    statement = select(KlaagpaalItem).where(KlaagpaalItem.filer_tag.is_not(None))
    inside = _circle_condition(table, scope)
    if inside is not None:
        statement = statement.where(inside)
    untied = 0
    for item in session.scalars(statement):
        if klaagpaal.filed_by(item, user_id=user_id, key=key):
            item.filer_tag = None
            untied += 1
    session.flush()
    return untied


def _delete_own_rows(session: Session, user_id: str, scope: Scope) -> int:
    """Memberships, the direct-message channel, and messages addressed to the person (in their DM or to them alone)."""
    deleted = 0
    for (table_name, column_name), handling in HANDLING.items():
        if handling != DELETE:
            continue
        table = Base.metadata.tables[table_name]
        statement = delete(table).where(table.c[column_name] == user_id)
        inside = _circle_condition(table, scope)
        if inside is not None:
            statement = statement.where(inside)
        deleted += session.execute(statement).rowcount or 0
    deleted += _delete_messages_to(session, user_id, scope)
    return deleted


def _delete_messages_to(session: Session, user_id: str, scope: Scope) -> int:
    channels = [user_id, *session.scalars(select(DmChannel.channel_id).where(DmChannel.user_id == user_id))]
    addressed = [row.id for row in _matching(session, Outbox.__table__, user_id, scope) if _to(row, channels)]
    if not addressed:
        return 0
    return session.execute(delete(Outbox).where(Outbox.id.in_(addressed))).rowcount or 0


def _to(row: Any, channels: Iterable[str]) -> bool:
    channels = set(channels)
    return row.channel in channels or row.sent_channel in channels or (row.payload or {}).get("user") in channels


def _replace(session: Session, table: Table, row: Any, pattern: re.Pattern[str], stand_in: str) -> int:
    values = {}
    for column in _text_columns(table):
        value = getattr(row, column.name)
        if _mentions(value, pattern):
            values[column.name] = _swap(value, pattern, stand_in)
    if not values:
        return 0
    keys = [table.c[column.name] == getattr(row, column.name) for column in table.primary_key.columns]
    return session.execute(update(table).where(*keys).values(**values)).rowcount or 0


def _swap(value: Any, pattern: re.Pattern[str], stand_in: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(stand_in, value)
    if isinstance(value, dict):
        return {_swap(key, pattern, stand_in): _swap(item, pattern, stand_in) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap(item, pattern, stand_in) for item in value]
    return value


def memberships(session: Session, *, user_id: str, scope: Scope | None = None) -> list[Member]:
    """The circles the person is a member of, for the answer that says what was removed."""
    statement = select(Member).where(Member.user_id == user_id)
    if scope is not None and scope.circle_ids is not None:
        statement = statement.where(Member.circle_id.in_(scope.circle_ids))
    return list(session.scalars(statement))
