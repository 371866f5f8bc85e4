"""`/kenniskring instellingen`: read the circle's rhythm, and let coordinators change it (form or one line)."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import words
from bot.blocks import rhythm as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.services import Services
from handlers.common import CommandInput, Origin, confirm
from store import circles
from store import rhythm as store
from store.errors import UserError
from store.models import Circle


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
            values = _words(request.rest)
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
        changed = store.configure(session, circle=circle, actor_id=user_id, rhythm=_rhythm(circle, values))
    if not changed:
        return t("settings.unchanged", locale)
    names = ", ".join(t(f"settings.field_{name}", locale) for name in changed)
    return t("settings.saved", locale, changed=names)


def _rhythm(circle: Circle, values: dict[str, str | None]) -> store.Rhythm:
    current = store.Rhythm.of(circle)

    def given(name: str) -> str | None:
        value = values.get(name)
        return value.strip() if value and value.strip() else None

    lead, at, days, stale = (given(n) for n in ("agenda_lead_days", "post_time", "nudge_days", "stale_after_days"))
    return store.Rhythm(
        agenda_lead_days=current.agenda_lead_days
        if lead is None
        else store.whole_number(lead, field="agenda_lead_days", low=0, high=store.MAX_LEAD_DAYS),
        post_time=current.post_time if at is None else store.post_time(at),
        nudge_days=current.nudge_days if days is None else store.nudge_days(days),
        stale_after_days=current.stale_after_days
        if stale is None
        else store.whole_number(stale, field="stale_after_days", low=0, high=store.MAX_STALE_DAYS),
    )


def _words(text: str) -> dict[str, str]:
    """`agenda:3 tijd:08:30 herinneringen:21,7,1 stil:28` (a space after the colon is fine too)."""
    values: dict[str, str] = {}
    name = None
    for word in text.split():
        key, colon, rest = word.partition(":")
        setting = words.meaning(words.SETTINGS, key) if colon else None
        if setting is not None:
            name = setting
            values[name] = rest
        elif name is not None:
            values[name] = f"{values[name]} {word}".strip()
        else:
            raise UserError("settings.unknown_word", word=word[:30])
    return values
