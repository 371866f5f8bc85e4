"""Channels shared between workspaces (Slack Connect): one channel, one id, one circle for the members of all of them.

Slack marks a payload from such a channel `is_ext_shared_channel`. Before the request is authorized, the channel's
circle is marked shared (its members from every workspace reach it, answered with the token of the workspace that
has the bot) and the person's own workspace is noted, so their direct messages go through its bot when it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.services import Services
from store import circles, workspaces


class SharedChannels:
    """Bolt's `before_authorize` middleware; remembers what it recorded, so each channel and person costs one write."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.known: set[tuple[str, ...]] = set()

    def middleware(self, body: dict, next_: Callable[[], None]) -> None:
        if body.get("is_ext_shared_channel") in (True, "true"):  # a slash command's form says "true"
            self.record(channel_of(body), *person_of(body))
        next_()

    def record(self, channel: str | None, user_id: str | None, team_id: str | None) -> None:
        channel_new = isinstance(channel, str) and ("channel", channel) not in self.known
        person_new = bool(user_id and team_id) and ("person", user_id, team_id) not in self.known
        if not (channel_new or person_new):
            return
        with self.services.transaction() as session:
            if channel_new:
                circles.mark_shared(session, channel_id=channel)
            if person_new:
                workspaces.met(session, user_id=user_id, team_id=team_id)
        if channel_new:
            self.known.add(("channel", channel))
        if person_new:
            self.known.add(("person", user_id, team_id))


def channel_of(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
    return channel or (body.get("event") or {}).get("channel")


def person_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """Who acted, and the workspace they belong to: a command names both; a button the user; an event its user."""
    if isinstance(body.get("user"), dict):
        return body["user"].get("id"), body["user"].get("team_id")
    event = body.get("event") or {}
    if event.get("user"):
        return event.get("user"), event.get("user_team")
    return body.get("user_id"), body.get("team_id")
