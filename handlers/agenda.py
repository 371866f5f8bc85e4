"""`/agenda`: the execution agenda (paged, filtered), one activity, new activities typed or in a form, the export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import export, words
from bot.blocks import execution_agenda as blocks
from bot.blocks.activity_forms import activity_modal
from bot.blocks.common import state_values
from bot.blocks.versions import version_label
from bot.errors_handler import answer_after_ack, guarded
from bot.i18n import t
from bot.messages import activity as messages
from bot.parsing import (
    is_whole_number,
    looks_like_number,
    not_in_past,
    parse_amount,
    parse_date,
    parse_filters,
    parse_new,
    parse_number,
    parse_start_status,
    parse_theme,
    parse_title,
)
from bot.services import Services
from bot.slacktext import clean, escape
from handlers import agenda_cycle
from handlers.circle_chart import CHART_WORDS, send_chart
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import activities as store
from store import circles, meetings, people, versions
from store.choices import activity_choices
from store.errors import NotFound, UserError
from store.models import Activity, Circle

COMMAND = "/agenda"
FILTER_LIMIT = 200


def register(app: App) -> None:
    app.command(COMMAND)(guarded(command))
    app.view("agenda_new")(guarded(submitted))
    app.action("agenda_page")(guarded(page))


def command(ack: Ack, command: dict, client: WebClient, respond: Respond, services: Services) -> None:
    request = CommandInput.parse(command)
    head, locale = request.head, request.locale(services)
    word = words.meaning(words.AGENDA, head)
    if word == "help":
        ack(t("help.agenda", locale))
        return
    if word is None and head not in CHART_WORDS and not looks_like_number(head):  # the agenda, filtered as typed
        filters = request.text.strip()[:FILTER_LIMIT]
        ack(**show_agenda(services, request.user_id, filters, locale, channel=(request.team_id, request.channel_id)))
        return  # the page's one read finds the circle (or says there is none here) itself
    with services.reading() as session:
        found = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        form = word == "new" and not request.rest.strip()
        choices = activity_choices(session, circle_id=found.id) if form else {}
    if form:
        view = activity_modal(locale, request.origin(), initiator=request.user_id, **choices)
        client.views_open(trigger_id=request.trigger_id, view=view)
        ack()
    elif word == "new":
        ack(create_from_text(services, request, locale))
        services.deliver()
    elif head in CHART_WORDS:
        ack(t("chart.started", locale))
        send_chart(services, client, request)
    elif agenda_cycle.handles(request):
        agenda_cycle.command(services, request, client, ack)
    elif word == "export":
        kind = _export_kind(request.rest)
        ack(t("agenda.export_started", locale, format=kind.upper()))
        services.after_ack(
            lambda: send_export(services, client, request, kind, locale),
            on_error=lambda error: answer_after_ack(services, error, command, respond),
        )
    else:
        ack(**show_activity(services, request, parse_number(head, "A"), locale))


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, user = Origin.of(view), body["user"]["id"]
    locale = origin.locale(services, user)
    with services.transaction() as session:
        circle = circles.get(session, team_id=origin.team_id, channel_id=origin.channel_id or "")
        fields = activity_form(state_values(view), today=services.today(circle), locale=locale)
        activity = store.create(session, circle=circle, user_id=user, now=services.now(), **fields)
        answer = announce(services, session, circle, activity, locale)
    ack()
    confirm(services, origin.channel_id, user, answer)


def page(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    circle_id, number, filters = _page_value(action.value)
    shown = show_agenda(
        services, action.user_id, filters, action.locale(services), circle_id=circle_id, page=number, reach=action.reach
    )
    respond(**shown, replace_original=True)


def _page_value(value: str) -> tuple[int, int, str]:
    circle_id, page, filters = (value.split("|", 2) + ["", ""])[:3]
    if not (is_whole_number(circle_id) and is_whole_number(page)):
        raise UserError("common.unexpected")
    return int(circle_id), int(page), filters


def show_agenda(
    services: Services,
    user_id: str,
    filters: str,
    locale: str,
    *,
    channel: tuple[str, str] | None = None,
    circle_id: int | None = None,
    page: int = 1,
    reach: Callable[[Session, Circle], None] | None = None,
) -> dict[str, Any]:
    """One page of the agenda of the channel's circle (or the circle a page button names, if `reach` allows it),
    filtered as typed; only that page is read, and only when the circle changed since it was last made
    (bot.answers)."""
    wanted = parse_filters(filters)
    mine = user_id if wanted.mine else None
    chosen = {"user_id": mine, "theme": wanted.theme, "status": wanted.status, "goal": wanted.goal}
    with services.reading() as session:
        circle = _circle(session, channel, circle_id)
        if reach is not None:
            reach(session, circle)
        today = services.today(circle)

        def make() -> dict[str, Any]:
            counts = store.theme_counts(session, circle=circle, **chosen)
            pages = blocks.page_spans(store.theme_order(session, circle=circle, counts=counts))
            number = min(max(page, 1), max(len(pages), 1))
            shown = blocks.AgendaPage(number, len(pages), sum(counts.values()), pages[number - 1] if pages else [])
            shown.activities, shown.latest = store.page(session, circle=circle, spans=shown.spans, **chosen)
            shown.gone = people.gone_among(session, [activity.initiator_id for activity in shown.activities])
            return blocks.agenda_message(
                shown,
                circle_id=circle.id,
                version=versions.state(session, circle=circle),
                today=today,
                locale=locale,
                zone=meetings.zone(circle),
                filters=filters,
            )

        key = ("agenda", circle.id, circle.created_at, circle.revision, page, filters, mine, locale, today)
        return services.answers.get(key, make)


def _circle(session: Session, channel: tuple[str, str] | None, circle_id: int | None) -> Circle:
    if channel is not None:
        return circles.get(session, team_id=channel[0], channel_id=channel[1])
    circle = session.get(Circle, circle_id)
    if circle is None:
        raise NotFound("circle.none_here")
    return circle


def show_activity(services: Services, request: CommandInput, number: int, locale: str) -> dict[str, Any]:
    with services.reading() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        activity = store.get(session, circle=circle, number=number)
        return detail_of(services, session, circle, activity, locale)


def detail_of(services: Services, session: Session, circle: Circle, activity: Activity, locale: str) -> dict[str, Any]:
    events = store.history(session, activity=activity)
    today, zone = services.today(circle), meetings.zone(circle)
    return blocks.detail(activity, events, today=today, locale=locale, zone=zone)


def create_from_text(services: Services, request: CommandInput, locale: str) -> str:
    """`/agenda nieuw <titel> deadline:… budget:… thema:… @initiator @team`; the one typing is the default initiator."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        new = parse_new(request.rest, today=services.today(circle), locale=locale)
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
            goals=new.goals,
            status=new.status,
            now=services.now(),
        )
        return announce(services, session, circle, activity, locale)


