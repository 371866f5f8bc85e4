"""The adopted execution agenda kept as the channel's canvas: created once, replaced with each new version.

Derived from the database like every scheduled job: a circle whose last adopted version is newer than the one its
canvas shows gets it written; a failure is retried on the next tick.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.theme_names import by_theme, theme_label
from bot.formatting import amount, long_date, short_date
from bot.i18n import t
from bot.services import Services
from store import meetings, versions
from store.models import AgendaVersion, Circle
from store.versions import FrozenActivity

log = logging.getLogger(__name__)


def markdown(circle: Circle, version: AgendaVersion, rows: list[FrozenActivity], zone: ZoneInfo) -> str:
    """The version as canvas markdown: per theme a table of activities with initiator, deadline, budget, status."""
    locale = circle.locale
    adopted = long_date(version.adopted_at.astimezone(zone).date(), locale)
    lines = [
        f"# {t('versie.canvas_title', locale, circle=circle.name)}",
        t("versie.canvas_intro", locale, number=version.number, date=adopted),
    ]
    for theme, group in by_theme(rows):
        lines += ["", f"## {theme_label(theme, locale)}", ""]
        lines.append(
            "| | "
            + " | ".join(t(f"agenda.field_{name}", locale) for name in ("title", "initiator", "deadline", "budget"))
            + " | Status |"
        )
        lines.append("|---|---|---|---|---|---|")
        for row in group:
            deadline = short_date(row.deadline, locale) if row.deadline else ""
            budget = amount(row.budget, locale) if row.budget is not None else ""
            title = row.title.replace("|", "/")
            status = t(f"agenda.status_{row.status}", locale)
            lines.append(f"| A-{row.number} | {title} | ![](@{row.initiator_id}) | {deadline} | {budget} | {status} |")
    return "\n".join(lines)


def sync(services: Services, client: WebClient | None = None) -> None:
    """Write the last adopted version to each circle's canvas that shows an older one, with its workspace's token."""
    with services.reading() as session:
        behind = versions.circles_behind_canvas(session)
    for circle_id, team_id in behind:
        writer = client or (services.workspaces.client(team_id) if services.workspaces else services.client)
        if writer is None:  # the workspace has no installation now: written when it is back
            continue
        try:
            _write(services, writer, circle_id)
        except (SlackApiError, OSError) as error:  # a canvas is a view of what is stored; the next tick retries
            log.warning("Canvas of circle %s not written: %s", circle_id, error)


def _write(services: Services, client: WebClient, circle_id: int) -> None:
    with services.transaction() as session:
        circle = session.get(Circle, circle_id)
        version = versions.latest(session, circle=circle)
        content = {
            "type": "markdown",
            "markdown": markdown(
                circle, version, versions.frozen_activities(session, version=version), meetings.zone(circle)
            ),
        }
        canvas_id, channel, number = circle.canvas_id, circle.channel_id, version.number
        title = t("versie.canvas_title", circle.locale, circle=circle.name)
    if canvas_id is None:
        canvas_id = _create(client, channel, title, content)
    else:
        client.api_call(
            "canvases.edit",
            json={"canvas_id": canvas_id, "changes": [{"operation": "replace", "document_content": content}]},
        )
    with services.transaction() as session:
        circle = session.get(Circle, circle_id)
        circle.canvas_id, circle.canvas_version = canvas_id, max(circle.canvas_version, number)


def _create(client: WebClient, channel: str, title: str, content: dict) -> str:
    """The channel's canvas, created with the content; when the channel has one already, that one is replaced."""
    try:
        reply = client.api_call(
            "conversations.canvases.create", json={"channel_id": channel, "title": title, "document_content": content}
        )
        return reply["canvas_id"]
    except SlackApiError as error:
        if error.response.get("error") != "channel_canvas_already_exists":
            raise
    info = client.conversations_info(channel=channel)
    canvas_id = info["channel"]["properties"]["canvas"]["file_id"]
    client.api_call(
        "canvases.edit",
        json={"canvas_id": canvas_id, "changes": [{"operation": "replace", "document_content": content}]},
    )
    return canvas_id
