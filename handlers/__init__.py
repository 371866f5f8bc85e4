"""Slack listeners, one module per command or action family; each module has `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services


def register_all(app: App, services: Services) -> None:
    from handlers import (
        activity_actions,
        agenda,
        home,
        hulpvraag,
        kenniskring,
        klaagpaal,
        lists,
        meeting,
        meeting_items,
        rhythm,
        voortgang,
    )

    features = (
        kenniskring,
        klaagpaal,
        hulpvraag,
        home,
        meeting,
        meeting_items,
        agenda,
        voortgang,
        activity_actions,
        rhythm,
        lists,
    )
    for module in features:
        module.register(app, services)
