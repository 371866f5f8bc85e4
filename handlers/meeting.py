"""`/kenniskring vergadering` and `/kenniskring punt`: plan meetings, move or cancel one, preview the agenda, and
add topics for points 1 and 2 (typed, chosen with a button, or in a modal)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import words
from bot.blocks import meeting as blocks
from bot.blocks import meeting_forms as forms
from bot.blocks.common import state_values
from bot.errors_handler import guarded
from bot.i18n import t
from bot.messages import meeting as messages
from bot.parsing import parse_date, parse_time
from bot.parsing.meeting import parse_move, parse_plan, parse_topic
from bot.services import Services
from bot.slacktext import clean, escape
from handlers.circle_words import split_theme
from handlers.common import ActionInput, CommandInput, Origin, confirm
from store import circles, meeting_agenda, meetings
from store.errors import UserError

TOPIC_LIMIT = 1000


def register(app: App) -> None:
    app.action("meeting_plan_open")(guarded(plan_open))
    app.view("meeting_plan")(guarded(plan_submitted))
    app.view("meeting_topic")(guarded(topic_submitted))
    app.action(re.compile(r"^meeting_topic_[12]$"))(guarded(topic_chosen))


def plan_open(ack: Ack, body: dict, client: WebClient, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    _require_coordinator(services, action.team_id, action.channel_id, action.user_id)
    client.views_open(trigger_id=action.trigger_id, view=forms.plan_modal(action.locale(services), action.origin()))


def plan_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = Origin.of(view), state_values(view), body["user"]["id"]
    day = parse_date(values.get("date") or "", field="date")
    at = parse_time(_selected_time(view) or "", field="time")
    interval = int(values.get("interval") or 0) or None
    rule = meetings.weekly(interval) if interval else None
    location = clean(values.get("location") or "", field="location", limit=300, required=False) or None
    answer = plan(services, origin.team_id, origin.channel_id, user, datetime.combine(day, at), rule, location)
    ack()
    confirm(services, origin.channel_id, user, answer)


def topic_submitted(ack: Ack, body: dict, view: dict, services: Services) -> None:
    origin, values, user = Origin.of(view), state_values(view), body["user"]["id"]
    point = int(values.get("point") or 0)
    if point not in meetings.POINTS:
        raise UserError("meeting.point_missing", field="point")
    text = clean(values.get("text") or "", field="text", limit=TOPIC_LIMIT)
    answer = add_topic(services, origin.team_id, origin.channel_id, user, point, text)
    ack()
    confirm(services, origin.channel_id, user, answer)


def topic_chosen(ack: Ack, body: dict, respond: Respond, services: Services) -> None:
    ack()
    action = ActionInput.parse(body)
    point = int(body["actions"][0]["action_id"][-1])
    text = clean(action.value, limit=TOPIC_LIMIT)
    answer = add_topic(services, action.team_id, action.channel_id, action.user_id, point, text)
    respond(text=answer, replace_original=True, response_type="ephemeral")
    services.deliver()


def vergadering(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """Preview the next agenda (bare), plan (typed or `instellen` for the modal), `lijst`, `verzet`, `annuleer`,
    `stop`."""
    sub, _, tail = request.rest.strip().partition(" ")
    word, locale = words.meaning(words.MEETING, sub), request.locale(services)
    if word == "help":
        return {"text": t("help.vergadering", locale)}
    if sub == "":
        return preview(services, request)
    if word == "plan":
        _require_coordinator(services, request.team_id, request.channel_id, request.user_id)
        client.views_open(trigger_id=request.trigger_id, view=forms.plan_modal(locale, request.origin()))
        return {}
    if word == "list":
        return listing(services, request)
    if word == "move":
        return {"text": move(services, request, tail)}
    if word == "cancel":
        return {"text": cancel(services, request, tail)}
    if word == "stop":
        return {"text": stop(services, request)}
    with services.transaction() as session:  # a channel without a circle hears that first, not a date error
        circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
    first, rule, location = parse_plan(request.rest)
    return {"text": plan(services, request.team_id, request.channel_id, request.user_id, first, rule, location)}


def punt(services: Services, request: CommandInput, client: WebClient) -> dict[str, Any]:
    """A topic for point 1 or 2; buttons ask which when the text does not say, an empty text opens the modal."""
    locale = request.locale(services)
    if words.meaning(words.HELP, request.rest) == "help":
        return {"text": t("help.punt", locale)}
    with services.transaction() as session:
        circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
    if not request.rest.strip():
        client.views_open(trigger_id=request.trigger_id, view=forms.topic_modal(locale, request.origin()))
        return {}
    point, text = parse_topic(request.rest)
    text = clean(text, limit=TOPIC_LIMIT)
    if point is None:
        return blocks.topic_question(text, locale)
    return {"text": add_topic(services, request.team_id, request.channel_id, request.user_id, point, text)}


def _require_coordinator(services: Services, team_id: str, channel_id: str | None, user_id: str) -> None:
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id or "")
        circles.require_coordinator(session, circle=circle, user_id=user_id)


def _selected_time(view: dict) -> str | None:
    # A timepicker's state holds `selected_time`; the shared reader only knows the common element kinds.
    element = view.get("state", {}).get("values", {}).get("time", {}).get("value", {})
    return element.get("selected_time") or element.get("value")


def preview(services: Services, request: CommandInput) -> dict[str, Any]:
    """The next agenda exactly as the channel will see it, so in the circle's language."""
    locale = request.locale(services)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        now = services.now()
        coming = meetings.next_meeting(session, circle=circle, now=now)
        if coming is None:
            return blocks.no_meeting(locale)
        agenda = meeting_agenda.build(session, circle=circle, meeting=coming, today=meetings.local_today(circle, now))
        due = meetings.agenda_due_at(circle, coming)
        return blocks.agenda_preview(agenda, due.astimezone(meetings.zone(circle)), circle.locale)


