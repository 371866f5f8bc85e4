"""Messages about an improvement action: the word to its owner when someone else filed it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks.actions import owner_dm
from store.models import Circle, ImprovementAction


def filed(session: Session, *, circle: Circle, action: ImprovementAction, today: date) -> None:
    """Tell the owner, once, when the action was put in their name by someone else."""
    if action.owner_id == action.created_by:
        return
    delivery.enqueue(
        session,
        key=f"actie:{action.id}:owner",
        channel=action.owner_id,
        payload=owner_dm(action, circle.name, today, circle.locale),
        circle_id=circle.id,
    )
