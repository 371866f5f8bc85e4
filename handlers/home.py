"""The App Home tab: the circles someone belongs to and how to reach every command."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.blocks.common import section
from bot.i18n import t
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        view = View(type="home", blocks=[section(t("help.kenniskring", services.locale))])
        client.views_publish(user_id=event["user"], view=view.to_dict())