def listing(services: Services, request: CommandInput) -> dict[str, Any]:
    locale = request.locale(services)
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        coming = meetings.upcoming(session, circle=circle, now=services.now(), limit=8)
        series = meetings.active_series(session, circle=circle)
        return blocks.listing(coming, series.rule if series else None, locale)


def plan(
    services: Services,
    team_id: str,
    channel_id: str | None,
    user_id: str,
    first: datetime,
    rule: str | None,
    location: str | None,
) -> str:
    """Store the series (or one meeting) and announce it in the channel, with the announced meetings the new plan
    drops; the answer says when the agenda comes."""
    locale = services.locale_for(user_id, team_id, channel_id)
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id or "")
        now = services.now()
        before = meetings.upcoming(session, circle=circle, now=now, limit=1) if rule else []  # the next one, announced
        announced = [(old.id, old.local_start, old.timezone) for old in before if old.series_id is not None]
        meeting = meetings.plan(
            session, circle=circle, user_id=user_id, first=first, rule=rule, location=location, now=now
        )
        dropped = meetings.dropped(session, circle=circle, announced=announced, now=now)
        due_day, due_time = blocks.moment(
            meetings.agenda_due_at(circle, meeting).astimezone(meetings.zone(circle)), locale
        )

        def described(language: str) -> dict[str, str]:
            return {
                "every": blocks.rule_text(rule, language) if rule else t("meeting.interval_once", language),
                "when": blocks.when(meeting, language),
                "where": t("meeting.where", language, location=escape(location)) if location else "",
            }

        announcement = t("meeting.planned_post", circle.locale, user=user_id, **described(circle.locale))
        what = f"planned:{meeting.series_id or 0}"
        messages.announce(session, circle=circle, meeting=meeting, what=what, text=announcement, dropped=dropped)
        return t("meeting.planned", locale, due_date=due_day, due_time=due_time, **described(locale))


def move(services: Services, request: CommandInput, text: str) -> str:
    """`verzet 8-12-2026 naar 10-12-2026 15:00`: one meeting, the series stays as it was."""
    day, to_day, at = parse_move(text)
    locale, now = request.locale(services), services.now()
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        meeting = meetings.on_day(session, circle=circle, day=day, now=now)
        languages = {locale, circle.locale}
        before = {language: blocks.when(meeting, language) for language in languages}
        to = datetime.combine(to_day, at or meetings.wall_clock(meeting).time())
        meetings.move(session, circle=circle, user_id=request.user_id, meeting=meeting, to=to, location=None, now=now)
        after = {language: blocks.when(meeting, language) for language in languages}
        version = f"moved:{meeting.local_start}"
        here = circle.locale
        text = t("meeting.moved_post", here, before=before[here], after=after[here], user=request.user_id)
        messages.announce(session, circle=circle, meeting=meeting, what=version, text=text)
        messages.refresh_agenda(
            session, circle=circle, meeting=meeting, today=meetings.local_today(circle, now), version=version
        )
    return t("meeting.moved", locale, before=before[locale], after=after[locale])


def cancel(services: Services, request: CommandInput, text: str) -> str:
    """`annuleer 8-12-2026`: what was on its agenda carries forward to the next meeting."""
    day = parse_date(text.strip(), missing="meeting.cancel_usage")
    locale, now = request.locale(services), services.now()
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        meeting = meetings.on_day(session, circle=circle, day=day, now=now)
        meetings.cancel(session, circle=circle, user_id=request.user_id, meeting=meeting)
        when = blocks.when(meeting, circle.locale)
        text = t("meeting.cancelled_post", circle.locale, when=when, user=request.user_id)
        messages.announce(session, circle=circle, meeting=meeting, what="cancelled", text=text)
        messages.refresh_agenda(
            session, circle=circle, meeting=meeting, today=meetings.local_today(circle, now), version="cancelled"
        )
        return t("meeting.cancelled", locale, when=blocks.when(meeting, locale))


def stop(services: Services, request: CommandInput) -> str:
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        ended = meetings.stop_series(session, circle=circle, user_id=request.user_id, now=services.now())
    return t("meeting.stopped" if ended else "meeting.no_series", request.locale(services))


def add_topic(services: Services, team_id: str, channel_id: str | None, user_id: str, point: int, text: str) -> str:
    """Store the topic; when the coming agenda is already out, the topic is added to that post too."""
    locale, now = services.locale_for(user_id, team_id, channel_id), services.now()
    with services.transaction() as session:
        circle = circles.get(session, team_id=team_id, channel_id=channel_id or "")
        text, theme = split_theme(text)
        topic = meetings.add_topic(session, circle=circle, user_id=user_id, point=point, text=text, theme=theme)
        posted = meeting_agenda.add_to_posted(session, circle=circle, topic=topic, now=now)
        if posted is not None:
            today = meetings.local_today(circle, now)
            messages.refresh_agenda(session, circle=circle, meeting=posted, today=today, version=f"topic:{topic.id}")
        coming = posted or meetings.next_meeting(session, circle=circle, now=now)
        name = t(f"meeting.point_name_{point}", locale)
        if coming is None:
            return t("meeting.topic_added_unplanned", locale, point=name)
        return t("meeting.topic_added", locale, point=name, when=blocks.when(coming, locale))
