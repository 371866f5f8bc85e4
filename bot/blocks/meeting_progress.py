"""Point 3 of the meeting agenda in full: per activity its progress and, when there is news since the meeting
before, what happened, what was learned, proposed improvements and any blocker; then the open improvement
actions, carried forward until done."""

from __future__ import annotations

from datetime import date

from bot.blocks import effects
from bot.blocks.actions import action_line
from bot.blocks.common import preview
from bot.formatting import short_date
from bot.i18n import t
from bot.slacktext import escape
from store.meeting_agenda import ActivityLine, Agenda
from store.models import MeetingDecision

NEWS_FIELDS = ("happened", "learned", "improvements", "blockers")
SHORT = 110


def _short(text: str) -> str:
    flat = preview(text)
    return flat if len(flat) <= SHORT else flat[: SHORT - 1] + "…"


def settled_mark(decision: MeetingDecision | None, locale: str) -> str:
    if decision is None:
        return ""
    mark = t(f"meeting.settled_{decision.decision}", locale)
    if decision.text:
        mark += t("meeting.settled_outcome", locale, outcome=escape(preview(decision.text)))
    return mark


def activity_text(line: ActivityLine, locale: str) -> str:
    activity = line.activity
    if activity.deadline is None:
        deadline = t("meeting.activity_no_deadline", locale)
    else:
        key = "meeting.activity_deadline_late" if line.late else "meeting.activity_deadline"
        deadline = t(key, locale, date=short_date(activity.deadline, locale))
    head = t(
        "meeting.activity_line", locale, late=t("meeting.activity_late", locale) if line.late else "",
        number=activity.number, title=escape(activity.title), percent=activity.percent, deadline=deadline,
        user=activity.initiator_id,
    )  # fmt: skip
    head += settled_mark(line.settled, locale)
    news = line.news
    if news is None:
        key = "meeting.activity_no_update" if line.latest is None else "meeting.activity_no_news"
        return head + "\n" + t(key, locale)
    day = short_date(news.created_at.date(), locale)
    parts = [t("meeting.activity_news", locale, date=day)]
    for name in NEWS_FIELDS:
        value = getattr(news, name)
        if value:
            parts.append(t(f"meeting.news_{name}", locale, text=escape(_short(value))))
    return head + "\n" + "\n".join(parts)


def lines(agenda: Agenda, today: date, locale: str) -> list[str]:
    """Point 3's lines: the activities (late ones first), one line with the circle's effects so far when anything is
    measured or aimed for, then the open improvement actions."""
    found = [activity_text(line, locale) for line in agenda.activities]
    if agenda.effects:
        found = (found or [t("meeting.empty_3", locale)]) + [effects.agenda_line(agenda.effects, locale)]
    if agenda.actions:
        found.append(t("actie.agenda_title", locale))
        found += [action_line(action, today, locale) for action in agenda.actions]
    return found


def refs(agenda: Agenda) -> list[tuple[str, str]]:
    return [
        (f"activity:{line.activity.id}", f"A-{line.activity.number} {line.activity.title}")
        for line in agenda.activities
        if line.activity.status not in ("afgerond", "gestopt")
    ]
