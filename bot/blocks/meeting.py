"""The meeting agenda as posted in the channel (and previewed), and the short answers around meetings."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import Block, Option, OverflowMenuElement, PlainTextObject, StaticSelectElement

from bot.blocks import meeting_progress as progress
from bot.blocks import members
from bot.blocks.common import Json, actions, button, context, message, preview, section, with_accessory
from bot.blocks.execution_agenda import theme_label
from bot.blocks.versions import version_label
from bot.formatting import clock, long_date
from bot.i18n import mention, t
from bot.slacktext import escape, quote
from store.meeting_agenda import Agenda
from store.meetings import wall_clock
from store.models import HelpRequest, KlaagpaalItem, Meeting, MeetingTopic

SECTIONS_PER_POINT = 3
THREAD_SECTIONS = 14  # the rest of point 3 in the thread, within a message's size
CHUNK = 2900
OPTION_TEXT = 75
MAX_OPTIONS = 100


def when(meeting: Meeting, locale: str) -> str:
    """`dinsdag 8 december 2026, 14:00`, in the meeting's own zone."""
    start = wall_clock(meeting)
    return f"{long_date(start.date(), locale)}, {clock(start, locale)}"


def moment(value: datetime, locale: str) -> tuple[str, str]:
    return long_date(value.date(), locale), clock(value, locale)


def agenda_post(agenda: Agenda, locale: str) -> dict:
    """One message: the header with date, time and place, then the five fixed points in order."""
    blocks = _header(agenda, locale)
    blocks += _point(agenda, 1, _topic_lines(agenda.topics.get(1, []), locale), _topic_refs(agenda, 1), locale)
    blocks += _point(agenda, 2, _topic_lines(agenda.topics.get(2, []), locale), _topic_refs(agenda, 2), locale)
    blocks += _point(
        agenda, 3, progress.lines(agenda, _today(agenda), locale), progress.refs(agenda), locale,
        unread=agenda.more_activities,
    )  # fmt: skip
    blocks += _point(
        agenda, 4, [_klaagpaal_line(item, locale) for item in agenda.klaagpaal], _klaagpaal_refs(agenda), locale,
        unread=agenda.more_klaagpaal,
    )  # fmt: skip
    blocks += _point(
        agenda, 5, [_help_line(request, locale) for request in agenda.requests], _help_refs(agenda), locale,
        unread=agenda.more_requests,
    )  # fmt: skip
    if agenda.kring and agenda.meeting.status != "geannuleerd":
        blocks.append(section(members.agenda_note(agenda.kring, locale)))
    if agenda.meeting.status != "geannuleerd":
        blocks.append(context(t("meeting.footer", locale)))
        if agenda.meeting.closed_at is None:
            blocks.append(record_menu(agenda.meeting, locale))
    fallback = t("meeting.fallback", locale, circle=escape(agenda.circle.name), when=when(agenda.meeting, locale))
    return message(blocks, fallback)


def record_menu(meeting: Meeting, locale: str) -> Json:
    """Under the agenda: mark yourself present, or (coordinators) close the meeting and send its record."""
    menu = OverflowMenuElement(
        action_id="meeting_record",
        options=[
            Option(value=f"present:{meeting.id}", text=PlainTextObject(text=t("verslag.menu_present", locale))),
            Option(value=f"close:{meeting.id}", text=PlainTextObject(text=t("verslag.menu_close", locale))),
        ],
    )
    return with_accessory(section(t("verslag.menu_text", locale)), menu)


def agenda_preview(agenda: Agenda, due: datetime, locale: str) -> dict:
    """Exactly the post, under a line saying when it goes out (or that it is out)."""
    if agenda.posted:
        note = t("meeting.preview_posted", locale)
    else:
        day, time = moment(due, locale)
        note = t("meeting.preview_note", locale, date=day, time=time)
    post = agenda_post(agenda, locale)
    return {"text": post["text"], "blocks": [context(note), *post["blocks"]]}


def _header(agenda: Agenda, locale: str) -> list[Block]:
    meeting = agenda.meeting
    lines = [t("meeting.agenda_title", locale, circle=escape(agenda.circle.name)), f"*{when(meeting, locale)}*"]
    if meeting.location:
        lines.append(t("meeting.agenda_where", locale, location=escape(meeting.location)))
    blocks: list[Block] = [section("\n".join(lines))]
    if meeting.status == "geannuleerd":
        blocks.append(section(t("meeting.agenda_cancelled", locale)))
    return blocks


