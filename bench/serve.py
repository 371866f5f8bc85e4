"""A server process for the benchmarks: the bot as `kenniskring run --http` builds it, or a bare Bolt app.

Both sit behind the same waitress server (bot/web.py), so the difference between them is what the bot does.
The bare app only acknowledges. Prints `PORT <n>` once it listens; stops when its standard input closes.

With --afresh the bot keeps no answers (bot.answers): every page is read and made again, as right after a change.

Run by bench/__main__.py: python -m bench.serve [--bare | --afresh]  (settings from the environment, as in production)
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import threading

from slack_bolt import App
from slack_sdk import WebClient

from bot import runtime
from bot.answers import Answers
from bot.config import Settings, load_settings
from bot.web import ServerThread, make_server, wsgi_app
from store.db import make_engine


def bare_app(settings: Settings) -> App:
    """A Bolt app that acknowledges every command and event and does nothing else (its Web API client set up as
    the bot's, for the one auth.test Bolt makes)."""
    app = App(
        client=WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        token_verification_enabled=False,
        ssl_check_enabled=True,
    )

    @app.command(re.compile(".*"))
    def command(ack) -> None:
        ack()

    @app.event("app_home_opened")
    def home(ack) -> None:
        ack()

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--afresh", action="store_true")
    arguments = parser.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is 2" is what we measure
    settings = load_settings()
    if arguments.bare:
        engine = make_engine(settings.database_url)
        app = bare_app(settings)
    else:
        built = runtime.build(settings)
        engine, app = built.engine, built.app
        if arguments.afresh:
            built.services.answers = Answers(size=0)
    server = ServerThread(make_server(wsgi_app(app, engine), host="127.0.0.1", port=0)).start()
    print(f"PORT {server.port}", flush=True)
    stopped = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stopped.set()), daemon=True).start()
    stopped.wait()
    server.stop()


if __name__ == "__main__":
    main()
