"""The circle itself: `/kenniskring leden`, `ik`, `lid`, `rol(len)`, `uitnodiging`, `thema(s)`, `doel(en)`,
`indicator(en)`, `effect`, `meting`; and the welcome when someone joins. Each subcommand answers in the
command's acknowledgement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import members as blocks
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import members as messages
from bot.messages import person
from bot.parsing import parse_date
from bot.services import Services
from bot.slacktext import clean, escape, mentioned_users, without_mentions
from handlers import circle_effects, circle_goals, circle_themes
from handlers.circle_words import REMOVE_WORDS, keyed
from handlers.common import HELP_WORDS, ActionInput, CommandInput, Origin, confirm
from store import circles
from store import members as store
from store.errors import UserError
from store.models import Circle
from store.vocabulary import ORGANISATION_LIMIT

MEMBER_KEYS = {"rol": "role", "role": "role", "sinds": "since", "since": "since"}
TERM_KEYS = {"balans": "ratio", "balance": "ratio", "rotatie": "rotation", "rotation": "rotation"}

Subcommand = Callable[[Services, CommandInput, WebClient], dict[str, Any]]


def members(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """The roster with its balance; with `balans:` or `rotatie:`, coordinators set the circle's terms."""
    if request.rest.strip():
        return {"text": set_terms(services, request)}
    with services.transaction() as session:
        circle = _circle(session, request)
        found = store.all_members(session, circle=circle)
        suggestions = store.suggestions(session, circle=circle, today=services.today(circle))
        return blocks.roster(circle, found, suggestions, services.locale)


def set_terms(services: Services, request: CommandInput) -> str:
    rest, values = keyed(request.rest, TERM_KEYS)
    if rest:
        raise UserError("members.key_unknown", text=rest[:40], keys="`balans:2`, `rotatie:4`")
    with services.transaction() as session:
        circle = _circle(session, request)
        changed = store.configure(
            session,
            circle=circle,
            actor_id=request.user_id,
            ratio=values.get("ratio"),
            rotation_years=values.get("rotation"),
        )
        terms = blocks.terms(circle, services.locale)
    return t("members.terms_saved" if changed else "members.terms_unchanged", services.locale, terms=terms)


