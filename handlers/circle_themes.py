"""`/kenniskring themas` and `/kenniskring thema <naam> ambitie:… niveau:… naam:…`: the circle's own themes."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks import themes as blocks
from bot.blocks.execution_agenda import theme_label
from bot.i18n import t
from bot.services import Services
from bot.slacktext import clean, escape
from handlers.circle_words import RESTORE_WORDS, RETIRE_WORDS, keyed, last_word, whole
from handlers.common import CommandInput
from store import circles, meetings
from store import themes as store
from store.errors import NotFound, UserError
from store.vocabulary import MAX_LEVEL

KEYS = {
    "ambitie": "ambition",
    "ambition": "ambition",
    "niveau": "level",
    "level": "level",
    "naam": "name",
    "name": "name",
}


def listing(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = store.listing(session, circle=circle, retired=True)
        return blocks.listing(circle, found, store.counts(session, circle=circle), services.locale)


def theme(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """Show a theme; add it when it is new; change, retire or restore it (coordinators)."""
    free, values = keyed(clean(request.rest, required=False), KEYS)
    free, retire = last_word(free, RETIRE_WORDS)
    free, restore = (free, False) if retire else last_word(free, RESTORE_WORDS)
    if not free:
        raise UserError("themes.which")
    level = whole(values["level"], key="themes.level_range", low=1, high=MAX_LEVEL) if "level" in values else None
    locale, now = services.locale, services.now()
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = store.find(session, circle=circle, text=free)
        if found is None and (retire or restore):
            raise NotFound("themes.unknown", text=free[:40])
        if found is not None and not (values or retire or restore):
            return blocks.detail(
                found, store.counts(session, circle=circle).get(found.key, 0), locale, meetings.zone(circle)
            )
        actor = request.user_id
        if found is None:
            found = store.add(session, circle=circle, actor_id=actor, name=free, now=now)
            store.change(session, circle=circle, actor_id=actor, theme=found, ambition=values.get("ambition"),
                         level=level, now=now)  # fmt: skip
            return {"text": t("themes.added", locale, name=escape(theme_label(found, locale)), key=found.key)}
        if retire:
            store.retire(session, circle=circle, actor_id=actor, theme=found, now=now)
            return {"text": t("themes.retired", locale, name=escape(theme_label(found, locale)))}
        if restore:
            store.restore(session, circle=circle, actor_id=actor, theme=found, now=now)
            return {"text": t("themes.restored", locale, name=escape(theme_label(found, locale)))}
        changed = store.change(
            session, circle=circle, actor_id=actor, theme=found, name=values.get("name"),
            ambition=values.get("ambition"), level=level, now=now,
        )  # fmt: skip
        name = escape(theme_label(found, locale))
    if not changed:
        return {"text": t("themes.unchanged", locale, name=name)}
    fields = ", ".join(t(f"themes.field_{field}", locale) for field in changed)
    return {"text": t("themes.changed", locale, name=name, changes=fields)}
