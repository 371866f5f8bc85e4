"""Putting the pieces together for a running process: database, services, app, clock."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app, make_services
from bot.config import Settings
from bot.services import Services
from store.db import make_engine, make_session_factory, migrate


@dataclass
class Runtime:
    engine: Engine
    services: Services
    app: App


def build(settings: Settings, *, listener_executor: Executor | None = None, **service_options: object) -> Runtime:
    """Open the database, bring its schema up to date, and build the app on it."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    services = make_services(settings, make_session_factory(engine), **service_options)
    return Runtime(engine=engine, services=services, app=create_app(services, listener_executor=listener_executor))
