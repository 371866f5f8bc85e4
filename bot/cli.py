"""The `kenniskring` command: run the bot, do due work once (`tick`), try it without Slack (`console`), or print
the Slack app's manifest for HTTP mode (`manifest --url`)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot import admin
from bot.config import ConfigError, Settings, load_settings

TICK_DRAIN = 45.0  # seconds a tick from cron (every minute) goes on sending what waits for its turn at Slack


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    _quiet_logging()
    if arguments.command == "manifest":  # needs no settings: it only reads manifest.yml
        return _manifest(arguments)
    try:
        settings = load_settings()
        return arguments.handler(settings, arguments)
    except ConfigError as error:
        print(f"kenniskring: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:  # the database did not answer: one sentence, not a chained traceback
        print(f"kenniskring: {_unreachable(settings, error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _quiet_logging() -> None:
    """A normal start prints one line saying where it serves; the migration tool's chatter stays out."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _unreachable(settings: Settings, error: OperationalError) -> str:
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else "no answer"
    return f"DATABASE_URL is wrong or the database is down: {where} does not answer ({reason})."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kenniskring", description="Slack app for a regionale kenniskring.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot (Socket Mode, or HTTP with --http; the console without tokens)")
    run.add_argument("--http", action="store_true", help="serve Slack's HTTP requests on POST /slack/events")
    run.add_argument("--port", type=int, default=3000, help="the port for --http (default 3000)")
    run.add_argument("--host", default="0.0.0.0", help="the address for --http to listen on (default all)")
    run.set_defaults(handler=_run)
    tick = commands.add_parser("tick", help="do all scheduled work due at a moment, once, and exit")
    tick.add_argument("--now", type=_moment, default=None, help="ISO-8601 moment (default: now)")
    tick.set_defaults(handler=_tick)
    console = commands.add_parser(
        "console",
        help="the bot without Slack, against a built-in stand-in",
        description="The real bot against a built-in stand-in for Slack: type slash commands, press buttons by "
        "number, move the clock with `:tick 2026-12-08 09:00`. What you enter is stored in DATABASE_URL.",
    )
    console.set_defaults(handler=_console)
    export = commands.add_parser("export", help="write the execution agenda with its progress history to a file")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--channel", help="the circle bound to this Slack channel (C…)")
    which.add_argument("--circle", type=int, help="the circle's id in the database")
    export.add_argument("--team", help="the workspace (T…), when several share the database")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--output", help="the file to write (default: a name with circle, version and date)")
    export.set_defaults(handler=_export)
    admin.add_parser(commands)
    manifest = commands.add_parser(
        "manifest",
        help="print the Slack app's manifest for HTTP mode",
        description="Print manifest.yml with Socket Mode off and every request URL (each slash command, events, "
        "interactivity) set to <url>/slack/events, to paste at api.slack.com/apps.",
    )
    manifest.add_argument("--url", required=True, help="where Slack reaches the bot, e.g. https://kk.example.nl")
    return parser


def _manifest(arguments: argparse.Namespace) -> int:
    from bot.manifest import as_yaml, http_manifest

    try:
        print(as_yaml(http_manifest(arguments.url)), end="")
    except ValueError as error:
        print(f"kenniskring: {error}", file=sys.stderr)
        return 2
    return 0


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO-8601 moment such as 2026-12-08T09:00") from None
    return moment


def _run(settings: Settings, arguments: argparse.Namespace) -> int:
    if not settings.has_slack:
        print("SLACK_BOT_TOKEN is not set: starting the console instead (see README).", file=sys.stderr)
        return _console(settings, arguments)
    from bot import runtime, scheduler

    if arguments.http:
        settings.require("SLACK_SIGNING_SECRET")
    else:
        settings.require("SLACK_APP_TOKEN")
    built = runtime.build(settings)
    clock = scheduler.start(built.services)
    built.services.deliver()  # whatever waited while the bot was down
    try:
        if arguments.http:
            from bot.web import make_server, wsgi_app

            server = make_server(wsgi_app(built.app, built.engine), host=arguments.host, port=arguments.port)
            logging.getLogger(__name__).info(
                "Serving Slack on http://%s:%s/slack/events", arguments.host, arguments.port
            )
            server.run()
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(built.app, settings.slack_app_token).start()
    finally:
        clock.shutdown(wait=False)
    return 0


def _tick(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot import runtime, scheduler

    settings.require("SLACK_BOT_TOKEN")
    now = arguments.now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=settings.zone)
    built = runtime.build(settings)
    failed = scheduler.run_due(built.services, now.astimezone(UTC), drain_for=TICK_DRAIN)
    if failed:
        print(f"kenniskring: scheduled work failed ({', '.join(failed)}); see the log above.", file=sys.stderr)
        return 1
    return 0


def _console(settings: Settings, arguments: argparse.Namespace) -> int:
    # Set before the import: the migration tooling logs while it loads, and that would bury the welcome screen.
    logging.getLogger().setLevel(logging.WARNING)
    from bot.console import run_console

    return run_console(settings)


def _export(settings: Settings, arguments: argparse.Namespace) -> int:
    """The same file `/agenda export` sends, written to disk; names from Slack when a bot token is set."""
    from bot import export
    from store import circles, meetings
    from store.db import make_engine, make_session_factory, migrate

    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        print(
            f"kenniskring: there is no database at {missing} yet (DATABASE_URL), so no circle to export.",
            file=sys.stderr,
        )
        return 1
    engine = make_engine(settings.database_url)
    migrate(engine)
    with make_session_factory(engine)() as session:
        try:
            circle = circles.find_for_operator(
                session, channel_id=arguments.channel, team_id=arguments.team, circle_id=arguments.circle
            )
        except LookupError as error:
            print(f"kenniskring: {error}.", file=sys.stderr)
            return 1
        today, zone = meetings.local_today(circle, datetime.now(UTC)), meetings.zone(circle)
        report = export.gather(session, circle=circle, today=today, zone=zone, locale=settings.locale)
    names = _slack_names(settings, report.user_ids())
    content = export.xlsx(report, names.get) if arguments.format == "xlsx" else export.csv_bytes(report, names.get)
    path = Path(arguments.output or export.file_name(report, arguments.format))
    path.write_bytes(content)
    version = f"{report.version.number}{'+' if report.version.changed else ''}"
    print(f"{path} ({len(report.activities)} activities, version {version})")
    return 0


def _missing_sqlite_file(url: str) -> str | None:
    """The SQLite file a read-only command would create by opening it, when it does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if Path(parsed.database).exists() else parsed.database


def _slack_names(settings: Settings, user_ids: list[str]) -> dict[str, str]:
    from bot.export import user_names

    if not settings.has_slack:
        return {user: user for user in user_ids}
    from bot.app import make_client

    return user_names(make_client(settings), user_ids)
