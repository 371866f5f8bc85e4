"""Slack listeners, one module per command or action family; each module has `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services


def register_all(app: App, services: Services) -> None:
    from handlers import home, hulpvraag, kenniskring, klaagpaal

    for module in (kenniskring, klaagpaal, hulpvraag, home):
        module.register(app, services)
