"""`/klaagpaal lijst` and `/hulpvraag lijst`: one page of the open items per answer, buttons for the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from sqlalchemy.orm import Session

from bot.blocks import hulpvraag as hulpvraag_blocks
from bot.blocks import klaagpaal as klaagpaal_blocks
from bot.blocks.common import LIST_PAGE, Paging
from bot.errors_handler import guarded
from bot.parsing import is_whole_number
from bot.services import Services
from handlers.common import ActionInput
from store import circles, hulpvraag, klaagpaal
from store.errors import NotFound, UserError
from store.models import Circle

KINDS = ("klaagpaal", "hulpvraag")


def register(app: App) -> None:
    app.action("list_page")(guarded(page))


def page(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    kind, circle_id, number = _value(action.value)
    shown = show(services, kind, action.locale(services), circle_id=circle_id, page=number, reach=action.reach)
    respond(**shown, replace_original=True)


def _value(value: str) -> tuple[str, int, int]:
    kind, circle_id, number = (value.split("|") + ["", "", ""])[:3]
    if kind not in KINDS or not (is_whole_number(circle_id) and is_whole_number(number)):
        raise UserError("common.unexpected")
    return kind, int(circle_id), int(number)


def show(
    services: Services,
    kind: str,
    locale: str,
    *,
    channel: tuple[str, str] | None = None,
    circle_id: int | None = None,
    page: int = 1,
    reach: Callable[[Session, Circle], None] | None = None,
) -> dict[str, Any]:
    """Page `page` of the open items of the channel's circle (or the circle a page button names, if `reach` allows
    it); only that page is read, and its items are counted in SQL; only when the circle changed since it was last
    made (bot.answers)."""
    with services.reading() as session:
        circle = _circle(session, channel, circle_id)
        if reach is not None:
            reach(session, circle)

        def make() -> dict[str, Any]:
            if kind == "klaagpaal":
                paging = Paging.of(kind, circle.id, total=klaagpaal.count_open(session, circle=circle), wanted=page)
                items = klaagpaal.open_page(session, circle=circle, offset=paging.offset, limit=LIST_PAGE)
                return klaagpaal_blocks.listing(items, paging, locale)
            paging = Paging.of(kind, circle.id, total=hulpvraag.count_open(session, circle=circle), wanted=page)
            requests = hulpvraag.open_page(session, circle=circle, offset=paging.offset, limit=LIST_PAGE)
            return hulpvraag_blocks.listing(requests, paging, locale)

        key = (kind, circle.id, circle.created_at, circle.revision, page, locale, services.today(circle))
        return services.answers.get(key, make)


def _circle(session: Session, channel: tuple[str, str] | None, circle_id: int | None) -> Circle:
    if channel is not None:
        return circles.get(session, team_id=channel[0], channel_id=channel[1])
    circle = session.get(Circle, circle_id)
    if circle is None:
        raise NotFound("circle.none_here")
    return circle