def _today(agenda: Agenda):
    return wall_clock(agenda.meeting).date()


def rest_of_point_3(agenda: Agenda, locale: str) -> list[str]:
    """Point 3's lines that do not fit in the post: they go in its thread, behind "meer"."""
    lines = progress.lines(agenda, _today(agenda), locale)
    _, cut = _packed(t("meeting.point_3", locale, version=version_label(agenda.version, locale)), lines)
    return lines[cut:] if cut is not None else []


def _point(
    agenda: Agenda, point: int, lines: list[str], refs: list[tuple[str, str]], locale: str, unread: int = 0
) -> list[Block]:
    """The point's title, lines and menu; `unread` more items were not read (their lists show them)."""
    title = t(f"meeting.point_{point}", locale, version=version_label(agenda.version, locale))
    more = "meeting.more_in_thread" if point == 3 else "meeting.more_lines"
    blocks = _chunks(title, lines or [t(f"meeting.empty_{point}", locale)], locale, more, unread, point == 3)
    if refs and agenda.meeting.status != "geannuleerd":
        blocks.append(actions(_select(agenda.meeting, refs, locale), block_id=f"meeting_{agenda.meeting.id}_{point}"))
    return blocks


def _chunks(
    title: str,
    lines: list[str],
    locale: str,
    more: str = "meeting.more_lines",
    unread: int = 0,
    threaded: bool = False,
) -> list[Block]:
    """The point's lines in at most three sections; what does not fit is counted, not cut mid-line, as are the
    `unread` items beyond the lines (point 3's rest, `threaded`, goes in the thread: those are counted apart)."""
    chunks, cut = _packed(title, lines)
    left_out = len(lines) - cut if cut is not None else 0
    if threaded and unread:
        if left_out:
            chunks[-1] += "\n" + t(more, locale, count=left_out)
        chunks[-1] += "\n" + t("meeting.activities_more", locale, count=unread)
    elif left_out or unread:
        chunks[-1] += "\n" + t(more if left_out else "meeting.more_lines", locale, count=left_out + unread)
    return [section(chunk) for chunk in chunks]


def _packed(title: str, lines: list[str], sections: int = SECTIONS_PER_POINT) -> tuple[list[str], int | None]:
    """Section texts holding as many whole lines as fit, and the index of the first line left out (None: all)."""
    chunks, current = [], title
    for index, line in enumerate(lines):
        if len(current) + len(line) + 1 > CHUNK - 200:  # room for the "more" lines
            if len(chunks) + 1 == sections:
                chunks.append(current)
                return chunks, index
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return chunks, None


def _select(meeting: Meeting, refs: list[tuple[str, str]], locale: str) -> StaticSelectElement:
    options = [
        Option(value=f"{meeting.id}:{ref}", text=PlainTextObject(text=_fit(label))) for ref, label in refs[:MAX_OPTIONS]
    ]
    return StaticSelectElement(
        action_id="meeting_item",
        placeholder=PlainTextObject(text=t("meeting.select_placeholder", locale)),
        options=options,
    )


def _fit(label: str) -> str:
    flat = " ".join(label.split())
    return flat if len(flat) <= OPTION_TEXT else flat[: OPTION_TEXT - 1] + "…"


def _settled(status: str, outcome: str | None, locale: str) -> str:
    if status not in ("besproken", "opgelost"):
        return ""
    mark = t(f"meeting.settled_{status}", locale)
    return mark + (t("meeting.settled_outcome", locale, outcome=escape(preview(outcome))) if outcome else "")


def _topic_lines(topics: list[MeetingTopic], locale: str) -> list[str]:
    return [
        t("meeting.topic_line", locale, text=escape(preview(topic.text)), user=topic.author_id)
        + _topic_theme(topic, locale)
        + _settled(topic.status, topic.outcome, locale)
        for topic in topics
    ]


def _topic_theme(topic: MeetingTopic, locale: str) -> str:
    if not topic.theme:
        return ""
    return " · _" + escape(theme_label(topic.theme_entry or topic.theme, locale)) + "_"


