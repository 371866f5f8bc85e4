"""`/voortgang`: progress updates typed or in a form, and one button to turn a blocker into a help request."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import words
from bot.blocks import voortgang as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import activity as activity_messages
from bot.messages import hulpvraag as hulpvraag_messages
from bot.messages import person
from bot.parsing import ProgressCommand, is_whole_number, parse_percent, parse_progress, parse_status
from bot.services import Services
from bot.slacktext import clean
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import activities as store
from store import circles, progress
from store.errors import UserError
from store.models import Activity, Circle

COMMAND = "/voortgang"
TEXTS = ("happened", "learned", "improvements", "blockers")


class ProgressOrigin(Origin):
    """Where the progress modal came from, and the percentage it showed filled in (None: it showed none)."""

    percent: int | None = None


def register(app: App) -> None:
    app.command(COMMAND)(guarded(command))
    app.view("voortgang_submit")(guarded(submitted))
    app.action("progress_help")(guarded(ask_help))


def command(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    request = CommandInput.parse(command)
    locale = request.locale(services)
    if words.meaning(words.VOORTGANG, request.head) == "help":
        ack(t("help.voortgang", locale))
        return
    parsed = parse_progress(request.text) if request.text.strip() else None
    if parsed is not None and not parsed.empty:
        ack(**store.again_if_stale(lambda: record_typed(services, request, parsed)))
        services.deliver()
        return
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        selected = store.get(session, circle=circle, number=parsed.number) if parsed else None
        view = progress_form(session, circle, request.user_id, request.origin(), selected, locale=locale)
    client.views_open(trigger_id=request.trigger_id, view=view)
    ack()


def submitted(ack: Ack, body: dict, view: dict, client: WebClient, services: Services) -> None:
    origin, user, values = ProgressOrigin.of(view), body["user"]["id"], state_values(view)
    fields = progress_form_values(values, shown_percent=origin.percent)
    reported = {name: value for name, value in fields.items() if name != "activity_id"}
    locale = origin.locale(services, user)

    def record() -> None:
        with services.transaction() as session:
            activity = store.by_id(session, activity_id=fields["activity_id"])
            circle = session.get(Circle, activity.circle_id)
            origin.reach(session, circle, user)
            update = store.record_progress(
                session, circle=circle, activity=activity, user_id=user, now=services.now(), **reported
            )
            activity_messages.after_change(session, circle=circle, activity=activity)
            answer = blocks.recorded(activity, update, locale)
            person.answer(session, channel_id=origin.channel_id, user_id=user, payload=answer)

    store.again_if_stale(record)
    ack()
    services.deliver()
    if origin.channel_id is None:
        from handlers.home import publish

        publish(services, client, user, origin.team_id)


def ask_help(ack: Ack, body: dict, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        update = progress.locked(session, update_id=action.item_id())
        activity = update.activity
        circle = session.get(Circle, activity.circle_id)
        action.reach(session, circle)
        text = blocks.help_text(activity, update, circle.locale)  # the request is the circle's, in its channel
        request, made = progress.ask_help(
            session,
            circle=circle,
            activity=activity,
            update=update,
            user_id=action.user_id,
            text=text,
            today=services.today(circle),
        )
        if made:
            hulpvraag_messages.post(session, circle=circle, request=request)
        key = "voortgang.help_filed" if made else "voortgang.help_already"
        answer = t(key, locale, number=request.number)
    confirm(services, action.channel_id, action.user_id, answer)


def progress_form(
    session: Session,
    circle: Circle,
    user_id: str,
    metadata: dict[str, Any],
    selected: Activity | None = None,
    *,
    locale: str,
) -> dict:
    """The progress modal: the user's own activities first; coordinators also see everyone else's."""
    if selected is not None:
        store.require_change(session, circle=circle, activity=selected, user_id=user_id)
    running = store.active(session, circle=circle)
    own = [activity for activity in running if store.involves(activity, user_id)]
    coordinator = circles.is_coordinator(session, circle=circle, user_id=user_id)
    others = [activity for activity in running if activity not in own] if coordinator else []
    if selected is not None and selected not in own + others:
        own.insert(0, selected)  # a finished activity can still get what was learned
    if not own and not others:
        raise UserError("voortgang.nothing_to_report")
    extra = {"item_id": selected.id} if selected is not None else {}
    return blocks.progress_modal(own, others, locale, {**metadata, **extra}, selected=selected)


def progress_form_values(values: dict[str, Any], *, shown_percent: int | None = None) -> dict[str, Any]:
    """The modal's values, checked; each problem names its field. Slack submits the percentage the form showed
    filled in whether or not anyone touched it, so that one is no report: only a changed percentage is."""
    chosen = values.get("activity") or ""
    if not is_whole_number(str(chosen)):
        raise UserError("voortgang.choose_activity", field="activity")
    text = (values.get("percent") or "").strip()
    percent = parse_percent(text, field="percent") if text else None
    status = values.get("status")
    fields: dict[str, Any] = {
        "percent": None if percent == shown_percent else percent,
        "status": parse_status(status, field="status") if status else None,
    }
    for name in TEXTS:
        fields[name] = clean(values.get(name) or "", field=name, required=False) or None
    return {"activity_id": int(chosen), **fields}


def record_typed(services: Services, request: CommandInput, parsed: ProgressCommand) -> dict[str, Any]:
    """`/voortgang A-3 40% status:… <tekst>`: stored at once; the answer offers a help request for a blocker."""
    locale = request.locale(services)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        activity = store.get(session, circle=circle, number=parsed.number)
        update = store.record_progress(
            session,
            circle=circle,
            activity=activity,
            user_id=request.user_id,
            percent=parsed.percent,
            status=parsed.status,
            happened=parsed.text,
            now=services.now(),
        )
        activity_messages.after_change(session, circle=circle, activity=activity)
        return blocks.recorded(activity, update, locale)
