"""The execution agenda as Slack shows it: the paged listing, one activity with its history, and channel posts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Option

from bot.blocks.common import Json, actions, button, context, header, message, option, preview, section
from bot.blocks.theme_names import activity_theme, theme_label
from bot.blocks.versions import version_label
from bot.formatting import amount, short_date
from bot.i18n import mention, t, without_removed
from bot.slacktext import escape, quote
from store.activities import is_late
from store.models import Activity, AuditEvent, CircleTheme, ProgressUpdate
from store.versions import VersionState

MESSAGE_BLOCKS = 50
PAGE_BLOCKS = MESSAGE_BLOCKS - 3  # room for the header, its context line and the page buttons
CHUNK = 2900


def theme_options(themes: list[CircleTheme], locale: str) -> list[Option]:
    return [option(theme_label(theme, locale), theme.key) for theme in themes[:100]]


def status_label(status: str, locale: str) -> str:
    return t(f"agenda.status_{status}", locale)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def people(user_ids: list[str]) -> str:
    return ", ".join(f"<@{user}>" for user in user_ids)  # shown through t(), which words removed people


def facts(activity: Activity, today: date, locale: str, *, gone: bool = False) -> str:
    """`lopend · 40% · initiator · deadline (late marked) · budget` on one line; `gone`: the initiator has left the
    workspace, so the activity is shown as without initiator."""
    initiator = t("people.no_initiator", locale) if gone else mention(activity.initiator_id, locale)
    parts = [status_label(activity.status, locale), f"{activity.percent}%", initiator]
    if activity.deadline is not None:
        key = "agenda.deadline_late" if is_late(activity, today) else "agenda.deadline"
        parts.append(t(key, locale, date=short_date(activity.deadline, locale)))
    if activity.budget is not None:
        parts.append(amount(activity.budget, locale))
    return " · ".join(parts)


def activity_line(
    activity: Activity, today: date, locale: str, zone: ZoneInfo, update: ProgressUpdate | None, *, gone: bool = False
) -> str:
    """The activity's number, title and facts, and what its latest progress `update` said."""
    lines = [f"*A-{activity.number}* {escape(activity.title)}", facts(activity, today, locale, gone=gone)]
    if update is not None and (update.happened or update.blockers):
        when = short_date(local_day(update.created_at, zone), locale)
        said = escape(preview(update.happened or update.blockers or ""))
        lines.append(t("agenda.latest_progress", locale, date=when, text=said))
    return "\n".join(lines)


class Span(NamedTuple):
    """A run of one theme's activities on a page: from `offset` within the theme (by number), `count` of them."""

    theme: str
    offset: int
    count: int


def page_spans(counts: Iterable[tuple[str, int]]) -> list[list[Span]]:
    """The agenda's pages, laid out from the number of activities per theme alone (in the circle's order of its
    themes), so only the page shown is read: grouped by theme, a heading for each theme on a page, at most
    PAGE_BLOCKS blocks per page."""
    pages: list[list[Span]] = []
    page: list[Span] = []
    used = 0
    for theme, count in counts:
        offset, left = 0, count
        while left:
            room = PAGE_BLOCKS - used - 1  # one block for the theme's heading
            if room < 1:
                pages.append(page)
                page, used = [], 0
                continue
            taken = min(left, room)
            page.append(Span(theme, offset, taken))
            used, offset, left = used + 1 + taken, offset + taken, left - taken
    if page:
        pages.append(page)
    return pages


@dataclass
class AgendaPage:
    """One page of the agenda as read: its spans, their activities in order, each one's latest progress."""

    number: int
    pages: int
    total: int
    spans: list[Span] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    latest: dict[int, ProgressUpdate] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # initiators who left the workspace

    def blocks(self, today: date, locale: str, zone: ZoneInfo) -> list[Json]:
        """A heading per span (named again when its theme runs on from the page before), a section per activity."""
        blocks: list[Json] = []
        remaining = iter(self.activities)
        for span in self.spans:
            run = [activity for _, activity in zip(range(span.count), remaining, strict=False)]
            theme = activity_theme(run[0], locale) if run else theme_label(span.theme, locale)
            key = "agenda.theme_continued" if span.offset else "agenda.theme_heading"
            blocks.append(section(t(key, locale, theme=escape(theme))))
            for activity in run:
                gone = activity.initiator_id in self.gone
                line = activity_line(activity, today, locale, zone, self.latest.get(activity.id), gone=gone)
                blocks.append(section(line))
        return blocks


