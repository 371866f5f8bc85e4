"""The deadline nudge: one DM per person per working day, bundling everything due for them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.nudge import nudge_dm
from store.actions import ActionNudge
from store.models import Circle
from store.nudges import Nudge


def send(
    session: Session,
    *,
    circle: Circle,
    user_id: str,
    key: str,
    due: list[Nudge],
    left_over: int,
    owed: list[ActionNudge] = (),
) -> None:
    payload = nudge_dm(circle, due, circle.locale, left_over=left_over, owed=owed)
    delivery.enqueue(session, key=key, channel=user_id, payload=payload, circle_id=circle.id)
