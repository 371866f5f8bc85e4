"""Domain errors that reach the user as a friendly, translated answer instead of a stack trace."""

from __future__ import annotations

from store.vocabulary import SHOWN


class UserError(Exception):
    """Something the user can fix: bad input, a missing circle, a forbidden change.

    `key` names a catalogue message; `params` fill its placeholders. `field` names the modal input (block_id)
    the error belongs to, so a view submission can answer with `response_action: errors`.
    """

    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


class NotFound(UserError):
    """A numbered item (A-3, K-2, H-1) that does not exist in this circle."""


class Forbidden(UserError):
    """The user may not do this to this item."""


class Conflict(UserError):
    """The item changed meanwhile (optimistic locking) or is in a state that does not allow the change."""


def shown(text: str) -> str:
    """A piece of what the user typed, short enough to quote back; it is escaped where the answer is rendered."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"
