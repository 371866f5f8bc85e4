"""`/agenda vaststellen`, `/agenda versie 3`, `/agenda export versie:3`: the agenda as a document the circle adopts,
and what it learned (`/agenda lessen`, `/agenda zoek`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import canvas, export, words
from bot.blocks import versions as blocks
from bot.blocks.execution_agenda import theme_label
from bot.blocks.versions import version_label
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import versions as messages
from bot.parsing import is_whole_number, parse_theme
from bot.services import Services
from bot.slacktext import escape
from handlers.common import ActionInput, CommandInput
from store import circles, lessons, meetings, themes, versions
from store.errors import UserError
from store.models import Circle

FILTER_LIMIT = 200

CYCLE = ("adopt", "version", "lessons", "search")  # what these `/agenda` words mean (bot/words.py)
EXPORT_VERSION = re.compile(r"^(?:versie|version)\s*[:=]?\s*(\S*)\s*(xlsx|excel|csv)?\s*$", re.IGNORECASE)


def handles(request: CommandInput) -> bool:
    """Whether the `/agenda` text is one of the cycle's subcommands (an export names a version)."""
    word = words.meaning(words.AGENDA, request.head)
    if word in CYCLE:
        return True
    return word == "export" and bool(EXPORT_VERSION.match(request.rest.strip()))


def command(services: Services, request: CommandInput, client: WebClient, ack: Ack) -> None:
    word, locale = words.meaning(words.AGENDA, request.head), request.locale(services)
    if word == "adopt":
        ack(adopt(services, request, locale))
        services.deliver()
        canvas.sync(services, client)
    elif word == "version":
        ack(**show_version(services, request, request.rest.strip(), locale))
    elif word in ("lessons", "search"):
        with services.transaction() as session:
            circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        kind = "lessen" if word == "lessons" else "zoek"
        ack(**found_page(services, circle.id, kind, request.rest.strip()[:FILTER_LIMIT], 1, locale))
    else:
        number, kind = _export_words(request.rest)
        ack(t("agenda.export_started", locale, format=kind.upper()))
        send_version_export(services, client, request, number, kind, locale)


def register(app: App) -> None:
    app.action("agenda_cycle_page")(guarded(page))


def page(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    kind, circle_id, filters, number = _page_value(action.value)
    respond(
        **found_page(services, circle_id, kind, filters, number, action.locale(services), reach=action.reach),
        replace_original=True,
    )


def _page_value(value: str) -> tuple[str, int, str, int]:
    kind, circle_id, rest = (value.split("|", 2) + ["", ""])[:3]
    filters, _, number = rest.rpartition("|")
    if kind not in ("lessen", "zoek") or not is_whole_number(circle_id) or not is_whole_number(number):
        raise UserError("common.unexpected")
    return kind, int(circle_id), filters, int(number)


def found_page(
    services: Services,
    circle_id: int,
    kind: str,
    filters: str,
    page: int,
    locale: str,
    reach: Callable[[Session, Circle], None] | None = None,
) -> dict:
    """`/agenda lessen [thema]`: lessons newest first; `/agenda zoek <woorden>`: everything that holds them (from a
    page button, of the circle it names if `reach` allows it)."""
    value = f"{kind}|{circle_id}|{filters}"
    with services.transaction() as session:
        circle = session.get(Circle, circle_id)
        if circle is None:
            raise UserError("circle.none_here")
        if reach is not None:
            reach(session, circle)
        zone = meetings.zone(circle)
        if kind == "lessen":
            theme = themes.resolve(session, circle=circle, text=parse_theme(filters), retired=True) if filters else None
            hits = lessons.lessons(session, circle=circle, theme=theme.key if theme else None)
            label = t("versie.lessons_filter", locale, theme=escape(theme_label(theme, locale))) if theme else ""
            title = t("versie.lessons_title", locale, count=len(hits), filter=label)
            lines = [blocks.hit_line(hit, zone, locale, lesson=True) for hit in hits]
            empty = t("versie.lessons_empty", locale)
        else:
            if not filters.split():
                raise UserError("versie.search_usage")
            hits = lessons.search(session, circle=circle, words=filters.split())
            shown = escape(filters)
            title = t("versie.search_title", locale, words=shown, count=len(hits))
            lines = [blocks.hit_line(hit, zone, locale) for hit in hits]
            empty = t("versie.search_empty", locale, words=shown)
    return blocks.hits_page(title, lines, page=page, action_value=value, locale=locale, empty=empty)


def adopt(services: Services, request: CommandInput, locale: str) -> str:
    """A coordinator adopts the agenda as it is now as the next version; the channel hears what changed."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        version, found = versions.adopt(session, circle=circle, user_id=request.user_id, now=services.now())
        messages.adopted(session, circle=circle, version=version, found=found)
        return t("versie.adopted", locale, number=version.number)


def _number(text: str) -> int | None:
    word = text.strip().lower().removeprefix("v")
    if not word:
        return None
    if not is_whole_number(word) or len(word) > 6:
        raise UserError("versie.number_format")
    return int(word)


def show_version(services: Services, request: CommandInput, text: str, locale: str) -> dict:
    """One adopted version (the latest when no number is given) and what changed since the one before."""
    number = _number(text)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        if number is None:
            latest = versions.latest(session, circle=circle)
            if latest is None:
                return {"text": t("versie.none_yet", locale)}
            number = latest.number
        version = versions.get(session, circle=circle, number=number)
        before = versions.previous(session, version=version)
        found = versions.changes(before.snapshot, version.snapshot) if before else []  # the first: all new
        rows = versions.frozen_activities(session, version=version)
        return blocks.version_message(version, rows, found, locale=locale, zone=meetings.zone(circle))


def _export_words(text: str) -> tuple[int, str]:
    match = EXPORT_VERSION.match(text.strip())
    number = _number(match.group(1) if match else "")
    if number is None:
        raise UserError("versie.number_format")
    kind = (match.group(2) or "xlsx").lower()
    return number, "csv" if kind == "csv" else "xlsx"


def send_version_export(
    services: Services, client: WebClient, request: CommandInput, number: int, kind: str, locale: str
) -> None:
    """An adopted version as a file in a direct message, as the live agenda's export is sent."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        report = export.gather_version(session, circle=circle, number=number, zone=meetings.zone(circle), locale=locale)
    names = export.user_names(client, report.user_ids())
    content = export.xlsx(report, names.get) if kind == "xlsx" else export.csv_bytes(report, names.get)
    channel = client.conversations_open(users=request.user_id)["channel"]["id"]
    label = version_label(report.version, locale)
    comment = t("agenda.export_comment", locale, circle=escape(report.circle_name), version=label)
    name = export.file_name(report, kind)
    client.files_upload_v2(channel=channel, content=content, filename=name, title=name, initial_comment=comment)
