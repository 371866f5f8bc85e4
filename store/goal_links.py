"""How much an activity weighs in a goal's progress: set by whoever may change the activity."""

from __future__ import annotations

from sqlalchemy.orm import Session

from store import circles
from store.activities import label, require_change
from store.errors import Conflict, UserError
from store.models import Activity, Circle, Goal, GoalLink
from store.vocabulary import MAX_WEIGHT


def weigh(
    session: Session, *, circle: Circle, actor_id: str, goal: Goal, activity: Activity, weight: int
) -> GoalLink | None:
    """Link an activity to a goal with a weight (0 unlinks); whoever may change the activity may do this."""
    require_change(session, circle=circle, activity=activity, user_id=actor_id)
    if not 0 <= weight <= MAX_WEIGHT:
        raise UserError("goals.weight_range", text=str(weight), high=MAX_WEIGHT)
    link = next((link for link in activity.goal_links if link.goal_id == goal.id), None)
    if weight == 0:
        if link is not None:
            activity.goal_links.remove(link)
    elif link is None:
        if goal.retired_at is not None:
            raise Conflict("goals.already_retired", name=goal.name)
        link = GoalLink(goal=goal, weight=weight)
        activity.goal_links.append(link)
    else:
        link.weight = weight
    session.flush()
    details = {"goal": goal.name, "weight": weight}
    circles.record(session, circle=circle, actor_id=actor_id, subject=label(activity), action="goal_weight", **details)
    return link if weight else None
