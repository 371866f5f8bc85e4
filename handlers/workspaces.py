"""A workspace removing the bot (app_uninstalled) or revoking its token (tokens_revoked): its circles pause, when
the bot is installed per workspace (OAuth).

Its installation is deleted, so no request or message uses the dead token; the circles keep everything and go on
when the workspace installs the bot again (bot.app: the installation store's `on_installed`).
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.errors_handler import guarded
from bot.services import Services
from store import workspaces

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.event("app_uninstalled")(guarded(uninstalled))
    app.event("tokens_revoked")(guarded(revoked))


def uninstalled(body: dict, services: Services) -> None:
    pause(services, body.get("team_id"), body.get("enterprise_id"))


def revoked(event: dict, body: dict, services: Services) -> None:
    """Only the bot's own tokens matter: a user token revoked changes nothing the bot does."""
    if (event.get("tokens") or {}).get("bot"):
        pause(services, body.get("team_id"), body.get("enterprise_id"))


def pause(services: Services, team_id: str | None, enterprise_id: str | None) -> None:
    """With one SLACK_BOT_TOKEN there is no install to come back through: the operator sets a new token instead."""
    if not team_id or services.installations is None or services.workspaces is None:
        return
    services.installations.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
    services.installations.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
    services.workspaces.forget(team_id)
    with services.transaction() as session:
        paused = workspaces.pause(session, team_id=team_id)
    log.info("Workspace %s removed the bot: circles %s paused", team_id, paused)
