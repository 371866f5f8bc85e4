"""Messages about an activity on the execution agenda: its announcement and the celebration when it is done."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks import execution_agenda as blocks
from store.activities import latest_update
from store.models import Activity, Circle
from store.vocabulary import Status


def announce(session: Session, *, circle: Circle, activity: Activity, today: date) -> None:
    """The new activity in the circle's channel."""
    delivery.enqueue(
        session,
        key=f"activity:{activity.id}:new",
        channel=circle.channel_id,
        payload=blocks.announcement(activity, today, circle.locale),
        circle_id=circle.id,
        subject=f"activity:{activity.id}:new",
    )


def after_change(session: Session, *, circle: Circle, activity: Activity) -> None:
    """What a change to an activity announces: a completed activity is celebrated (we vieren met elkaar de
    successen), once however it was completed, and with the update that completed it."""
    if activity.status != Status.AFGEROND:
        return
    delivery.enqueue(
        session,
        key=f"activity:{activity.id}:afgerond",
        channel=circle.channel_id,
        payload=blocks.celebration(activity, latest_update(activity), circle.locale),
        circle_id=circle.id,
        subject=f"activity:{activity.id}",
    )
