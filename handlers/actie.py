"""`/actie`: improvement actions P-n — file one in one line or with a form, list the open ones, mark one done."""

from __future__ import annotations

import re
from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import words
from bot.blocks import actions as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import actions as messages
from bot.parsing import key_values, not_in_past, parse_date
from bot.services import Services
from bot.slacktext import clean, mentioned_users, without_mentions
from handlers import home
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import actions as store
from store import activities, circles, meeting_record
from store.errors import UserError
from store.models import Circle

ACTION_NUMBER = re.compile(r"^[Pp]-?(\d{1,6})$")
ACTIVITY_REF = re.compile(r"(?<!\S)[Aa]-(\d{1,6})(?!\S)")
ITEM_REF = re.compile(r"(?<!\S)([KkHh])-(\d{1,6})(?!\S)")
KEYS = {"deadline": "deadline", "datum": "deadline", "uiterlijk": "deadline", "due": "deadline"}


COMMAND = "/actie"


def register(app: App) -> None:
    app.command(COMMAND)(guarded(actie))
    app.view("actie_new")(guarded(submitted))
    app.action("action_done")(guarded(done_pressed))


def actie(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    dispatch(services, CommandInput.parse(command), client, ack)


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    submit(services, body, view, ack)


def done_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    pressed_done(services, ActionInput.parse(body), client)


def dispatch(services: Services, request: CommandInput, client: WebClient, ack: Ack) -> None:
    """`help`, bare (the form), `lijst`, `P-1 klaar` (or `klaar P-1`), or a new action in one line."""
    typed, locale = request.text.split(), request.locale(services)
    meanings = [words.meaning(words.ACTIE, word) for word in typed]
    if meanings[:1] == ["help"]:
        ack(t("help.actie", locale))
        return
    with services.transaction() as session:
        circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
    if not typed:
        view = blocks.action_modal(locale, request.origin(), owner=request.user_id)
        client.views_open(trigger_id=request.trigger_id, view=view)
        ack()
    elif meanings[0] == "list":
        ack(**listing(services, request, locale))
    elif len(typed) == 2 and "done" in meanings:
        number = typed[1] if meanings[0] == "done" else typed[0]
        ack(mark_done(services, request.team_id, request.channel_id, request.user_id, _number(number), locale))
    else:
        ack(file_from_text(services, request, locale))
        services.deliver()


def _number(word: str) -> int:
    match = ACTION_NUMBER.match(word.strip())
    if match is None:
        raise UserError("actie.bad_number", text=word[:40])
    return int(match.group(1))


def listing(services: Services, request: CommandInput, locale: str) -> dict:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        found = store.open_actions(session, circle=circle)
        return blocks.listing(found, store.links(session, found), services.today(circle), locale)


def file_from_text(services: Services, request: CommandInput, locale: str) -> str:
    """`/actie <tekst> @eigenaar deadline:15-1-2027 A-3`: the owner defaults to the one typing."""
    owners = mentioned_users(request.text)
    text, values = key_values(without_mentions(request.text), KEYS)
    activity = ACTIVITY_REF.search(text)
    item = ITEM_REF.search(text)
    text = clean(text, limit=store.TEXT_LIMIT, required=False)
    if not text:
        raise UserError("actie.text_missing")
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        today = services.today(circle)
        deadline = not_in_past(parse_date(values["deadline"], today=today), today) if "deadline" in values else None
        activity_id = activities.get(session, circle=circle, number=int(activity.group(1))).id if activity else None
        item_ref = f"{item.group(1).upper()}-{item.group(2)}" if item else None
        return file(services, session, circle, request.user_id, text, owners[0] if owners else request.user_id,
                    deadline, locale, activity_id=activity_id, item=item_ref)  # fmt: skip


def file(
    services: Services,
    session,
    circle: Circle,
    user_id: str,
    text: str,
    owner: str,
    deadline: date | None,
    locale: str,
    **links,
) -> str:
    """Store the action (linked to a meeting under way) and tell its owner; the answer names P-n."""
    now = services.now()
    running = meeting_record.running(session, circle=circle, now=now)
    action = store.create(
        session, circle=circle, user_id=user_id, text=text, owner_id=owner, deadline=deadline, now=now,
        meeting_id=running.id if running else None, **links,
    )  # fmt: skip
    today = services.today(circle)
    messages.filed(session, circle=circle, action=action, today=today)
    return t(
        "actie.filed", locale, number=action.number, owner=owner,
        deadline=blocks.deadline_text(action, today, locale),
    )  # fmt: skip


def submit(services: Services, body: dict, view: dict, ack: Ack) -> None:
    origin, values, user = Origin.of(view), state_values(view), body["user"]["id"]
    text = clean(values.get("text") or "", field="text", limit=store.TEXT_LIMIT)
    owner, locale = values.get("owner") or user, origin.locale(services, user)
    with services.transaction() as session:
        circle = circles.get(session, team_id=origin.team_id, channel_id=origin.channel_id or "")
        today = services.today(circle)
        deadline = parse_date(values["deadline"], field="deadline", today=today) if values.get("deadline") else None
        not_in_past(deadline, today, field="deadline")
        answer = file(services, session, circle, user, text, owner, deadline, locale)
    ack()
    confirm(services, origin.channel_id, user, answer)


def mark_done(services: Services, team_id: str, channel_id: str, user_id: str, number: int, locale: str) -> str:
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id)
        action = store.get(session, circle=circle, number=number)
        store.complete(session, circle=circle, action=action, user_id=user_id, now=services.now())
    return t("actie.done", locale, number=number)


def pressed_done(services: Services, action: ActionInput, client: WebClient) -> None:
    """The "Klaar" button in a DM, the App Home or a list: done, and a word back to the one who pressed it."""
    with services.transaction() as session:
        found = store.by_id(session, action_id=action.item_id())
        circle = session.get(Circle, found.circle_id)
        action.reach(session, circle)
        store.complete(session, circle=circle, action=found, user_id=action.user_id, now=services.now())
        number = found.number
    confirm(services, action.channel_id, action.user_id, t("actie.done", action.locale(services), number=number))
    if action.channel_id is None:  # pressed in the App Home: show it without the action
        home.publish(services, client, action.user_id, action.team_id)
