"""The `kenniskring` command: run the bot, do due work once (`tick`), or try it without Slack (`console`)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from bot.config import ConfigError, Settings, load_settings


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
    scheduler.run_due(built.services, now.astimezone(UTC))
    return 0


def _console(settings: Settings, arguments: argparse.Namespace) -> int:
    # Set before the import: the migration tooling logs while it loads, and that would bury the welcome screen.
    logging.getLogger().setLevel(logging.WARNING)
    from bot.console import run_console

    return run_console(settings)