def agenda_message(
    page: AgendaPage,
    *,
    circle_id: int,
    version: VersionState,
    today: date,
    locale: str,
    zone: ZoneInfo,
    filters: str = "",
) -> dict:
    """One page of the agenda; page buttons carry the circle, the page and the filters as they were typed."""
    title = t("agenda.title", locale, version=version_label(version, locale))
    summary = t("agenda.summary", locale, count=page.total)
    if filters:
        summary += " · " + t("agenda.filtered", locale, filters=escape(filters))
    if page.pages > 1:
        summary += " · " + t("agenda.page", locale, page=page.number, pages=page.pages)
    blocks: list[Json] = [header(title), context(summary)]
    if not page.spans:
        key = "agenda.empty_filtered" if filters else "agenda.empty"
        return message([*blocks, section(t(key, locale))], title)
    blocks.extend(page.blocks(today, locale, zone))
    navigation = []
    if page.number > 1:
        value = f"{circle_id}|{page.number - 1}|{filters}"
        navigation.append(button(t("agenda.previous", locale), "agenda_page", value))
    if page.number < page.pages:
        navigation.append(button(t("agenda.next", locale), "agenda_page", f"{circle_id}|{page.number + 1}|{filters}"))
    if navigation:
        blocks.append(actions(*navigation))
    return message(blocks, title)


def detail(activity: Activity, events: list[AuditEvent], *, today: date, locale: str, zone: ZoneInfo) -> dict:
    """One activity: every field, the team, the whole history, and what can be done with it."""
    heading = t("agenda.detail_title", locale, number=activity.number, title=escape(activity.title))
    blocks: list[Json] = [section(heading + "\n" + facts(activity, today, locale)), section(_fields(activity, locale))]
    for key, text in (("description", activity.description), ("needs", activity.needs)):
        if text:
            blocks.append(section(t(f"agenda.detail_{key}", locale) + "\n" + quote(text)))
    blocks.append(_buttons(activity, locale))
    blocks.append(section(t("agenda.history_title", locale)))
    room = MESSAGE_BLOCKS - len(blocks) - 1
    history = _chunks(timeline(activity, events, locale, zone))
    if len(history) > room:
        history = history[-room:]
        blocks.append(context(t("agenda.history_cut", locale)))
    blocks.extend(section(chunk) for chunk in history)
    return message(blocks, t("agenda.detail_fallback", locale, number=activity.number, title=escape(activity.title)))


def _fields(activity: Activity, locale: str) -> str:
    none = t("common.none", locale)
    rows = [
        (t("agenda.field_theme", locale), escape(activity_theme(activity, locale))),
        (t("agenda.field_initiator", locale), mention(activity.initiator_id, locale)),
        (
            t("agenda.field_team", locale),
            without_removed(people([member.user_id for member in activity.team]), locale) or none,
        ),
        (t("agenda.field_deadline", locale), short_date(activity.deadline, locale) if activity.deadline else none),
        (t("agenda.field_budget", locale), amount(activity.budget, locale) if activity.budget is not None else none),
        (t("agenda.field_goal", locale), "; ".join(escape(link.goal.name) for link in activity.goal_links) or none),
    ]
    if activity.stop_reason:
        rows.append((t("agenda.field_stop_reason", locale), escape(activity.stop_reason)))
    return "\n".join(f"*{name}:* {value}" for name, value in rows)


def _buttons(activity: Activity, locale: str) -> Json:
    value = str(activity.id)
    buttons = [button(t("agenda.button_progress", locale), "activity_progress", value, style="primary")]
    if activity.status not in ("afgerond", "gestopt"):
        buttons.append(button(t("agenda.button_status", locale), "activity_status", value))
        buttons.append(button(t("agenda.button_deadline", locale), "activity_deadline", value))
    buttons.append(button(t("agenda.button_edit", locale), "activity_edit", value))
    return actions(*buttons, block_id=f"activity_{activity.id}")


