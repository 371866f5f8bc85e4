"""`/hulpvraag`: ask the circle for help, offer help with one button, close a request with its outcome."""

from __future__ import annotations

from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import words
from bot.blocks import hulpvraag as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import hulpvraag as messages
from bot.services import Services
from bot.slacktext import clean
from handlers import closing, lists
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import circles
from store import hulpvraag as store
from store.models import Circle

COMMAND = "/hulpvraag"


def register(app: App) -> None:
    app.command(COMMAND)(guarded(command))
    app.view("hulpvraag_file")(guarded(submitted))
    app.action("hulpvraag_help")(guarded(offer))
    app.action("hulpvraag_resolve")(guarded(resolve_pressed))
    app.view("hulpvraag_resolve")(guarded(resolve_submitted))


def command(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    request = CommandInput.parse(command)
    locale, word = request.locale(services), words.meaning(words.HULPVRAAG, request.head)
    if word == "help":
        ack(t("help.hulpvraag", locale))
        return
    if word == "list":
        ack(**lists.show(services, "hulpvraag", locale, channel=(request.team_id, request.channel_id)))
        return
    with services.reading() as session:
        circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
    if not request.text.strip():
        client.views_open(trigger_id=request.trigger_id, view=blocks.file_modal(locale, request.origin()))
        ack()
        return
    text = clean(request.text)
    ack(file_request(services, request.team_id, request.channel_id, request.user_id, text))
    services.deliver()


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = Origin.of(view), state_values(view), body["user"]["id"]
    text = clean(values.get("text") or "", field="text")
    expertise = clean(values.get("expertise") or "", field="expertise", limit=500, required=False) or None
    wanted_by = date.fromisoformat(values["wanted_by"]) if values.get("wanted_by") else None
    answer = file_request(services, origin.team_id, origin.channel_id, user, text, expertise, wanted_by)
    ack()
    confirm(services, origin.channel_id, user, answer)


def offer(ack: Ack, body: dict, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        request = store.by_id(session, request_id=action.item_id())
        action.reach(session, session.get(Circle, request.circle_id))
        offered = store.offer_help(session, request=request, user_id=action.user_id)
        if offered:
            circle = session.get(Circle, request.circle_id)
            messages.refresh(session, circle=circle, request=request)
            messages.help_offered(session, circle=circle, request=request, helper_id=action.user_id)
        key = "hulpvraag.offered" if offered else "hulpvraag.offered_already"
        answer = t(key, locale, number=request.number, requester=request.requester_id)
    confirm(services, action.channel_id, action.user_id, answer)


def resolve_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    closing.open_form(closing.HULPVRAAG, ack, body, client, services)


def resolve_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    closing.submitted(closing.HULPVRAAG, ack, body, view, services)


def file_request(
    services: Services,
    team_id: str,
    channel_id: str,
    user_id: str,
    text: str,
    expertise: str | None = None,
    wanted_by: date | None = None,
) -> str:
    """Store the request and its channel post in one transaction; the answer names its number."""
    locale = services.locale_for(user_id, team_id, channel_id)
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id)
        request = store.file(
            session,
            circle=circle,
            text=text,
            requester_id=user_id,
            expertise=expertise,
            wanted_by=wanted_by,
            today=services.today(circle),
        )
        messages.post(session, circle=circle, request=request)
        number = request.number
    return t("hulpvraag.filed", locale, number=number)
