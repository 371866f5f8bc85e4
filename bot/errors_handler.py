"""The one place where failures become answers: domain errors in the user's words, anything else logged."""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk.errors import SlackApiError

from bot.i18n import t
from bot.messages import person
from bot.observe import OUTCOME
from bot.services import Services
from bot.slacktext import escape
from store.errors import UserError

log = logging.getLogger(__name__)

# What the guard needs from Bolt besides what the listener itself asks for; `services` comes from the context.
GUARD_ARGUMENTS = {"ack": Ack, "body": dict, "respond": Respond, "services": Services}


def message_for(error: Exception, locale: str) -> str:
    """The answer for a failure; what the user typed, quoted back in it, is escaped here so it cannot ping."""
    if isinstance(error, UserError):
        params = {name: escape(value) if isinstance(value, str) else value for name, value in error.params.items()}
        return t(error.key, locale, **params)
    if _rate_limited(error):  # a form Slack would not open now (see bot.retry.INTERACTIVE): try again shortly
        return t("delivery.views_busy", locale)
    return t("common.unexpected", locale)


def _rate_limited(error: Exception) -> bool:
    return isinstance(error, SlackApiError) and error.response.status_code == 429


def register_error_handler(app: App, services: Services) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], response: BoltResponse | None, respond, context) -> None:
        context[OUTCOME] = "refused" if isinstance(error, UserError) else "error"  # for the request's log line
        carries_answers = body.get("command") or body.get("type") == "view_submission"
        if response is not None and carries_answers:  # not yet acknowledged: the acknowledgement answers
            _log(error, body)
            _answer_in_ack(response, body, error, message_for(error, locale_of_asker(services, body)))
            return
        if response is not None:  # Slack ignores what a button's acknowledgement says: acknowledge, then tell
            response.status, response.body = 200, ""
        answer_after_ack(services, error, body, respond)


def answer_after_ack(services: Services, error: Exception, body: dict[str, Any], respond) -> None:
    """Tell the user in a separate message: through the response URL where there is one, else ephemerally."""
    _log(error, body)
    message = message_for(error, locale_of_asker(services, body))
    if body.get("response_url"):
        respond(text=message, response_type="ephemeral", replace_original=False)
    else:
        _tell_user(services, body, message)


def locale_of_asker(services: Services, body: dict[str, Any]) -> str:
    """The language of whoever sent the request (a command, a button, a form), by the one rule for it."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if channel is None and body.get("type") == "view_submission":
        try:
            channel = json.loads((body.get("view") or {}).get("private_metadata") or "{}").get("channel_id")
        except (ValueError, AttributeError):
            channel = None
    return services.locale_for(user, team, channel)


def guarded(listener: Callable[..., Any]) -> Callable[..., Any]:
    """The listener, answering errors raised after its `ack()` itself; wrap each one when registering it.

    Bolt's threaded runner clears an acknowledgement when its listener raises afterwards; if that happens before
    the request thread has seen the acknowledgement, Slack gets no answer for three seconds and shows an error.
    Errors before the acknowledgement still go to the app's error handler, which writes them into the ack.
    """
    own = inspect.signature(listener).parameters

    @wraps(listener)
    def run(**kwargs: Any) -> Any:
        try:
            return listener(**{name: kwargs[name] for name in own if name in kwargs})
        except Exception as error:
            ack = kwargs.get("ack")
            if ack is None or ack.response is None:
                raise
            answer_after_ack(kwargs["services"], error, kwargs.get("body") or {}, kwargs.get("respond"))
            return None

    needed = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=kind)
        for name, kind in GUARD_ARGUMENTS.items()
        if name not in own
    ]
    run.__signature__ = inspect.Signature([*own.values(), *needed])
    # Bolt injects the arguments of `inspect.unwrap(listener)`: without this it would see only the listener's own.
    del run.__wrapped__
    return run


def _log(error: Exception, body: dict[str, Any]) -> None:
    if _rate_limited(error):
        log.warning("Slack rate-limited %s: the user is asked to try again", body.get("type") or body.get("command"))
    elif not isinstance(error, UserError):
        log.exception("Unexpected failure handling %s", body.get("type") or body.get("command"), exc_info=error)


def _answer_in_ack(response: BoltResponse, body: dict[str, Any], error: Exception, message: str) -> None:
    """Not yet acknowledged: the acknowledgement itself carries the answer."""
    if body.get("type") == "view_submission":
        field = getattr(error, "field", None) or _first_input(body)
        payload: dict[str, Any] = {"response_action": "errors", "errors": {field: message}}
    else:
        payload = {"response_type": "ephemeral", "text": message}
    response.status = 200
    response.body = json.dumps(payload)
    response.headers = {"content-type": ["application/json;charset=utf-8"]}


def _first_input(body: dict[str, Any]) -> str:
    for block in body.get("view", {}).get("blocks", []):
        if block.get("type") == "input":
            return block["block_id"]
    return "main"


def _tell_user(services: Services, body: dict[str, Any], message: str) -> None:
    """No response_url (App Home, modals): by the one rule for answering a person, through the outbox."""
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id")
    if not user:
        return
    try:
        with services.transaction() as session:
            person.say(session, channel_id=channel, user_id=user, text=message)
        services.deliver()
    except Exception:
        log.warning("Could not tell %s about a failure", user)
