"""What the bot says about a record is queued in the outbox by the transaction that changed the record, once."""

from __future__ import annotations

from sqlalchemy import select

from bot.messages import activity as activity_messages
from store import activities
from store.models import Circle, Outbox
from tests.helpers import new_activity, start_circle


def test_completion_is_celebrated_once_through_the_outbox(session_factory) -> None:
    kring = start_circle(session_factory)
    with session_factory.begin() as session:
        circle = session.get(Circle, kring)
        activity = new_activity(session, kring, status="lopend", team=["U3"])
        activities.set_status(session, circle=circle, activity=activity, user_id="U3", status="afgerond")
        activity_messages.after_change(session, circle=circle, activity=activity)
        activity_messages.after_change(session, circle=circle, activity=activity)
        activity_id = activity.id
    with session_factory() as session:
        [post] = session.scalars(select(Outbox).where(Outbox.key == f"activity:{activity_id}:afgerond")).all()
        assert post.channel == "C1"
        assert "We vieren met elkaar de successen" in post.payload["blocks"][0]["text"]["text"]
        assert "<@U3>" in post.payload["blocks"][0]["text"]["text"]
