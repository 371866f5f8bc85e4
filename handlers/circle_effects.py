"""`/kenniskring indicatoren`, `indicator <naam>`, `effect A-3 co2 basis:… streef:…`, `meting A-3 co2 12,5`:
measuring the effects of the circle's work."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks import effects as blocks
from bot.blocks.effects import indicator_label, quantity
from bot.formatting import short_date
from bot.i18n import t
from bot.parsing import parse_date, parse_number
from bot.services import Services
from bot.slacktext import clean, escape
from handlers import circle_words
from handlers.circle_words import RETIRE_WORDS, keyed, last_word
from handlers.common import CommandInput
from store import activities, circles
from store import indicators as store
from store.errors import UserError

INDICATOR_KEYS = {"eenheid": "unit", "unit": "unit", "telling": "aggregate", "count": "aggregate"}
AIM_KEYS = {"basis": "baseline", "baseline": "baseline", "streef": "target", "target": "target"}
DATE_KEYS = {"datum": "date", "date": "date", "op": "date"}


def listing(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = store.listing(session, circle=circle, retired=True)
        return blocks.listing(circle, found, store.overall(session, circle=circle), services.locale)


def indicator(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """A coordinator adds an indicator of the circle's own, or retires one."""
    free, values = keyed(clean(request.rest, required=False), INDICATOR_KEYS)
    free, retire = last_word(free, RETIRE_WORDS)
    if not free:
        raise UserError("effects.name_missing")
    locale = services.locale
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        if retire:
            found = store.resolve(session, circle=circle, text=free)
            store.retire(session, circle=circle, actor_id=request.user_id, indicator=found, now=services.now())
            return {"text": t("effects.retired", locale, name=escape(indicator_label(found, locale)))}
        unit = values.get("unit", "")
        aggregate = values.get("aggregate") or ("mean" if unit == "%" else "sum")
        found = store.add(session, circle=circle, actor_id=request.user_id, name=free, unit=unit, aggregate=aggregate)
        return {"text": t("effects.added", locale, name=escape(found.name or found.key), key=found.key)}


def _activity_and_rest(request: CommandInput) -> tuple[int, list[str], dict[str, str], dict[str, str]]:
    free, aim = keyed(clean(request.rest, required=False), AIM_KEYS)
    free, when = keyed(free, DATE_KEYS)
    words = free.split()
    if not words:
        raise UserError("effects.which")
    return parse_number(words[0], "A"), words[1:], aim, when


def effect(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """`effect A-3` shows an activity's effects; with an indicator, `basis:` and `streef:` set them."""
    number, words, aim, _ = _activity_and_rest(request)
    locale = services.locale
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        activity = activities.get(session, circle=circle, number=number)
        if not words and not aim:
            return blocks.activity_effects(activity, locale)
        if not words:
            raise UserError("effects.which")
        found = store.resolve(session, circle=circle, text=" ".join(words))
        baseline = circle_words.quantity(aim["baseline"]) if "baseline" in aim else None
        target = circle_words.quantity(aim["target"]) if "target" in aim else None
        result = store.aim(
            session, circle=circle, actor_id=request.user_id, activity=activity, indicator=found,
            baseline=baseline, target=target,
        )  # fmt: skip
        return {
            "text": t(
                "effects.aimed",
                locale,
                number=number,
                name=escape(indicator_label(found, locale)),
                baseline=quantity(result.baseline, found.unit, locale),
                target=quantity(result.target, found.unit, locale),
            )
        }


def measurement(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """`meting A-3 co2 12,5 [datum:1-3-2027]`: the value is the last word, the indicator what comes between."""
    number, words, _, when = _activity_and_rest(request)
    if len(words) < 2:
        raise UserError("effects.value_missing")
    value = circle_words.quantity(words[-1])
    locale = services.locale
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        today = services.today(circle)
        on = parse_date(when["date"], today=today) if "date" in when else today
        activity = activities.get(session, circle=circle, number=number)
        found = store.resolve(session, circle=circle, text=" ".join(words[:-1]))
        store.measure(
            session, circle=circle, actor_id=request.user_id, activity=activity, indicator=found, value=value,
            on=on, today=today,
        )  # fmt: skip
        name = escape(indicator_label(found, locale))
        shown = quantity(value, found.unit, locale)
    return {"text": t("effects.measured", locale, number=number, name=name, value=shown, date=short_date(on, locale))}
