"""`/kenniskring mijn-gegevens`: everything the bot keeps about you, as a file by direct message; `… verwijderen`
removes it after a confirming button, and a coordinator removes a member's data for their circle the same way."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import words
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import personal_data as messages
from bot.services import Services
from bot.slacktext import mentioned_users, without_mentions
from handlers.common import ActionInput, CommandInput, record_id
from store import circles
from store import personal_data as store
from store.errors import NotFound, UserError
from store.models import Circle


def register(app: App) -> None:
    app.action(messages.REMOVE_ACTION)(guarded(remove_pressed))


def command(services: Services, request: CommandInput, client: WebClient, ack: Ack) -> None:
    locale = request.locale(services)
    typed = without_mentions(request.rest).split()
    word = words.meaning(words.PERSONAL_DATA, typed[0]) if typed else "export"
    if word == "help":
        ack(t("help.kenniskring", locale))
    elif word == "remove":
        ack(**ask_to_remove(services, request, locale))
    elif word == "export" and not typed:
        ack(t("personal_data.sending", locale))
        services.after_ack(lambda: send_document(services, client, request, locale))
    else:
        raise UserError("personal_data.unknown_word")


def ask_to_remove(services: Services, request: CommandInput, locale: str) -> dict:
    """Removal waits for the button; a coordinator naming someone is checked now and again when it is pressed."""
    users = mentioned_users(request.rest)
    if not users or users == [request.user_id]:
        return messages.confirm_removal(locale, "self")
    with services.reading() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        circles.require_coordinator(session, circle=circle, user_id=request.user_id)
        value = f"circle:{circle.id}:{users[0]}"
    return messages.confirm_removal(locale, value, users[0])


def send_document(services: Services, client: WebClient, request: CommandInput, locale: str) -> None:
    """The document as a JSON file in a direct message: a file, not an outbox message, so no copy of it is kept."""
    with services.reading() as session:
        scope = store.Scope.team(session, request.team_id)
        found = store.find(session, user_id=request.user_id, scope=scope)
    language = services.languages.of(request.team_id, request.user_id, ask=False)
    document = messages.document(found, locale=locale, now=services.now(), language=language)
    channel = client.conversations_open(users=request.user_id)["channel"]["id"]
    name = t("personal_data.file_name", locale)
    client.files_upload_v2(
        channel=channel,
        content=messages.document_bytes(document),
        filename=name,
        title=name,
        initial_comment=t("personal_data.comment", locale, count=found.count),
    )


def remove_pressed(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    """`self`: the presser's own data, in their workspace. `circle:<id>:<user>`: a member's data in that circle, for
    its coordinators only; the value is a claim, checked here as if it were typed."""
    ack()
    if not body.get("response_url"):  # the button only comes in a message; the answer goes back to it
        raise UserError("common.unexpected")
    action = ActionInput.parse(body)
    locale = action.locale(services)
    kind, _, rest = action.value.partition(":")
    with services.transaction() as session:
        if kind == "self" and not rest:
            scope = store.Scope.team(session, action.team_id)
            user_id, key = action.user_id, services.filer_key(session)
            answer = "personal_data.removed_self"
        elif kind == "circle":
            user_id, scope = _member_of(session, action, rest)
            key, answer = services.filer_key(session), "personal_data.removed_member"
        else:
            raise UserError("common.unexpected")
        changed = store.remove(session, user_id=user_id, scope=scope, filer_key=key)
    services.languages.forget(action.team_id, user_id)
    # Through the response URL, never the outbox: the outbox would keep a message naming whose data went.
    respond(text=t(answer, locale, count=changed), response_type="ephemeral", replace_original=True)


def _member_of(session: Session, action: ActionInput, rest: str) -> tuple[str, store.Scope]:
    circle_id, _, user_id = rest.partition(":")
    if not user_id or ":" in user_id:
        raise UserError("common.unexpected")
    circle = session.get(Circle, record_id(circle_id))
    if circle is None:
        raise NotFound("common.unexpected")
    action.reach(session, circle)
    circles.require_coordinator(session, circle=circle, user_id=action.user_id)
    circles.record(session, circle=circle, actor_id=action.user_id, subject="circle", action="personal_data_removed")
    return user_id, store.Scope.circle(circle.id)
