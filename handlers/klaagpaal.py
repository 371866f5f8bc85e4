"""`/klaagpaal`: file items (openly or anonymously), list them, mark them "herkenbaar", close them."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import klaagpaal as blocks
from bot.blocks.common import state_values
from bot.i18n import t
from bot.messages import klaagpaal as messages
from bot.services import Services
from bot.slacktext import clean
from handlers import lists
from handlers.common import HELP_WORDS, ActionInput, CommandInput, Origin, confirm
from store import circles
from store import klaagpaal as store
from store.errors import Forbidden
from store.models import Circle


def register(app: App, services: Services) -> None:
    locale = services.locale

    @app.command("/klaagpaal")
    def command(ack: Ack, command: dict, client: WebClient) -> None:
        request = CommandInput.parse(command)
        if request.head in HELP_WORDS:
            ack(t("help.klaagpaal", locale))
            return
        if request.head == "lijst":
            ack(**lists.show(services, "klaagpaal", channel=(request.team_id, request.channel_id)))
            return
        with services.transaction() as session:
            circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        if not request.text.strip():
            client.views_open(trigger_id=request.trigger_id, view=blocks.file_modal(locale, request.origin()))
            ack()
            return
        anonymous = request.head == "anoniem"
        text = clean(request.rest if anonymous else request.text)
        ack(file_item(services, request.team_id, request.channel_id, request.user_id, text, anonymous, None))
        services.deliver()

    @app.view("klaagpaal_file")
    def submitted(ack: Ack, body: dict, view: dict) -> None:
        origin, values = Origin.of(view), state_values(view)
        text = clean(values.get("text") or "", field="text")
        anonymous = "anoniem" in (values.get("anonymous") or [])
        user = body["user"]["id"]
        confirmation = file_item(
            services, origin.team_id, origin.channel_id, user, text, anonymous, values.get("category")
        )
        ack()
        confirm(services, origin.channel_id, user, confirmation)

    @app.action("klaagpaal_herkenbaar")
    def herkenbaar(ack: Ack, body: dict) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            item = store.by_id(session, item_id=action.item_id())
            marked = store.mark_herkenbaar(session, item=item, user_id=action.user_id)
            if marked:
                messages.refresh(session, circle=session.get(Circle, item.circle_id), item=item)
            key = "klaagpaal.herkenbaar_done" if marked else "klaagpaal.herkenbaar_already"
            answer = t(key, locale, number=item.number)
        confirm(services, action.channel_id, action.user_id, answer)

    @app.action("klaagpaal_resolve")
    def resolve_pressed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        action = ActionInput.parse(body)
        with services.transaction() as session:
            item = store.by_id(session, item_id=action.item_id())
            circle = session.get(Circle, item.circle_id)
            if not store.can_close(session, circle=circle, item=item, user_id=action.user_id):
                raise Forbidden("klaagpaal.resolve_forbidden", number=item.number)
            view = blocks.resolve_modal(item, locale, action.origin(item_id=item.id))
        client.views_open(trigger_id=action.trigger_id, view=view)

    @app.view("klaagpaal_resolve")
    def resolve_submitted(ack: Ack, body: dict, view: dict) -> None:
        origin, user = Origin.of(view), body["user"]["id"]
        outcome = clean(state_values(view).get("outcome") or "", field="outcome", limit=1000)
        with services.transaction() as session:
            item = store.by_id(session, item_id=origin.item_id)
            circle = session.get(Circle, item.circle_id)
            store.resolve(session, circle=circle, item=item, user_id=user, outcome=outcome)
            messages.refresh(session, circle=circle, item=item)
            answer = t("klaagpaal.resolved", locale, number=item.number)
        ack()
        confirm(services, origin.channel_id, user, answer)


def file_item(
    services: Services, team_id: str, channel_id: str, user_id: str, text: str, anonymous: bool, category: str | None
) -> str:
    """Store the item and its channel post in one transaction; the answer names its number."""
    locale = services.locale
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id)
        item = store.file(session, circle=circle, text=text, author_id=user_id, anonymous=anonymous, category=category)
        messages.post(session, circle=circle, item=item)
        number = item.number
    return t("klaagpaal.filed_anonymous" if anonymous else "klaagpaal.filed", locale, number=number)
