"""`/agenda`: the execution agenda (paged, filtered), one activity, new activities typed or in a form, the export."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import export
from bot.blocks import execution_agenda as blocks
from bot.blocks.activity_forms import activity_modal
from bot.blocks.common import state_values
from bot.errors_handler import answer_after_ack
from bot.i18n import t
from bot.messages import activity as messages
from bot.parsing import (
    looks_like_number,
    not_in_past,
    parse_activity_number,
    parse_amount,
    parse_date,
    parse_filters,
    parse_new,
    parse_start_status,
    parse_theme,
    parse_title,
)
from bot.services import Services
from bot.slacktext import clean, escape
from handlers.common import HELP_WORDS, ActionInput, CommandInput, Origin, confirm
from store import activities as store
from store import circles
from store.errors import NotFound, UserError
from store.models import Activity, Circle

NEW_WORDS = ("nieuw", "new")
FILTER_LIMIT = 200


def register(app: App, services: Services) -> None:
    locale = services.locale

    @app.command("/agenda")
    def command(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        request = CommandInput.parse(command)
        head = request.head
        if head in HELP_WORDS:
            ack(t("help.agenda", locale))
            return
        with services.reading() as session:
            circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        if head in NEW_WORDS and not request.rest.strip():
            view = activity_modal(locale, request.origin(), initiator=request.user_id)
            client.views_open(trigger_id=request.trigger_id, view=view)
            ack()
        elif head in NEW_WORDS:
            ack(create_from_text(services, request))
            services.deliver()
        elif head == "export":
            kind = _export_kind(request.rest)
            ack(t("agenda.export_started", locale, format=kind.upper()))
            services.after_ack(
                lambda: send_export(services, client, request, kind),
                on_error=lambda error: answer_after_ack(services, error, command, respond),
            )
        elif looks_like_number(head):
            ack(**show_activity(services, request, parse_activity_number(head)))
        else:
            filters = request.text.strip()[:FILTER_LIMIT]
            ack(**show_agenda(services, request.user_id, filters, channel=(request.team_id, request.channel_id)))

    @app.view("agenda_new")
    def submitted(ack: Ack, body: dict, view: dict) -> None:
        origin, user = Origin.of(view), body["user"]["id"]
        fields = activity_form(state_values(view), today=services.today())
        with services.transaction() as session:
            circle = circles.get(session, team_id=origin.team_id, channel_id=origin.channel_id or "")
            activity = store.create(session, circle=circle, user_id=user, now=services.now(), **fields)
            answer = announce(services, session, circle, activity)
        ack()
        confirm(services, origin.channel_id, user, answer)

    @app.action("agenda_page")
    def page(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        action = ActionInput.parse(body)
        circle_id, number, filters = _page_value(action.value)
        respond(
            **show_agenda(services, action.user_id, filters, circle_id=circle_id, page=number), replace_original=True
        )


def _page_value(value: str) -> tuple[int, int, str]:
    circle_id, page, filters = (value.split("|", 2) + ["", ""])[:3]
    if not (circle_id.isdigit() and page.isdigit()):
        raise UserError("common.unexpected")
    return int(circle_id), int(page), filters


def show_agenda(
    services: Services,
    user_id: str,
    filters: str,
    *,
    channel: tuple[str, str] | None = None,
    circle_id: int | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """One page of the agenda of the channel's circle (or the circle a page button names), filtered as typed;
    only that page is read."""
    wanted = parse_filters(filters)
    chosen = {"user_id": user_id if wanted.mine else None, "theme": wanted.theme, "status": wanted.status}
    with services.reading() as session:
        circle = _circle(session, channel, circle_id)
        counts = store.theme_counts(session, circle=circle, **chosen)
        pages = blocks.page_spans(counts)
        number = min(max(page, 1), max(len(pages), 1))
        shown = blocks.AgendaPage(number, len(pages), sum(counts.values()), pages[number - 1] if pages else [])
        shown.activities = store.page(session, circle=circle, spans=shown.spans, **chosen)
        shown.latest = store.latest_updates(session, [activity.id for activity in shown.activities])
        return blocks.agenda_message(
            shown,
            circle_id=circle.id,
            version=store.agenda_version(session, circle=circle),
            today=services.today(),
            locale=services.locale,
            zone=services.zone,
            filters=filters,
        )


def _circle(session: Session, channel: tuple[str, str] | None, circle_id: int | None) -> Circle:
    if channel is not None:
        return circles.get(session, team_id=channel[0], channel_id=channel[1])
    circle = session.get(Circle, circle_id)
    if circle is None:
        raise NotFound("circle.none_here")
    return circle


def show_activity(services: Services, request: CommandInput, number: int) -> dict[str, Any]:
    with services.reading() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        activity = store.get(session, circle=circle, number=number)
        return detail_of(services, session, activity)


def detail_of(services: Services, session: Session, activity: Activity) -> dict[str, Any]:
    events = store.history(session, activity=activity)
    return blocks.detail(activity, events, today=services.today(), locale=services.locale, zone=services.zone)


def create_from_text(services: Services, request: CommandInput) -> str:
    """`/agenda nieuw <titel> deadline:… budget:… thema:… @initiator @team`; the one typing is the default initiator."""
    new = parse_new(request.rest, today=services.today())
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        activity = store.create(
            session,
            circle=circle,
            user_id=request.user_id,
            title=new.title,
            theme=new.theme,
            initiator_id=new.initiator_id or request.user_id,
            deadline=new.deadline,
            budget=new.budget,
            team=new.team,
            goal=new.goal,
            status=new.status,
            now=services.now(),
        )
        return announce(services, session, circle, activity)


def announce(services: Services, session: Session, circle: Circle, activity: Activity) -> str:
    """The new activity's post in the circle's channel, in the same transaction; the answer for its filer."""
    messages.announce(session, circle=circle, activity=activity, today=services.today())
    return t("agenda.created", services.locale, number=activity.number, title=escape(activity.title))


def activity_form(values: dict[str, Any], *, today: date, keep_deadline: date | None = None) -> dict[str, Any]:
    """The activity form's values, checked; each problem names its field. A deadline already set may stay past."""
    deadline = parse_date(values["deadline"], field="deadline") if values.get("deadline") else None
    if deadline != keep_deadline:
        not_in_past(deadline, today, field="deadline")
    if not values.get("theme"):
        raise UserError("agenda.theme_choose", field="theme")
    if not values.get("initiator"):
        raise UserError("agenda.initiator_missing", field="initiator")
    budget = (values.get("budget") or "").strip()
    form = {
        "title": parse_title(values.get("title") or "", field="title"),
        "theme": parse_theme(values["theme"], field="theme"),
        "initiator_id": values["initiator"],
        "team": list(values.get("team") or []),
        "deadline": deadline,
        "budget": parse_amount(budget, field="budget") if budget else None,
        "goal": clean(values.get("goal") or "", field="goal", limit=200, required=False) or None,
        "description": clean(values.get("description") or "", field="description", required=False) or None,
        "needs": clean(values.get("needs") or "", field="needs", required=False) or None,
    }
    if "status" in values:
        form["status"] = parse_start_status(values.get("status") or "gepland", field="status")
    return form


def _export_kind(text: str) -> str:
    word = text.strip().lower() or "xlsx"
    if word in ("xlsx", "excel"):
        return "xlsx"
    if word == "csv":
        return "csv"
    raise UserError("agenda.export_format")


def send_export(services: Services, client: WebClient, request: CommandInput, kind: str) -> None:
    """The agenda as a file in a direct message to the one who asked; names instead of ids where Slack knows them."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        report = export.gather(
            session, circle=circle, today=services.today(), zone=services.zone, locale=services.locale
        )
    names = export.user_names(client, report.user_ids())
    content = export.xlsx(report, names.get) if kind == "xlsx" else export.csv_bytes(report, names.get)
    channel = client.conversations_open(users=request.user_id)["channel"]["id"]
    comment = t("agenda.export_comment", services.locale, circle=escape(report.circle_name), version=report.version)
    client.files_upload_v2(
        channel=channel,
        content=content,
        filename=export.file_name(report, kind),
        title=export.file_name(report, kind),
        initial_comment=comment,
    )
