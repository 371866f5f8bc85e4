"""The one rule for answering a single person: ephemeral in the channel they acted in, a DM everywhere else."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from sqlalchemy.orm import Session

from bot import delivery


def answer(session: Session, *, channel_id: str | None, user_id: str, payload: dict[str, Any]) -> None:
    """`payload` (text and blocks) for `user_id` only: in a channel as an ephemeral message; in a DM, the App Home
    or a modal opened there (no channel, or a `D…` conversation), as a direct message."""
    if channel_id and not channel_id.startswith("D"):
        delivery.enqueue(
            session,
            key=f"ephemeral:{uuid4()}",
            method="chat.postEphemeral",
            channel=channel_id,
            payload={"user": user_id, **payload},
        )
    else:
        delivery.enqueue(session, key=f"dm:{uuid4()}", channel=user_id, payload=payload)


def say(session: Session, *, channel_id: str | None, user_id: str, text: str) -> None:
    """A one-line answer for `user_id` only."""
    answer(session, channel_id=channel_id, user_id=user_id, payload={"text": text})
