"""`/agenda grafiek`: a chart of the goals' progress and the indicators against their targets, in the channel."""

from __future__ import annotations

from slack_sdk import WebClient

from bot import chart
from bot.blocks.effects import indicator_label, quantity
from bot.blocks.goals import progress_text
from bot.formatting import short_date
from bot.i18n import t
from bot.services import Services
from handlers.common import CommandInput
from store import circles, indicators
from store.errors import UserError

CHART_WORDS = ("grafiek", "chart")


def panels(found: indicators.Overview, locale: str) -> list[chart.Panel]:
    goals = [
        chart.Bar(entry.goal.name, float(entry.progress.percent or 0), progress_text(entry.progress, locale))
        for entry in found.goals
    ]
    measures = []
    for total in found.overall:
        if total.target is None:
            continue
        unit = total.indicator.unit
        note = t(
            "chart.note",
            locale,
            measured=quantity(total.measured, unit, locale),
            target=quantity(total.target, unit, locale),
        )
        measures.append(chart.Bar(indicator_label(total.indicator, locale), float(total.share or 0), note))
    return [
        chart.Panel(t("chart.goals", locale), goals),
        chart.Panel(t("chart.indicators", locale), measures),
    ]


def send_chart(services: Services, client: WebClient, request: CommandInput) -> None:
    """Draw the chart and share it in the circle's channel; nothing to draw is said to the one who asked."""
    locale = services.locale
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = indicators.overview(session, circle=circle)
        name, channel, today = circle.name, circle.channel_id, services.today(circle)
        drawn = panels(found, locale)
    if not any(panel.bars for panel in drawn):
        raise UserError("chart.nothing")
    image = chart.png(
        t("chart.title", locale, circle=name), drawn, t("chart.footer", locale, date=short_date(today, locale))
    )
    filename = f"{t('chart.file_name', locale)}-{today.isoformat()}.png"
    client.files_upload_v2(
        channel=channel,
        content=image,
        filename=filename,
        title=t("chart.title", locale, circle=name),
        initial_comment=t("chart.comment", locale, user=request.user_id),
    )
