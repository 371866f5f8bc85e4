"""Putting the pieces together for a running process: database, services, app, clock."""

from __future__ import annotations

import gc
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass

from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app, make_services
from bot.config import Settings
from bot.services import Services
from bot.web import THREADS
from store.db import make_engine, make_session_factory, migrate


@dataclass
class Runtime:
    engine: Engine
    services: Services
    app: App


def build(settings: Settings, *, listener_executor: Executor | None = None, **service_options: object) -> Runtime:
    """Open the database, bring its schema up to date, and build the app on it.

    Listeners (the threads that answer Slack) get a pool as large as the web server's, so every request being
    served has one; slow work after the acknowledgement has a pool of its own (`background`, see make_services).
    """
    engine = make_engine(settings.database_url)
    migrate(engine)
    services = make_services(settings, make_session_factory(engine), **service_options)
    answering = listener_executor or ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="answer")
    built = Runtime(engine=engine, services=services, app=create_app(services, listener_executor=answering))
    settle()
    return built


def settle() -> None:
    """Take what start-up made (modules, mappers, catalogues, the app) out of the garbage collector's sight.

    It lives as long as the process, yet every full collection would walk it again: with a few hundred thousand
    objects that stops every thread for 100-200 ms, and every request in flight waits that long. Frozen, a full
    collection walks only what serving made since; what was garbage at start-up is collected first.
    """
    gc.collect()
    gc.freeze()
