"""Closing a klaagpaal item or a help request with its outcome: one flow for both families.

The button opens a form with the outcome (for the filer and the coordinators only); submitting it closes the record,
rewrites its channel post and tells the one who closed it. Each family brings its rules (`store`), its post
(`messages`), its form (`blocks`) and its texts (`<family>.resolve_forbidden`, `<family>.resolved`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import hulpvraag as hulpvraag_blocks
from bot.blocks import klaagpaal as klaagpaal_blocks
from bot.blocks.common import state_values
from bot.i18n import t
from bot.messages import hulpvraag as hulpvraag_messages
from bot.messages import klaagpaal as klaagpaal_messages
from bot.services import Services
from bot.slacktext import clean
from handlers.common import ActionInput, Origin, confirm
from store import hulpvraag as hulpvraag_store
from store import klaagpaal as klaagpaal_store
from store.errors import Forbidden
from store.models import Circle


@dataclass(frozen=True)
class Family:
    name: str  # the catalogue's prefix
    noun: str  # how the family's functions name the record: `item=`, `request=`, `by_id(item_id=…)`
    store: ModuleType
    messages: ModuleType
    blocks: ModuleType

    def find(self, session, record_id: int | None):
        return self.store.by_id(session, **{f"{self.noun}_id": record_id})


KLAAGPAAL = Family("klaagpaal", "item", klaagpaal_store, klaagpaal_messages, klaagpaal_blocks)
HULPVRAAG = Family("hulpvraag", "request", hulpvraag_store, hulpvraag_messages, hulpvraag_blocks)


def open_form(family: Family, ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    """The record's *Afsluiten* button: the outcome form, for whoever may close it."""
    ack()
    action = ActionInput.parse(body)
    locale = action.locale(services)
    with services.transaction() as session:
        record = family.find(session, action.item_id())
        circle = session.get(Circle, record.circle_id)
        action.reach(session, circle)
        if not family.store.can_close(session, circle=circle, user_id=action.user_id, **{family.noun: record}):
            raise Forbidden(f"{family.name}.resolve_forbidden", number=record.number)
        view = family.blocks.resolve_modal(record, locale, action.origin(item_id=record.id))
    client.views_open(trigger_id=action.trigger_id, view=view)


def submitted(family: Family, ack: Ack, body: dict, view: dict, services: Services) -> None:
    """The outcome form sent: the record closed with it, its post rewritten, the closer told."""
    origin, user = Origin.of(view), body["user"]["id"]
    outcome = clean(state_values(view).get("outcome") or "", field="outcome", limit=1000)
    locale = origin.locale(services, user)
    with services.transaction() as session:
        record = family.find(session, origin.item_id)
        circle = session.get(Circle, record.circle_id)
        origin.reach(session, circle, user)
        family.store.resolve(session, circle=circle, user_id=user, outcome=outcome, **{family.noun: record})
        family.messages.refresh(session, circle=circle, **{family.noun: record})
        answer = t(f"{family.name}.resolved", locale, number=record.number)
    ack()
    confirm(services, origin.channel_id, user, answer)
