"""Each person's language as their Slack client is set: asked once a day per person, never in the way of an answer.

Slack sends no locale with a slash command, so `users.info` (with `include_locale`) is asked the first time someone
acts and then kept for a day; a person's language changes rarely. The question runs on its own short leash: no
retries, and the caller waits at most `WAIT` seconds for it, because the answer usually rides on the acknowledgement
Slack wants within three. Whoever cannot wait gets None (the caller falls back to the circle's language) and the
late answer is kept for next time.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.i18n import normalise_locale

log = logging.getLogger(__name__)

KEEP = timedelta(days=1)
KEEP_UNKNOWN = timedelta(minutes=10)  # Slack did not answer: ask again soon, but not on every command
WAIT = 1.5  # seconds a caller waits for Slack's answer
TIMEOUT = 5  # seconds the question itself may take, in the background once nobody waits for it
SIZE = 5000  # people remembered per process; the least recently asked are forgotten first

Key = tuple[str, str]


class Languages:
    """`of(team_id, user_id)`: "nl" or "en" as the person's Slack is set, or None when not known (yet)."""

    def __init__(
        self,
        client: WebClient,
        clock: Callable[[], datetime],
        *,
        wait: float = WAIT,
        size: int = SIZE,
        tokens: Callable[[str | None], str | None] | None = None,
        on_seen: Callable[[str, bool], object] | None = None,
    ) -> None:
        """`on_seen(user_id, deleted)`: told what Slack says of the person, deleted (deactivated) or here."""
        self._on_seen = on_seen
        self._client = WebClient(token=client.token, base_url=client.base_url, timeout=TIMEOUT, retry_handlers=[])
        self._tokens = tokens  # each workspace's token, when the bot is installed in several
        self._clock, self._wait, self._size = clock, wait, size
        self._known: OrderedDict[Key, tuple[str | None, datetime]] = OrderedDict()
        self._asking: dict[Key, threading.Thread] = {}
        self._lock = threading.Lock()

    def of(self, team_id: str | None, user_id: str, *, ask: bool = True) -> str | None:
        """`ask=False`: only what is known already; Slack hears nothing of this person now."""
        key = (team_id or "", user_id)
        with self._lock:
            known, language = self._fresh(key)
            if known or not ask:
                return language
            asking = self._asking.get(key)
            if asking is None:  # one question per person at a time, however many requests wait for it
                asking = threading.Thread(target=self._ask, args=(key,), name="users.info", daemon=True)
                self._asking[key] = asking
                asking.start()
        asking.join(self._wait)
        with self._lock:
            return self._fresh(key)[1]

    def forget(self, team_id: str | None, user_id: str) -> None:
        """Drop what is remembered of this person, as when their data is removed."""
        with self._lock:
            self._known.pop((team_id or "", user_id), None)

    def _fresh(self, key: Key) -> tuple[bool, str | None]:
        known = self._known.get(key)
        if known is None or known[1] <= self._clock():
            return False, None
        self._known.move_to_end(key)
        return True, known[0]

    def _ask(self, key: Key) -> None:
        language, keep = None, KEEP_UNKNOWN
        try:
            token = self._tokens(key[0] or None) if self._tokens else None
            extra = {"token": token} if token else {}
            user = self._client.users_info(user=key[1], include_locale=True, **extra)["user"]
            language, keep = normalise_locale(user.get("locale"), default="") or None, KEEP
            if self._on_seen is not None:
                self._on_seen(key[1], bool(user.get("deleted")))
        except Exception as error:  # the circle's language will do; the next command asks again
            log.warning("Could not ask Slack for the language of %s: %s", key[1], error)
        with self._lock:
            self._known[key] = (language, self._clock() + keep)
            self._known.move_to_end(key)
            while len(self._known) > self._size:
                self._known.popitem(last=False)
            self._asking.pop(key, None)
