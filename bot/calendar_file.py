"""The circle's meetings as an iCalendar file (.ics): the series with its rhythm, moved and cancelled meetings as
exceptions, single meetings on their own, each with its place."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.i18n import t
from store.meeting_record import DURATION
from store.meetings import rule_of, scheduled, wall_clock
from store.models import Circle, Meeting, MeetingSeries

if TYPE_CHECKING:  # loaded when used: a tick or a command that makes no file need not import it
    from icalendar import Event

PRODUCT = "-//Kenniskring//Kenniskring bot//NL"


def _event(circle: Circle, start: datetime, uid: str, location: str | None, locale: str) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("summary", t("kalender.summary", locale, circle=circle.name))
    event.add("dtstart", start)
    event.add("dtend", start + DURATION)
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    if location:
        event.add("location", location)
    event.add("description", t("kalender.description", locale))
    return event


def _series_start(series: MeetingSeries, sequence: int) -> datetime:
    return scheduled(series, sequence).replace(tzinfo=ZoneInfo(series.timezone))


def calendar(
    circle: Circle, meetings: list[Meeting], series: MeetingSeries | None, locale: str, *, whole_series: bool = True
) -> bytes:
    """The series (when asked and there is one) with its exceptions, and every single meeting given."""
    from icalendar import Calendar, vRecur

    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", t("kalender.summary", locale, circle=circle.name))
    in_series = [m for m in meetings if series is not None and m.series_id == series.id] if whole_series else []
    if whole_series and series is not None:
        rhythm = _event(circle, _series_start(series, 1), f"series-{series.id}@kenniskring", series.location, locale)
        rhythm.add("rrule", vRecur.from_ical(rule_of(series)))
        for meeting in in_series:
            scheduled = _series_start(series, meeting.sequence)
            if meeting.status == "geannuleerd":
                rhythm.add("exdate", scheduled)
        cal.add_component(rhythm)
        for meeting in in_series:  # a moved meeting or another place: an exception to the rhythm
            scheduled = _series_start(series, meeting.sequence)
            if meeting.status != "geannuleerd" and (
                wall_clock(meeting) != scheduled or meeting.location != series.location
            ):
                moved = _event(circle, wall_clock(meeting), f"series-{series.id}@kenniskring", meeting.location, locale)
                moved.add("recurrence-id", scheduled)
                cal.add_component(moved)
    for meeting in meetings:
        if meeting in in_series or meeting.status == "geannuleerd":
            continue
        cal.add_component(
            _event(circle, wall_clock(meeting), f"meeting-{meeting.id}@kenniskring", meeting.location, locale)
        )
    cal.add_missing_timezones()
    return cal.to_ical()