def me(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """`ik OG gemeente Tiel rol:beheerder`; bare, the form."""
    if not request.rest.strip():
        with services.transaction() as session:
            circle = _circle(session, request)
            view = _form(session, circle, request.user_id, request.origin(), services)
        client.views_open(trigger_id=request.trigger_id, view=view)
        return {}
    registration = parse_registration(request.rest, services)
    return {"text": save(services, request.team_id, request.channel_id, request.user_id, request.user_id, registration)}


def member(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """A coordinator registers someone (`lid @iemand ON Bouwbedrijf De Vries rol:…`) or removes them (`… weg`)."""
    users = mentioned_users(request.rest)
    rest = without_mentions(request.rest)
    if not users:
        raise UserError("members.member_who")
    if rest.lower() in REMOVE_WORDS:
        with services.transaction() as session:
            circle = _circle(session, request)
            store.remove(session, circle=circle, actor_id=request.user_id, user_id=users[0])
        return {"text": t("members.removed", services.locale, user=users[0])}
    registration = parse_registration(rest, services)
    return {"text": save(services, request.team_id, request.channel_id, request.user_id, users[0], registration)}


def parse_registration(text: str, services: Services) -> store.Registration:
    free, values = keyed(text, MEMBER_KEYS)
    side, _, organisation = free.partition(" ")
    if not side:
        raise UserError("members.side_missing")
    since = parse_date(values["since"], field="since") if "since" in values else None
    return store.Registration(
        side=side,
        organisation=clean(organisation, limit=ORGANISATION_LIMIT * 2, required=False),
        role=values.get("role"),
        since=since,
    )


def save(
    services: Services,
    team_id: str,
    channel_id: str | None,
    actor_id: str,
    user_id: str,
    registration: store.Registration,
) -> str:
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id or "")
        found = store.register(
            session,
            circle=circle,
            actor_id=actor_id,
            user_id=user_id,
            registration=registration,
            today=services.today(circle),
        )
        locale = services.locale
        role = t("members.role_suffix", locale, role=escape(found.role)) if found.role else ""
        facts = {"side": blocks.side_short(found.side or "", locale), "organisation": escape(found.organisation or "")}
    if actor_id == user_id:
        return t("members.registered_self", locale, role=role, **facts)
    return t("members.registered_other", locale, user=user_id, role=role, **facts)


def roles(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    with services.transaction() as session:
        found = store.roles(session, circle=_circle(session, request))
    return {"text": t("members.roles", services.locale, roles=", ".join(escape(name) for name in found))}


def role(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """`rol <naam>` adds a role to the circle's list (coordinators); bare, the list."""
    if not request.rest.strip():
        return roles(services, request, client)
    name = clean(request.rest, limit=200)
    with services.transaction() as session:
        added = store.add_role(session, circle=_circle(session, request), actor_id=request.user_id, name=name)
    return {"text": t("members.role_added" if added else "members.role_already", services.locale, name=escape(name))}


def invitation(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    with services.transaction() as session:
        return blocks.invitation(_circle(session, request), services.locale)


SUBCOMMANDS: dict[str, Subcommand] = {
    "leden": members,
    "members": members,
    "ik": me,
    "me": me,
    "lid": member,
    "member": member,
    "rollen": roles,
    "roles": roles,
    "rol": role,
    "role": role,
    "uitnodiging": invitation,
    "invite": invitation,
    "themas": circle_themes.listing,
    "thema's": circle_themes.listing,
    "themes": circle_themes.listing,
    "thema": circle_themes.theme,
    "theme": circle_themes.theme,
    "doelen": circle_goals.listing,
    "goals": circle_goals.listing,
    "doel": circle_goals.goal,
    "goal": circle_goals.goal,
    "indicatoren": circle_effects.listing,
    "indicators": circle_effects.listing,
    "indicator": circle_effects.indicator,
    "effect": circle_effects.effect,
    "effecten": circle_effects.effect,
    "effects": circle_effects.effect,
    "meting": circle_effects.measurement,
    "measure": circle_effects.measurement,
}


def answers(head: str) -> bool:
    """Whether `/kenniskring <head> …` is one of the circle's own subcommands."""
    return head in SUBCOMMANDS


def dispatch(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """Answer `/kenniskring <head> …`; the result is what the command's acknowledgement says."""
    if request.rest.strip().lower() in HELP_WORDS:
        return {"text": t("help.circle", services.locale)}
    return SUBCOMMANDS[request.head](services, request, client)


# -- the form, the welcome, joining and leaving ----------------------------------------------------------------------


def _circle(session, request: CommandInput) -> Circle:
    return circles.get(session, team_id=request.team_id, channel_id=request.channel_id)


def _form(session, circle: Circle, user_id: str, metadata: dict[str, Any], services: Services) -> dict:
    return blocks.register_modal(
        services.locale,
        metadata,
        roles=store.roles(session, circle=circle),
        member=circles.member(session, circle=circle, user_id=user_id),
        today=services.today(circle),
    )


def submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, user = Origin.of(view), body["user"]["id"]
    values = state_values(view)
    registration = store.Registration(
        side=values.get("side") or "",
        organisation=clean(values.get("organisation") or "", field="organisation", required=False),
        role=values.get("role") or None,
        since=parse_date(values["since"], field="since") if values.get("since") else None,
    )
    answer = save(services, origin.team_id, origin.channel_id, user, user, registration)
    ack()
    confirm(services, origin.channel_id, user, answer)


def open_form(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    with services.transaction() as session:
        circle = session.get(Circle, action.item_id())
        if circle is None:
            raise UserError("circle.none_here")
        metadata = {"team_id": circle.team_id, "channel_id": circle.channel_id}
        view = _form(session, circle, action.user_id, metadata, services)
    client.views_open(trigger_id=action.trigger_id, view=view)


def invitation_pressed(ack: Ack, body: dict, services: Services) -> None:
    """The App Home's button: the text to forward, to the coordinator who pressed it."""
    ack()
    action = ActionInput.parse(body)
    with services.transaction() as session:
        circle = session.get(Circle, action.item_id())
        if circle is None:
            raise UserError("circle.none_here")
        payload = blocks.invitation(circle, services.locale)
        person.answer(session, channel_id=action.channel_id, user_id=action.user_id, payload=payload)
    services.deliver()


def joined_channel(event: dict, context: dict, services: Services) -> None:
    """Whoever joins the circle's channel is a member, welcomed with one button to register."""
    user = event.get("user")
    if not user or user == context.get("bot_user_id"):
        return
    with services.transaction() as session:
        circle = circles.find(session, team_id=_team(event, context), channel_id=event.get("channel", ""))
        if circle is None:
            return
        found = store.joined(session, circle=circle, user_id=user)
        if found.side is None:
            messages.welcome(session, circle=circle, user_id=user, occasion=str(event.get("event_ts") or ""))
    services.deliver()


def left_channel(event: dict, context: dict, services: Services) -> None:
    """Whoever leaves the circle's channel stops being a member."""
    with services.transaction() as session:
        circle = circles.find(session, team_id=_team(event, context), channel_id=event.get("channel", ""))
        if circle is not None and event.get("user"):
            store.left(session, circle=circle, user_id=event["user"])


def _team(event: dict, context: dict) -> str:
    return event.get("team") or context.get("team_id") or ""


def register(app: App) -> None:
    app.view("member_register")(guarded(submitted))
    app.action("member_register_open")(guarded(open_form))
    app.action("member_invitation")(guarded(invitation_pressed))
    app.event("member_joined_channel")(guarded(joined_channel))
    app.event("member_left_channel")(guarded(left_channel))
