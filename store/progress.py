"""Progress updates after the fact: turning an update's blockers into a help request, at most once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from store import hulpvraag
from store.activities import require_change
from store.errors import NotFound, UserError
from store.models import Activity, Circle, HelpRequest, ProgressUpdate


def locked(session: Session, *, update_id: int) -> ProgressUpdate:
    """The update, locked until the transaction ends, so two presses of one button make one help request."""
    update = session.get(ProgressUpdate, update_id, with_for_update=True)
    if update is None:
        raise NotFound("voortgang.gone")
    return update


def ask_help(
    session: Session,
    *,
    circle: Circle,
    activity: Activity,
    update: ProgressUpdate,
    user_id: str,
    text: str,
    today: date | None = None,
) -> tuple[HelpRequest, bool]:
    """File the update's blockers as help request H-n for the activity; the existing one when it was made already."""
    require_change(session, circle=circle, activity=activity, user_id=user_id)
    if not update.blockers:
        raise UserError("voortgang.no_blockers")
    if update.help_request_id is not None:
        existing = session.get(HelpRequest, update.help_request_id)
        if existing is not None:
            return existing, False
    request = hulpvraag.file(
        session, circle=circle, text=text, requester_id=user_id, activity_id=activity.id, today=today
    )
    update.help_request_id = request.id
    return request, True