def timeline(activity: Activity, events: list[AuditEvent], locale: str, zone: ZoneInfo) -> list[str]:
    """Progress updates and recorded changes, oldest first, one entry each."""
    entries = [(update.created_at, 1, update_entry(update, locale, zone)) for update in activity.updates]
    entries += [
        (event.created_at, 0, _event_entry(event, locale, zone)) for event in events if event.action != "progress"
    ]
    return [text for _, _, text in sorted(entries, key=lambda entry: (entry[0], entry[1])) if text]


def update_entry(update: ProgressUpdate, locale: str, zone: ZoneInfo) -> str:
    head = [f"*{short_date(local_day(update.created_at, zone), locale)}* <@{update.author_id}>"]
    if update.percent is not None:
        head.append(f"{update.percent}%")
    if update.status:
        head.append(status_label(update.status, locale))
    lines = [" · ".join(head)]
    for key in ("happened", "learned", "improvements", "blockers"):
        text = getattr(update, key)
        if text:
            lines.append(t(f"voortgang.label_{key}", locale) + " " + escape(text))
    return "\n".join(lines)


def _event_entry(event: AuditEvent, locale: str, zone: ZoneInfo) -> str:
    when = short_date(local_day(event.created_at, zone), locale)
    details = event.details or {}
    if event.action == "status":
        what = t("agenda.event_status", locale, status=status_label(str(details.get("to")), locale))
        if details.get("reason"):
            what += ": " + escape(str(details["reason"]))
    elif event.action == "deadline":
        what = t("agenda.event_deadline", locale, date=_iso_short(details.get("to"), locale))
    elif event.action == "edited":
        fields = ", ".join(t(f"agenda.field_{name}", locale).lower() for name in details.get("fields", []))
        what = t("agenda.event_edited", locale, fields=fields)
    elif event.action == "created":
        what = t("agenda.event_created", locale)
    else:
        what = escape(event.action)
    actor = mention(event.actor_id, locale) if event.actor_id else t("agenda.someone", locale)
    return f"_{when}_ {actor} {what}"


def _iso_short(value: object, locale: str) -> str:
    try:
        return short_date(date.fromisoformat(str(value)), locale)
    except ValueError:
        return t("common.none", locale)


def _chunks(entries: list[str]) -> list[str]:
    """Entries packed into section texts below Slack's 3000-character limit."""
    chunks: list[str] = []
    for entry in entries:
        entry = entry if len(entry) <= CHUNK else entry[: CHUNK - 1] + "…"
        if chunks and len(chunks[-1]) + len(entry) + 2 <= CHUNK:
            chunks[-1] += "\n\n" + entry
        else:
            chunks.append(entry)
    return chunks


def announcement(activity: Activity, today: date, locale: str) -> dict:
    """The channel post for a new activity."""
    text = t("agenda.new_post", locale, number=activity.number, title=escape(activity.title))
    theme = escape(activity_theme(activity, locale))
    blocks = [section(text + "\n" + facts(activity, today, locale)), context(theme)]
    blocks.append(actions(button(t("agenda.button_view", locale), "activity_view", str(activity.id))))
    return message(blocks, t("agenda.new_fallback", locale, number=activity.number, title=escape(activity.title)))


def celebration(activity: Activity, update: ProgressUpdate | None, locale: str) -> dict:
    """We vieren met elkaar de successen."""
    team = [member.user_id for member in activity.team]
    thanks = t("agenda.celebration_team", locale, team=people(team)) if team else ""
    text = t(
        "agenda.celebration",
        locale,
        number=activity.number,
        title=escape(activity.title),
        initiator=activity.initiator_id,
        team=thanks,
    )
    blocks = [section(text)]
    if update is not None and update.learned:
        blocks.append(context(t("agenda.celebration_learned", locale, text=escape(preview(update.learned)))))
    return message(
        blocks, t("agenda.celebration_fallback", locale, number=activity.number, title=escape(activity.title))
    )
