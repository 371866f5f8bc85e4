"""Messages about a help request: its post in the circle's channel, that post's refresh, the helper's DM."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import delivery
from bot.blocks import hulpvraag as blocks
from store.models import Circle, HelpRequest


def subject(request: HelpRequest) -> str:
    return f"hulpvraag:{request.id}"


def post(session: Session, *, circle: Circle, request: HelpRequest) -> None:
    """The new request in the circle's channel, with the "Ik help" button."""
    delivery.enqueue(
        session,
        key=f"hulpvraag:{request.id}:post",
        channel=circle.channel_id,
        payload=blocks.post(request, circle.locale),
        circle_id=circle.id,
        subject=subject(request),
    )


def refresh(session: Session, *, circle: Circle, request: HelpRequest) -> None:
    """Show the request's new state (helpers, resolved, settled) in its post."""
    version = f"{request.status}:{len(request.offers)}"
    delivery.refresh(session, subject=subject(request), payload=blocks.post(request, circle.locale), version=version)


def help_offered(session: Session, *, circle: Circle, request: HelpRequest, helper_id: str) -> None:
    """Tell the one who asked who offered help, once per helper."""
    delivery.enqueue(
        session,
        key=f"hulpvraag:{request.id}:helper:{helper_id}",
        channel=request.requester_id,
        payload=blocks.helper_dm(request, helper_id, circle.locale),
        circle_id=circle.id,
    )
