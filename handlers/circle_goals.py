"""`/kenniskring doelen` and `/kenniskring doel <naam> [A-3:2 …]`: the circle's common goals and what serves them."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient

from bot.blocks import goals as blocks
from bot.i18n import t
from bot.parsing import is_whole_number
from bot.services import Services
from bot.slacktext import clean, escape
from handlers.circle_words import RESTORE_WORDS, RETIRE_WORDS, keyed, last_word
from handlers.common import CommandInput
from store import activities, circles, goal_links
from store import goals as store
from store.errors import NotFound, UserError
from store.models import Circle

KEYS = {"naam": "name", "name": "name"}
LINK = re.compile(r"(?i)^A-?([0-9]{1,6})(?:[:=](\S*))?$")


def listing(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        return blocks.listing(circle, store.listing(session, circle=circle, retired=True), services.locale)


def split_links(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`Minder CO2 A-3:2 A-5` → ("Minder CO2", [(3, 2), (5, 1)]): activities, with weights, at the end."""
    words = text.split()
    links: list[tuple[int, int]] = []
    while words and (match := LINK.match(words[-1])):
        weight = match.group(2)
        if weight is not None and not is_whole_number(weight):
            raise UserError("goals.weight_format", text=words[-1][:40])
        links.insert(0, (int(match.group(1)), int(weight) if weight else 1))
        words.pop()
    return " ".join(words), links


def goal(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """Show a goal, or set a new one; link activities with weights; rename, retire or restore (coordinators)."""
    free, values = keyed(clean(request.rest, required=False), KEYS)
    free, links = split_links(free)
    free, retire = last_word(free, RETIRE_WORDS)
    free, restore = (free, False) if retire else last_word(free, RESTORE_WORDS)
    if not free:
        raise UserError("goals.which")
    locale, actor = services.locale, request.user_id
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = store.find(session, circle=circle, text=free) if (retire or restore or values) else None
        if found is None and (retire or restore or values):
            raise NotFound("goals.unknown", text=free[:40], goals="—")
        if retire:
            store.retire(session, circle=circle, actor_id=actor, goal=found, now=services.now())
            return {"text": t("goals.retired", locale, name=escape(found.name))}
        if restore:
            store.restore(session, circle=circle, actor_id=actor, goal=found)
            return {"text": t("goals.restored", locale, name=escape(found.name))}
        if "name" in values:
            store.rename(session, circle=circle, actor_id=actor, goal=found, name=values["name"])
            return {"text": t("goals.renamed", locale, name=escape(found.name))}
        found = store.find(session, circle=circle, text=free)
        if found is None:
            found = store.add(session, circle=circle, actor_id=actor, name=free, now=services.now())
            if not links:
                return {"text": t("goals.added", locale, name=escape(found.name))}
        if not links:
            return blocks.detail(found, locale)
        return {"text": _weigh(session, circle, actor, found, links, locale)}


def _weigh(session, circle: Circle, actor: str, found, links: list[tuple[int, int]], locale: str) -> str:
    said = []
    for number, weight in links:
        activity = activities.get(session, circle=circle, number=number)
        goal_links.weigh(session, circle=circle, actor_id=actor, goal=found, activity=activity, weight=weight)
        said.append(f"A-{number} ×{weight}")
    return t("goals.weighed", locale, name=escape(found.name), links=", ".join(said))
