"""`/kenniskring`: start a circle in a channel, add coordinators, explain every command."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import circle as messages
from bot.services import Services
from bot.slacktext import clean, escape, mentioned_users
from handlers import circle as circle_commands
from handlers import meeting, meeting_record, rhythm
from handlers.common import HELP_WORDS, CommandInput
from store import circles
from store.errors import UserError

COMMAND = "/kenniskring"


def register(app: App) -> None:
    app.command(COMMAND)(guarded(kenniskring))


def kenniskring(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    request = CommandInput.parse(command)
    head = request.head
    if head in ("", *HELP_WORDS):
        ack(t("help.kenniskring", services.locale))
    elif head == "start":
        ack(start(services, request))
        services.deliver()
    elif head in ("coordinator", "coördinator"):
        ack(add_coordinator(services, request))
    elif head in ("vergadering", "vergaderingen", "bijeenkomst"):
        ack(**meeting.vergadering(services, request, client))
        services.deliver()
    elif head in ("instellingen", "instelling"):
        ack(**rhythm.instellingen(services, request, client))
    elif head in ("punt", "agendapunt"):
        ack(**meeting.punt(services, request, client))
        services.deliver()
    elif head in ("verslag", "record", "kalender", "calendar"):
        meeting_record.dispatch(services, request, client, ack)
    elif circle_commands.answers(head):
        ack(**circle_commands.dispatch(services, request, client))
    else:
        with services.transaction() as session:
            circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        ack(t("common.not_understood", services.locale, text=request.text[:60], command=COMMAND))


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
    return t("circle.started", services.locale, name=escape(circle.name))


def add_coordinator(services: Services, request: CommandInput) -> str:
    users = mentioned_users(request.rest)
    if not users:
        raise UserError("circle.coordinator_who")
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        added = circles.add_coordinator(session, circle=circle, actor_id=request.user_id, user_id=users[0])
    return t("circle.coordinator_added" if added else "circle.coordinator_already", services.locale, user=users[0])
