"""The App Home tab: per circle, my activities, what waits for my update, open help requests, the next meeting."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import SHOWN, home_view
from bot.errors_handler import guarded
from bot.services import Services
from store import workspaces
from store.home import circles_of, overview


def register(app: App) -> None:
    app.event("app_home_opened")(guarded(home_opened))


def home_opened(event: dict, body: dict, client: WebClient, services: Services) -> None:
    if event.get("tab", "home") != "home":
        return
    publish(services, client, event["user"], body.get("team_id"))


def publish(services: Services, client: WebClient, user_id: str, team_id: str | None) -> None:
    """Show this person's App Home as it is then, in their language; called when they open it and after they act.
    Done after the acknowledgement, in the background pool: a burst of opens never holds up commands, and opens of
    one person that wait together are published once."""
    services.after_ack(lambda: _publish(services, client, user_id, team_id), key=f"home:{team_id}:{user_id}")


def _publish(services: Services, client: WebClient, user_id: str, team_id: str | None) -> None:
    locale = services.locale_for(user_id, team_id)
    with services.transaction() as session:
        resumed = workspaces.take_resumed(session, circles=circles_of(session, team_id=team_id, user_id=user_id))
        names = [circle.name for circle in resumed]
    with services.reading() as session:
        found = overview(session, team_id=team_id, user_id=user_id, now=services.now(), shown=SHOWN)
        view = home_view(found, locale, resumed=names)
    client.views_publish(user_id=user_id, view=view)
