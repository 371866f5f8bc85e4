"""Help requests (hulpvragen): asking the circle for help, expertise or capacity, and who offered it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import circles
from store.errors import Conflict, Forbidden, NotFound, UserError
from store.models import Circle, HelpOffer, HelpRequest
from store.types import utcnow


def file(
    session: Session,
    *,
    circle: Circle,
    text: str,
    requester_id: str,
    expertise: str | None = None,
    wanted_by: date | None = None,
    today: date | None = None,
    activity_id: int | None = None,
) -> HelpRequest:
    """Store a new help request H-n."""
    if wanted_by is not None and today is not None and wanted_by < today:
        raise UserError("hulpvraag.wanted_by_past", field="wanted_by")
    circles.ensure_member(session, circle=circle, user_id=requester_id)
    number = circles.next_number(session, circle_id=circle.id, kind="H")
    request = HelpRequest(
        circle_id=circle.id,
        number=number,
        text=text,
        expertise=expertise,
        wanted_by=wanted_by,
        requester_id=requester_id,
        activity_id=activity_id,
    )
    session.add(request)
    session.flush()
    circles.record(session, circle=circle, actor_id=requester_id, subject=f"H-{number}", action="filed")
    return request


def get(session: Session, *, circle: Circle, number: int) -> HelpRequest:
    request = session.scalars(
        select(HelpRequest).where(HelpRequest.circle_id == circle.id, HelpRequest.number == number)
    ).first()
    if request is None:
        raise NotFound("hulpvraag.not_found", number=number)
    return request


def by_id(session: Session, *, request_id: int | None) -> HelpRequest:
    request = session.get(HelpRequest, request_id) if request_id is not None else None
    if request is None:
        raise NotFound("hulpvraag.gone")
    return request


def open_requests(session: Session, *, circle: Circle) -> list[HelpRequest]:
    statement = select(HelpRequest).where(HelpRequest.circle_id == circle.id, HelpRequest.status == "open")
    return list(session.scalars(statement.order_by(HelpRequest.number)))


def count_open(session: Session, *, circle: Circle) -> int:
    statement = select(func.count()).where(HelpRequest.circle_id == circle.id, HelpRequest.status == "open")
    return session.scalar(statement) or 0


def open_page(session: Session, *, circle: Circle, offset: int, limit: int) -> list[HelpRequest]:
    """A page of the open requests by number, with their offers."""
    statement = select(HelpRequest).where(HelpRequest.circle_id == circle.id, HelpRequest.status == "open")
    return list(session.scalars(statement.order_by(HelpRequest.number).offset(offset).limit(limit)))


def offer_help(session: Session, *, request: HelpRequest, user_id: str) -> bool:
    """Record a helper; False when this person had already offered, or asked the question themselves."""
    if request.status != "open":
        raise Conflict("hulpvraag.closed", number=request.number)
    if user_id == request.requester_id:
        raise UserError("hulpvraag.own_request")
    exists = session.scalar(
        select(func.count()).where(HelpOffer.request_id == request.id, HelpOffer.user_id == user_id)
    )
    if exists:
        return False
    try:
        with session.begin_nested():
            session.add(HelpOffer(request_id=request.id, user_id=user_id))
    except IntegrityError:
        return False
    session.refresh(request, ["offers"])
    return True


def can_close(session: Session, *, circle: Circle, request: HelpRequest, user_id: str) -> bool:
    return request.requester_id == user_id or circles.is_coordinator(session, circle=circle, user_id=user_id)


def resolve(session: Session, *, circle: Circle, request: HelpRequest, user_id: str, outcome: str) -> HelpRequest:
    """Close a request with its outcome: the requester or a coordinator may do so."""
    if not can_close(session, circle=circle, request=request, user_id=user_id):
        raise Forbidden("hulpvraag.resolve_forbidden", number=request.number)
    if request.status == "opgelost":
        raise Conflict("hulpvraag.already_resolved", number=request.number)
    request.status, request.outcome, request.closed_by, request.closed_at = "opgelost", outcome, user_id, utcnow()
    circles.record(session, circle=circle, actor_id=user_id, subject=f"H-{request.number}", action="resolved")
    return request
