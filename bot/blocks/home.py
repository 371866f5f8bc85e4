"""The App Home tab: per circle, my activities, what waits for my update, help I could give, the next meeting."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.blocks import circle_home
from bot.blocks.actions import action_line
from bot.blocks.common import Json, button, context, divider, header, plain, preview, section, with_accessory
from bot.blocks.delivery import problem_blocks
from bot.blocks.execution_agenda import facts
from bot.formatting import clock, long_date
from bot.i18n import t
from bot.slacktext import escape
from store.home import CircleOverview
from store.models import Activity, HelpRequest, ImprovementAction, Meeting

VIEW_BLOCKS = 100
SHOWN = 6  # items per list before "and N more"


def _with_button(text: str, label: str, action_id: str, value: str) -> Json:
    return with_accessory(section(text), button(label, action_id, value))


def _activity(activity: Activity, today: date, locale: str, action_id: str, label: str) -> Json:
    text = f"*A-{activity.number}* {escape(activity.title)}\n{facts(activity, today, locale)}"
    return _with_button(text, label, action_id, str(activity.id))


def _with_done(action: ImprovementAction, today: date, locale: str) -> Json:
    return _with_button(
        action_line(action, today, locale), t("actie.button_done", locale), "action_done", str(action.id)
    )


def _request(request: HelpRequest, locale: str) -> Json:
    text = t(
        "home.help_line", locale, number=request.number, text=escape(preview(request.text)), user=request.requester_id
    )
    return _with_button(text, t("hulpvraag.help_button", locale), "hulpvraag_help", str(request.id))


def _meeting(meeting: Meeting | None, locale: str) -> str:
    if meeting is None:
        return t("home.no_meeting", locale)
    start = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
    place = t("home.meeting_place", locale, place=escape(meeting.location)) if meeting.location else ""
    return t("home.next_meeting", locale, date=long_date(start.date(), locale), time=clock(start, locale), place=place)


def _orphans(overview: CircleOverview, locale: str) -> list[Json]:
    """For coordinators: the activities whose initiator left the workspace, shown as without initiator."""
    if not overview.orphans:
        return []
    lines = [
        f"*A-{a.number}* {escape(a.title)}\n{facts(a, overview.today, locale, gone=True)}" for a in overview.orphans
    ]
    blocks: list[Json] = [section(t("people.orphans_title", locale)), *[section(line) for line in lines]]
    if overview.total("orphans") > len(overview.orphans):
        blocks.append(
            context(t("people.orphans_more", locale, count=overview.total("orphans") - len(overview.orphans)))
        )
    return blocks


def circle_blocks(overview: CircleOverview, locale: str) -> list[Json]:
    circle, today = overview.circle, overview.today
    mine = [
        _activity(a, today, locale, "activity_progress", t("agenda.button_progress", locale)) for a in overview.mine
    ]
    waiting = [
        _activity(a, today, locale, "activity_progress", t("agenda.button_progress", locale)) for a in overview.waiting
    ]
    helps = [_request(r, locale) for r in overview.help_requests]
    owed = [_with_done(action, today, locale) for action in overview.actions]
    blocks: list[Json] = [
        header(circle.name[:150]),
        context(_meeting(overview.next_meeting, locale)),
        *problem_blocks(overview.problems, overview.total("problems"), locale),
        *_orphans(overview, locale),
        *circle_home.blocks(overview, locale),
    ]
    lists = (
        ("home.waiting", waiting, overview.total("waiting")),
        ("actie.home", owed, len(owed)),
        ("home.mine", mine, overview.total("mine")),
        ("home.help", helps, overview.total("help")),
    )
    for key, items, total in lists:
        blocks.append(section(t(f"{key}_title", locale)))
        blocks += items[:SHOWN] or [context(t(f"{key}_empty", locale))]
        if total > SHOWN:
            blocks.append(context(t(f"{key}_more", locale, count=total - SHOWN)))
    return blocks


def home_view(overviews: list[CircleOverview], locale: str, *, resumed: list[str] | tuple[str, ...] = ()) -> dict:
    """Every circle of this person, within Slack's 100 blocks: a circle that no longer fits is named, not dropped.
    `resumed`: circles posting again after their workspace had the bot uninstalled, said once."""
    blocks: list[Json] = [section(t("home.intro", locale))]
    if resumed:
        blocks.append(section(t("home.resumed", locale, circles=", ".join(escape(name) for name in resumed))))
    if not overviews:
        blocks.append(section(t("home.no_circles", locale)))
    left_out: list[str] = []
    for overview in overviews:
        part = [divider(), *circle_blocks(overview, locale)]
        if len(blocks) + len(part) > VIEW_BLOCKS - 1:
            left_out.append(escape(overview.circle.name))
            continue
        blocks += part
    if left_out:
        blocks.append(context(t("home.left_out", locale, circles=", ".join(left_out))))
    return {"blocks": [plain(block) for block in blocks], "type": "home"}