def _topic_refs(agenda: Agenda, point: int) -> list[tuple[str, str]]:
    return [(f"topic:{topic.id}", topic.text) for topic in agenda.topics.get(point, []) if topic.status == "open"]


def _klaagpaal_line(item: KlaagpaalItem, locale: str) -> str:
    line = t(
        "meeting.klaagpaal_line", locale, number=item.number, text=escape(preview(item.text)), count=len(item.marks)
    )
    line += _settled(item.status, item.outcome if item.status == "opgelost" else None, locale)
    if item.activity is not None:
        line += t("meeting.settled_activity", locale, number=item.activity.number)
    return line


def _klaagpaal_refs(agenda: Agenda) -> list[tuple[str, str]]:
    return [
        (f"klaagpaal:{item.id}", f"K-{item.number} {item.text}")
        for item in agenda.klaagpaal
        if item.status != "opgelost"
    ]


def _help_line(request: HelpRequest, locale: str) -> str:
    helpers = ", ".join(mention(offer.user_id, locale) for offer in request.offers)
    line = t(
        "meeting.help_line",
        locale,
        number=request.number,
        text=escape(preview(request.text)),
        user=request.requester_id,
        helpers=t("meeting.help_helpers", locale, helpers=helpers) if helpers else "",
    )
    return line + _settled(request.status, request.outcome, locale)


def _help_refs(agenda: Agenda) -> list[tuple[str, str]]:
    return [(f"hulpvraag:{r.id}", f"H-{r.number} {r.text}") for r in agenda.requests if r.status != "opgelost"]


def thread_more(agenda: Agenda, lines: list[str], locale: str) -> dict:
    """The rest of point 3, in the agenda's thread."""
    title = t("meeting.thread_more", locale, count=len(lines))
    chunks, cut = _packed(title, lines, THREAD_SECTIONS)
    if cut is not None:
        chunks[-1] += "\n" + t("meeting.more_lines", locale, count=len(lines) - cut)
    return message([section(chunk) for chunk in chunks], title)


def no_meeting(locale: str) -> dict:
    text = t("meeting.preview_none", locale)
    return message(
        [section(text), actions(button(t("meeting.plan_button", locale), "meeting_plan_open", "plan"))], text
    )


def listing(meetings: list[Meeting], rule: str | None, locale: str) -> dict:
    """The coming meetings, and the rhythm of the series they belong to."""
    if not meetings:
        return no_meeting(locale)
    lines = [t("meeting.list_title", locale)]
    if rule:
        lines.append(rule_text(rule, locale))
    for meeting in meetings:
        where = f" · {escape(meeting.location)}" if meeting.location else ""
        posted = t("meeting.list_posted", locale) if meeting.agenda is not None else ""
        lines.append(t("meeting.list_line", locale, when=when(meeting, locale), where=where, posted=posted))
    return message([section("\n".join(lines))], lines[0])


def interval_text(weeks: int, locale: str) -> str:
    return t("meeting.interval_one", locale) if weeks == 1 else t("meeting.interval_many", locale, weeks=weeks)


def rule_text(rule: str, locale: str) -> str:
    """A series' rhythm in words: `elke 6 weken`, `maandelijks`, `elke eerste dinsdag van de maand`."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    if parts.get("FREQ") == "MONTHLY":
        byday = parts.get("BYDAY")
        if not byday:
            return t("meeting.interval_monthly", locale)
        ordinal, day = int(byday[:-2]), byday[-2:]
        return t(
            "meeting.interval_monthly_on", locale,
            ordinal=t(f"meeting.ordinal_{'last' if ordinal < 0 else ordinal}", locale),
            weekday=t(f"meeting.weekday_{day.lower()}", locale),
        )  # fmt: skip
    return interval_text(int(parts.get("INTERVAL", "1")), locale)


def topic_question(text: str, locale: str) -> dict:
    """Ask under which point a topic belongs; the buttons carry the text along."""
    question = t("meeting.topic_which", locale) + "\n" + quote(text)
    buttons = actions(
        button(t("meeting.point_name_1", locale), "meeting_topic_1", text),
        button(t("meeting.point_name_2", locale), "meeting_topic_2", text),
        block_id="meeting_topic",
    )
    return message([section(question), buttons], t("meeting.topic_which", locale))
