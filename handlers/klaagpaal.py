"""`/klaagpaal`: file items (openly or anonymously), list them, mark them "herkenbaar", close them."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import words
from bot.blocks import klaagpaal as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.klaagpaaltext import parse_filing
from bot.messages import klaagpaal as messages
from bot.parsing import parse_number
from bot.services import Services
from bot.slacktext import clean
from handlers import closing, lists
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import circles
from store import klaagpaal as store
from store.models import Circle

COMMAND = "/klaagpaal"
MINE_WORDS = ("mijn", "mine")
WITHDRAW_WORDS = ("intrekken", "withdraw")


def register(app: App) -> None:
    app.command(COMMAND)(guarded(command))
    app.view("klaagpaal_file")(guarded(submitted))
    app.action("klaagpaal_herkenbaar")(guarded(herkenbaar))
    app.action("klaagpaal_resolve")(guarded(resolve_pressed))
    app.view("klaagpaal_resolve")(guarded(resolve_submitted))
    app.action("klaagpaal_anonymous")(guarded(answered))
    app.action("klaagpaal_named")(guarded(answered))


def command(ack: Ack, command: dict, client: WebClient, services: Services) -> None:
    request = CommandInput.parse(command)
    word = words.meaning(words.KLAAGPAAL, request.head)
    filing = parse_filing(request.text)
    # Slack is not asked who is typing next to an anonymous item, a question about one, the form (which may file
    # one) or the list of one's own: that request would tie the person to it. A language already known is used
    # then, else the circle's.
    private = (
        filing.anonymous is not False or not request.text.strip() or request.head in (*MINE_WORDS, *WITHDRAW_WORDS)
    )
    locale = services.locale_for(request.user_id, request.team_id, request.channel_id, ask=not private)
    if word == "help":
        ack(t("help.klaagpaal", locale))
        return
    if word == "list":
        ack(**lists.show(services, "klaagpaal", locale, channel=(request.team_id, request.channel_id)))
        return
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        if request.head in MINE_WORDS:
            key = services.filer_key(session)
            ack(**blocks.mine(store.mine(session, circle=circle, user_id=request.user_id, key=key), locale))
            return
    if request.head in WITHDRAW_WORDS:
        ack(withdraw(services, request))
        services.deliver()
        return
    if not request.text.strip():
        client.views_open(trigger_id=request.trigger_id, view=blocks.file_modal(locale, request.origin()))
        ack()
        return
    if filing.anonymous is None:  # close to "anoniem" but not it: ask, never guess who may be named
        ack(**ask(services, request, clean(filing.text), clean(filing.anonymous_text)))
        return
    text = clean(filing.text)
    ack(file_item(services, request.team_id, request.channel_id, request.user_id, text, filing.anonymous, None))
    services.deliver()


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values = Origin.of(view), state_values(view)
    text = clean(values.get("text") or "", field="text")
    anonymous = "anoniem" in (values.get("anonymous") or [])
    user = body["user"]["id"]
    confirmation = file_item(services, origin.team_id, origin.channel_id, user, text, anonymous, values.get("category"))
    if anonymous:  # shown in the form itself: a message to the filer would be a kept record of who filed it
        ack(response_action="update", view=blocks.filed_view(confirmation, services.locale))
        services.deliver()
        return
    ack()
    confirm(services, origin.channel_id, user, confirmation)


def ask(services: Services, request: CommandInput, text: str, anonymous_text: str) -> dict:
    """The question "anonymous or with your name?", holding the text under a token until it is answered."""
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        token = store.ask(session, circle=circle, text=text, anonymous_text=anonymous_text, now=services.now())
    return blocks.question(anonymous_text, token, services.locale)


def answered(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    """One of the question's buttons: file the held text anonymously or with the presser's name."""
    ack()
    action = ActionInput.parse(body)
    anonymous = body["actions"][0]["action_id"] == "klaagpaal_anonymous"
    with services.transaction() as session:
        question = store.question(session, token=action.value, now=services.now())
        circle = session.get(Circle, question.circle_id)
        action.reach(session, circle)
        text = question.anonymous_text if anonymous else question.text
        session.delete(question)
        answer = file_in(services, session, circle, action.user_id, text, anonymous, None)
    respond(text=answer, replace_original=True, response_type="ephemeral")
    services.deliver()


def withdraw(services: Services, request: CommandInput) -> str:
    """`/klaagpaal intrekken K-3`: its filer takes an item back, also one filed anonymously."""
    number = parse_number(request.rest, "K") if request.rest.strip() else None
    if number is None:
        return t("klaagpaal.withdraw_usage", services.locale)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        key = services.filer_key(session)
        item = store.withdraw(session, circle=circle, number=number, user_id=request.user_id, key=key)
        messages.withdrawn(session, circle=circle, item=item)
    return t("klaagpaal.withdrawn", services.locale, number=number)


def herkenbaar(ack: Ack, body: dict, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        item = store.by_id(session, item_id=action.item_id())
        action.reach(session, session.get(Circle, item.circle_id))
        marked = store.mark_herkenbaar(session, item=item, user_id=action.user_id)
        if marked:
            messages.refresh(session, circle=session.get(Circle, item.circle_id), item=item)
        key = "klaagpaal.herkenbaar_done" if marked else "klaagpaal.herkenbaar_already"
        answer = t(key, locale, number=item.number)
    confirm(services, action.channel_id, action.user_id, answer)


def resolve_pressed(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    closing.open_form(closing.KLAAGPAAL, ack, body, client, services)


def resolve_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    closing.submitted(closing.KLAAGPAAL, ack, body, view, services)


def file_item(
    services: Services, team_id: str, channel_id: str, user_id: str, text: str, anonymous: bool, category: str | None
) -> str:
    """Store the item and its channel post in one transaction; the answer names its number."""
    locale = services.locale_for(user_id, team_id, channel_id, ask=not anonymous)
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id)
        return file_in(services, session, circle, user_id, text, anonymous, category, locale=locale)


def file_in(
    services: Services,
    session: Session,
    circle: Circle,
    user_id: str,
    text: str,
    anonymous: bool,
    category: str | None,
    *,
    locale: str | None = None,
) -> str:
    """File the item in the caller's transaction; an anonymous one keeps only the keyed hash of its filer."""
    key = services.filer_key(session) if anonymous else None
    item = store.file(
        session,
        circle=circle,
        text=text,
        author_id=user_id,
        anonymous=anonymous,
        category=category,
        filer_key=key,
        now=services.now(),
    )
    messages.post(session, circle=circle, item=item)
    key = "klaagpaal.filed_anonymous" if anonymous else "klaagpaal.filed"
    return t(key, locale or services.locale, number=item.number)
