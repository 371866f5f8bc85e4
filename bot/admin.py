"""`kenniskring admin …`: what an operator reads and mends from a shell, as text or (`--json`) for scripts.

circles          every circle: id, workspace, channel, name, members, activities
workspaces       the workspaces with circles (and their installation, where the database keeps installations)
outbox           the outbox: messages per status, the oldest waiting, the failed and dropped ones
retry <id>       a failed (or dropped) message back in the queue, sent at the next flush
drop <id>        a failed or waiting message given up: kept, marked dropped; its channel's later ones go on
person export U… everything kept about one person, as JSON (the document `/kenniskring mijn-gegevens` sends)
person remove U… --yes   that person's data removed, as they could themselves (AVG)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot.config import Settings
from store import operations
from store.db import make_engine, make_session_factory, migrate
from store.models import Outbox
from store.types import utcnow

Handler = Callable[[Settings, argparse.Namespace], int]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    admin = commands.add_parser(
        "admin",
        help="read and mend what the bot keeps: circles, workspaces, the outbox, one person's data",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = admin.add_subparsers(dest="admin_command", required=True)
    for name, handler, help_text in (
        ("circles", _circles, "every circle: id, workspace, channel, name, members, activities"),
        ("workspaces", _workspaces, "the workspaces with circles, and their installation where it is kept"),
        ("outbox", _outbox, "messages per status, the oldest waiting, the failed and dropped ones"),
    ):
        sub = which.add_parser(name, help=help_text)
        sub.add_argument("--json", action="store_true", help="print JSON instead of text")
        sub.set_defaults(handler=handler)
    for name, handler, help_text in (
        ("retry", _retry, "put a failed (or dropped) message back in the queue"),
        ("drop", _drop, "give up a failed or waiting message (kept, marked dropped)"),
    ):
        sub = which.add_parser(name, help=help_text)
        sub.add_argument("id", type=int, help="the message's id, as `admin outbox` shows it")
        sub.add_argument("--json", action="store_true", help="print JSON instead of text")
        sub.set_defaults(handler=handler)
    person = which.add_parser("person", help="one person's data (AVG): export or remove")
    actions = person.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="print everything kept about a person as JSON")
    export.add_argument("user_id", help="the person's Slack user id (U…)")
    export.add_argument("--team", help="only this workspace (T…)")
    export.set_defaults(handler=_person_export)
    remove = actions.add_parser("remove", help="remove a person's data: memberships deleted, their id replaced")
    remove.add_argument("user_id", help="the person's Slack user id (U…)")
    remove.add_argument("--team", help="only this workspace (T…)")
    remove.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    remove.set_defaults(handler=_person_remove)
    return admin


def _sessions(settings: Settings):
    engine = make_engine(settings.database_url)
    migrate(engine)
    return make_session_factory(engine)


def _print(arguments: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if arguments.json else text)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers, *[["" if value is None else str(value) for value in row] for row in rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip() for row in cells
    )


def _circles(settings: Settings, arguments: argparse.Namespace) -> int:
    with _sessions(settings)() as session:
        rows = operations.circle_rows(session)
    text = table(
        ["id", "team", "channel", "name", "members", "activities"],
        [[row.id, row.team, row.channel, row.name, row.members, row.activities] for row in rows],
    )
    _print(arguments, [asdict(row) for row in rows], text if rows else "No circles yet.")
    return 0


def _workspaces(settings: Settings, arguments: argparse.Namespace) -> int:
    with _sessions(settings)() as session:
        rows = operations.workspace_rows(session)
    kept = any(row.installation is not None for row in rows)
    headers = ["team", "circles", *(["installation"] if kept else [])]
    text = table(headers, [[row.team, row.circles, *([row.installation] if kept else [])] for row in rows])
    _print(arguments, [asdict(row) for row in rows], text if rows else "No workspaces yet.")
    return 0


def _outbox(settings: Settings, arguments: argparse.Namespace) -> int:
    now = utcnow()
    with _sessions(settings)() as session:
        status = operations.outbox_status(session, now=now)
        sent = session.scalar(select(func.count(Outbox.id)).where(Outbox.status == "sent")) or 0
        unsent = operations.unsent_rows(session)
    counts = {"sent": sent, **{name: status.counts.get(name, 0) for name in operations.NOT_SENT}}
    rows = [
        {
            "id": row.id,
            "status": row.status,
            "key": row.key,
            "method": row.method,
            "channel": row.channel,
            "attempts": row.attempts,
            "queued": row.created_at.isoformat(timespec="seconds"),
            "last_error": row.last_error,
        }
        for row in unsent
    ]
    data = {
        "counts": counts,
        "oldest_pending_seconds": status.oldest_pending_age,
        "oldest_due_seconds": status.oldest_due_age,
        "failed_and_dropped": rows,
    }
    lines = ["  ".join(f"{name} {count}" for name, count in counts.items())]
    if status.oldest_pending_age is not None:
        lines.append(f"oldest waiting: {_age(status.oldest_pending_age)}")
    if status.oldest_due_age is not None:
        lines.append(f"due longest: {_age(status.oldest_due_age)}")
    if rows:
        headers = ["id", "status", "key", "method", "channel", "attempts", "queued", "last_error"]
        lines += ["", table(headers, [[row[name] for name in headers] for row in rows])]
        lines += ["", "`kenniskring admin retry <id>` sends one again; `admin drop <id>` gives it up."]
    _print(arguments, data, "\n".join(lines))
    return 0


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _change(settings: Settings, arguments: argparse.Namespace, change: Callable[..., Outbox], done: str) -> int:
    try:
        with _sessions(settings).begin() as session:
            row = change(session)
            data = {"id": row.id, "status": row.status, "key": row.key, "channel": row.channel}
    except operations.NotChangeable as error:
        print(f"kenniskring: {error}.", file=sys.stderr)
        return 1
    _print(arguments, data, f"Message {row.id} ({row.key}, {row.channel}) {done}.")
    return 0


def _retry(settings: Settings, arguments: argparse.Namespace) -> int:
    return _change(
        settings,
        arguments,
        lambda session: operations.retry(session, row_id=arguments.id, now=utcnow()),
        "is pending again: the running bot sends it within a minute (or `kenniskring tick` now)",
    )


def _drop(settings: Settings, arguments: argparse.Namespace) -> int:
    return _change(
        settings,
        arguments,
        lambda session: operations.drop(session, row_id=arguments.id),
        "is dropped (kept, not sent)",
    )


def _person_export(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.messages import personal_data as messages
    from store import personal_data

    with _sessions(settings)() as session:
        scope = personal_data.Scope.team(session, arguments.team)
        found = personal_data.find(session, user_id=arguments.user_id, scope=scope)
    document = messages.document(found, locale=settings.locale, now=datetime.now(UTC), language=None)
    sys.stdout.write(messages.document_bytes(document).decode() + "\n")
    return 0


def _person_remove(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.services import filer_keys
    from store import personal_data

    if not arguments.yes:
        print("kenniskring: removal cannot be undone; add --yes to confirm.", file=sys.stderr)
        return 2
    with _sessions(settings).begin() as session:
        scope = personal_data.Scope.team(session, arguments.team)
        key = filer_keys(settings, session)
        changed = personal_data.remove(session, user_id=arguments.user_id, scope=scope, filer_key=key)
    print(f"Removed {arguments.user_id}: {changed} rows changed.")
    return 0
