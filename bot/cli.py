"""The `kenniskring` command: run the bot, do due work once (`tick`), or try it without Slack (`console`)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from bot.config import ConfigError, Settings, load_settings

TICK_DRAIN = 45.0  # seconds a tick from cron (every minute) goes on sending what waits for its turn at Slack


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        return arguments.handler(settings, arguments)
    except ConfigError as error:
        print(f"kenniskring: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kenniskring", description="Slack app for a regionale kenniskring.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot (Socket Mode, or HTTP with --http; the console without tokens)")
    run.add_argument("--http", action="store_true", help="serve Slack's HTTP requests on POST /slack/events")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--host", default="0.0.0.0")
    run.set_defaults(handler=_run)
    tick = commands.add_parser("tick", help="do all scheduled work due at a moment, once, and exit")
    tick.add_argument("--now", type=_moment, default=None, help="ISO-8601 moment (default: now)")
    tick.set_defaults(handler=_tick)
    console = commands.add_parser("console", help="the bot without Slack, against a built-in stand-in")
    console.set_defaults(handler=_console)
    export = commands.add_parser("export", help="write the execution agenda with its progress history to a file")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--channel", help="the circle bound to this Slack channel (C…)")
    which.add_argument("--circle", type=int, help="the circle's id in the database")
    export.add_argument("--team", help="the workspace (T…), when several share the database")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--output", help="the file to write (default: a name with circle, version and date)")
    export.set_defaults(handler=_export)
    return parser


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

    now = arguments.now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=settings.zone)
    built = runtime.build(settings)
    scheduler.run_due(built.services, now.astimezone(UTC), drain_for=TICK_DRAIN)
    return 0


def _console(settings: Settings, arguments: argparse.Namespace) -> int:
    # Set before the import: the migration tooling logs while it loads, and that would bury the welcome screen.
    logging.getLogger().setLevel(logging.WARNING)
    from bot.console import run_console

    return run_console(settings)


def _export(settings: Settings, arguments: argparse.Namespace) -> int:
    """The same file `/agenda export` sends, written to disk; names from Slack when a bot token is set."""
    from pathlib import Path

    from bot import export
    from store import circles
    from store.db import make_engine, make_session_factory, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    today = datetime.now(settings.zone).date()
    with make_session_factory(engine)() as session:
        try:
            circle = circles.find_for_operator(
                session, channel_id=arguments.channel, team_id=arguments.team, circle_id=arguments.circle
            )
        except LookupError as error:
            print(f"kenniskring: {error}.", file=sys.stderr)
            return 1
        report = export.gather(session, circle=circle, today=today, zone=settings.zone, locale=settings.locale)
    names = _slack_names(settings, report.user_ids())
    content = export.xlsx(report, names.get) if arguments.format == "xlsx" else export.csv_bytes(report, names.get)
    path = Path(arguments.output or export.file_name(report, arguments.format))
    path.write_bytes(content)
    print(f"{path} ({len(report.activities)} activities, version {report.version})")
    return 0


def _slack_names(settings: Settings, user_ids: list[str]) -> dict[str, str]:
    from bot.export import user_names

    if not settings.has_slack:
        return {user: user for user in user_ids}
    from bot.app import make_client

    return user_names(make_client(settings), user_ids)
