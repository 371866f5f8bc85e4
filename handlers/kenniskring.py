"""`/kenniskring`: start a circle in a channel, add coordinators, explain every command."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import words
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import circle as messages
from bot.services import Services
from bot.slacktext import clean, escape, from_slack, mentioned_users
from handlers import circle as circle_commands
from handlers import meeting, meeting_record, personal_data, rhythm
from handlers.common import CommandInput
from store import circles
from store.errors import UserError

COMMAND = "/kenniskring"


def register(app: App) -> None:
    app.command(COMMAND)(guarded(kenniskring))


def kenniskring(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    request = CommandInput.parse(command)
    word = words.meaning(words.KENNISKRING, request.head) if request.head else "help"
    if word == "help":
        ack(t("help.kenniskring", request.locale(services)))
    elif word == "start":
        ack(start(services, request))
        services.deliver()
    elif word == "coordinator":
        ack(add_coordinator(services, request))
    elif word == "meeting":
        ack(**meeting.vergadering(services, request, client))
        services.deliver()
    elif word == "settings":
        ack(**rhythm.instellingen(services, request, client))
    elif word == "point":
        ack(**meeting.punt(services, request, client))
        services.deliver()
    elif word in ("record", "calendar"):
        meeting_record.dispatch(services, request, client, ack)
    elif word == "my_data":
        personal_data.command(services, request, client, ack)
    elif circle_commands.answers(request.head):
        ack(**circle_commands.dispatch(services, request, client))
    else:
        with services.transaction() as session:
            circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        # Raised, not answered here: the error handler escapes what the user typed, so it cannot ping anyone.
        raise UserError("common.not_understood", text=from_slack(request.text)[:60], command=COMMAND)


def start(services: Services, request: CommandInput) -> str:
    name = clean(request.rest, limit=120) if request.rest.strip() else ""
    with services.transaction() as session:
        circle = circles.start(
            session,
            team_id=request.team_id,
            channel_id=request.channel_id,
            name=name,
            user_id=request.user_id,
            locale=services.locale,
            timezone=services.settings.timezone,
        )
        messages.started(session, circle=circle, user_id=request.user_id)
    return t("circle.started", request.locale(services), name=escape(circle.name))


def add_coordinator(services: Services, request: CommandInput) -> str:
    users = mentioned_users(request.rest)
    if not users:
        raise UserError("circle.coordinator_who")
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        added = circles.add_coordinator(session, circle=circle, actor_id=request.user_id, user_id=users[0])
    key = "circle.coordinator_added" if added else "circle.coordinator_already"
    return t(key, request.locale(services), user=users[0])
