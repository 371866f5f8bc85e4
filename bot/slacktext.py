"""Text between users and Slack: read what Slack sends, check it, and write it back so it can never ping anyone."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from store.errors import UserError

MAX_TEXT = 2000

USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<!(channel|here|everyone|group)(?:\|[^>]*)?>")
SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")
DATE_TOKEN = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
ANY_TOKEN = re.compile(r"<[^>]*>")


def mentioned_users(text: str) -> list[str]:
    """User ids mentioned as <@U123|naam> or <@U123>, in order, without repeats."""
    seen: list[str] = []
    for match in USER_MENTION.finditer(text or ""):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def without_mentions(text: str) -> str:
    return " ".join(USER_MENTION.sub(" ", text or "").split())


def from_slack(text: str) -> str:
    """Turn Slack's formatted text into plain text: mentions and broadcasts become inert words, escapes are undone."""
    text = text or ""
    text = USER_MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = SUBTEAM.sub(lambda m: m.group(1) or "@groep", text)
    text = DATE_TOKEN.sub(lambda m: m.group(1), text)
    text = CHANNEL_LINK.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = LINK.sub(lambda m: m.group(1) if not m.group(2) else f"{m.group(2)} ({m.group(1)})", text)
    text = ANY_TOKEN.sub("", text)
    return html.unescape(text)


def clean(text: str, *, field: str | None = None, limit: int = MAX_TEXT, required: bool = True) -> str:
    """Plain, checked user text: trimmed, no control characters, not empty (when required), not too long."""
    plain = from_slack(text).replace("\r\n", "\n").strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in plain):
        raise UserError("text.control_characters", field=field)
    if required and not plain:
        raise UserError("text.empty", field=field)
    if len(plain) > limit:
        raise UserError("text.too_long", field=field, limit=limit, length=len(plain))
    return plain


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: `<`, `>` and `&` are escaped, so no token survives to ping anyone."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str) -> str:
    """User text as a mrkdwn block quote."""
    return "\n".join("> " + line for line in escape(text).splitlines()) or ">"


def defuse(value: Any) -> Any:
    """Strip broadcast tokens from anything about to be sent: the bot itself never pings a channel or group."""
    if isinstance(value, str):
        return SUBTEAM.sub(lambda m: m.group(1) or "@groep", SPECIAL.sub(lambda m: "@" + m.group(1), value))
    if isinstance(value, dict):
        return {key: defuse(item) for key, item in value.items()}
    if isinstance(value, list):
        return [defuse(item) for item in value]
    return value
