"""The circle's effects as Slack shows them: indicators with totals, one activity's effects, and the short lines
for the agenda's point 3 and the App Home."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from bot.blocks.common import context, sections
from bot.formatting import babel_locale, short_date
from bot.i18n import t
from bot.slacktext import escape
from store.indicators import Total, latest
from store.models import Activity, Circle, Indicator
from store.vocabulary import DEFAULT_INDICATORS

DEFAULT_KEYS = {key for key, _, _ in DEFAULT_INDICATORS}


def indicator_label(indicator: Indicator, locale: str) -> str:
    if indicator.name:
        return indicator.name
    return t(f"effects.indicator_{indicator.key}", locale) if indicator.key in DEFAULT_KEYS else indicator.key


def quantity(value: Decimal | None, unit: str, locale: str) -> str:
    """`12,5 t`, `35%`, `€ 12.500`, or a dash when there is nothing."""
    if value is None:
        return t("effects.not_set", locale)
    number = format_decimal(value.normalize() if value == value.to_integral() else value, locale=babel_locale(locale))
    if unit == "€":
        return f"€ {number}"
    if unit == "%":
        return f"{number}%"
    return f"{number} {escape(unit)}".strip()


def total_text(total: Total, locale: str) -> str:
    unit, name = total.indicator.unit, escape(indicator_label(total.indicator, locale))
    measured, target = quantity(total.measured, unit, locale), quantity(total.target, unit, locale)
    if total.measured is None:
        return t("effects.target_only", locale, name=name, target=target)
    if total.target is None:
        return t("effects.measured_only", locale, name=name, measured=measured)
    if total.share is None:
        return t("effects.measured_target", locale, name=name, measured=measured, target=target)
    return t("effects.measured_toward", locale, name=name, measured=measured, target=target, share=total.share)


def totals_line(totals: list[Total], locale: str) -> str:
    return " · ".join(total_text(total, locale) for total in totals)


def agenda_line(totals: list[Total], locale: str) -> str:
    return t("effects.agenda_line", locale, totals=totals_line(totals, locale))


def listing(circle: Circle, indicators: list[Indicator], overall: list[Total], locale: str) -> dict:
    """Every indicator in use with the circle's total on it; the retired ones named at the end."""
    by_indicator = {total.indicator.id: total for total in overall}
    lines = []
    for indicator in [i for i in indicators if i.retired_at is None]:
        unit = t("effects.unit", locale, unit=escape(indicator.unit)) if indicator.unit else ""
        if indicator.aggregate == "mean":
            unit += t("effects.averaged", locale)
        name = escape(indicator_label(indicator, locale))
        lines.append(t("effects.line", locale, name=name, key=indicator.key, unit=unit))
        total = by_indicator.get(indicator.id)
        text = t("effects.total", locale, text=total_text(total, locale)) if total else None
        lines.append(text or t("effects.none_measured", locale))
    retired = [escape(indicator_label(i, locale)) for i in indicators if i.retired_at is not None]
    if retired:
        lines.append(t("effects.retired_line", locale, names=", ".join(retired)))
    payload = sections(t("effects.title", locale, circle=escape(circle.name)), lines, locale=locale, max_blocks=49)
    payload["blocks"].append(context(t("effects.how", locale)))
    return payload


def activity_effects(activity: Activity, locale: str) -> dict:
    """One activity: per indicator its baseline, target and every value measured."""
    title = t("effects.activity_title", locale, number=activity.number, title=escape(activity.title))
    lines = []
    for effect in activity.effects:
        unit = effect.indicator.unit
        last = latest(effect)
        lines.append(
            t(
                "effects.activity_line",
                locale,
                name=escape(indicator_label(effect.indicator, locale)),
                baseline=quantity(effect.baseline, unit, locale),
                target=quantity(effect.target, unit, locale),
                measured=quantity(last.value if last else None, unit, locale),
            )
        )
        for measurement in effect.measurements:
            value = quantity(measurement.value, unit, locale)
            day = short_date(measurement.measured_on, locale)
            lines.append(t("effects.activity_measurement", locale, date=day, value=value, user=measurement.author_id))
    if not lines:
        lines.append(t("effects.activity_none", locale, number=activity.number))
    payload = sections(title, lines, locale=locale)
    return payload