def announce(services: Services, session: Session, circle: Circle, activity: Activity, locale: str) -> str:
    """The new activity's post in the circle's channel, in the same transaction; the answer for its filer."""
    messages.announce(session, circle=circle, activity=activity, today=services.today(circle))
    return t("agenda.created", locale, number=activity.number, title=escape(activity.title))


def activity_form(
    values: dict[str, Any], *, today: date, keep_deadline: date | None = None, locale: str = "nl"
) -> dict[str, Any]:
    """The activity form's values, checked; each problem names its field. A deadline already set may stay past.
    Amounts are read as the one who typed them writes them (`locale`)."""
    deadline = parse_date(values["deadline"], field="deadline", today=today) if values.get("deadline") else None
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
        "budget": parse_amount(budget, field="budget", locale=locale) if budget else None,
        "goals": [int(goal) for goal in values.get("goals") or [] if is_whole_number(str(goal))],
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


def send_export(services: Services, client: WebClient, request: CommandInput, kind: str, locale: str) -> None:
    """The agenda as a file in a direct message to the one who asked, in their language; names instead of ids where
    Slack knows them."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        report = export.gather(
            session, circle=circle, today=services.today(circle), zone=meetings.zone(circle), locale=locale
        )
    names = export.user_names(client, report.user_ids())
    content = export.xlsx(report, names.get) if kind == "xlsx" else export.csv_bytes(report, names.get)
    channel = client.conversations_open(users=request.user_id)["channel"]["id"]
    label = version_label(report.version, locale)
    comment = t("agenda.export_comment", locale, circle=escape(report.circle_name), version=label)
    client.files_upload_v2(
        channel=channel,
        content=content,
        filename=export.file_name(report, kind),
        title=export.file_name(report, kind),
        initial_comment=comment,
    )
