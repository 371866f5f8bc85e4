"""`kenniskring admin`: what an operator does from the command line. `admin person export U123` prints everything the
bot keeps about one person (the document `/kenniskring mijn-gegevens` sends); `admin person remove U123 --yes`
removes it, as the person could themselves."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.config import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    admin = commands.add_parser("admin", help="operator tasks on the database")
    topics = admin.add_subparsers(dest="topic", required=True)
    person = topics.add_parser("person", help="one person's data (AVG): export or remove")
    actions = person.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="print everything kept about a person as JSON")
    export.add_argument("user_id", help="the person's Slack user id (U…)")
    export.add_argument("--team", help="only this workspace (T…)")
    export.set_defaults(handler=_export)
    remove = actions.add_parser("remove", help="remove a person's data: memberships deleted, their id replaced")
    remove.add_argument("user_id", help="the person's Slack user id (U…)")
    remove.add_argument("--team", help="only this workspace (T…)")
    remove.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    remove.set_defaults(handler=_remove)


def _session_factory(settings: Settings):
    from store.db import make_engine, make_session_factory, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    return make_session_factory(engine)


def _export(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.messages import personal_data as messages
    from store import personal_data

    with _session_factory(settings)() as session:
        scope = personal_data.Scope.team(session, arguments.team)
        found = personal_data.find(session, user_id=arguments.user_id, scope=scope)
    document = messages.document(found, locale=settings.locale, now=datetime.now(UTC), language=None)
    sys.stdout.write(messages.document_bytes(document).decode() + "\n")
    return 0


def _remove(settings: Settings, arguments: argparse.Namespace) -> int:
    from store import keys, personal_data

    if not arguments.yes:
        print("kenniskring: removal cannot be undone; add --yes to confirm.", file=sys.stderr)
        return 2
    with _session_factory(settings).begin() as session:
        scope = personal_data.Scope.team(session, arguments.team)
        key = settings.secret_key.get_secret_value().encode() if settings.secret_key else keys.instance_secret(session)
        changed = personal_data.remove(session, user_id=arguments.user_id, scope=scope, filer_key=key)
    print(f"Removed {arguments.user_id}: {changed} rows changed.")
    return 0
