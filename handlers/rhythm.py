"""`/kenniskring instellingen`: read the circle's rhythm, and let coordinators change it (form or one line)."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import rhythm as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.parsing.rhythm import parse_rhythm, parse_settings
from bot.services import Services
from handlers.common import CommandInput, Origin, confirm
from store import circles
from store import rhythm as store


def register(app: App) -> None:
    app.view("circle_settings")(guarded(submitted))


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, user = Origin.of(view), body["user"]["id"]
    answer = save(services, origin.team_id, origin.channel_id, user, state_values(view))
    ack()
    confirm(services, origin.channel_id, user, answer)


def instellingen(services: Services, request: CommandInput, client: WebClient) -> dict:
    """Bare: the summary (with the form for coordinators); with words: change those settings at once."""
    locale = request.locale(services)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        coordinator = circles.is_coordinator(session, circle=circle, user_id=request.user_id)
        if request.rest.strip():
            values = parse_settings(request.rest)
        else:
            if coordinator:
                client.views_open(
                    trigger_id=request.trigger_id, view=blocks.settings_modal(circle, locale, request.origin())
                )
            return blocks.summary(circle, locale, coordinator=coordinator)
    return {"text": save(services, request.team_id, request.channel_id, request.user_id, values)}


def save(services: Services, team_id: str, channel_id: str | None, user_id: str, values: dict[str, str]) -> str:
    locale = services.locale_for(user_id, team_id, channel_id)
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id)
        changed = store.configure(
            session, circle=circle, actor_id=user_id, rhythm=parse_rhythm(values, store.Rhythm.of(circle))
        )
    if not changed:
        return t("settings.unchanged", locale)
    names = ", ".join(t(f"settings.field_{name}", locale) for name in changed)
    return t("settings.saved", locale, changed=names)
