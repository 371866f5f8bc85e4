"""`/kenniskring kalender`: the meetings as an .ics file by direct message (`kalender kanaal`: in the channel;
`kalender 8-12-2026`: that one meeting)."""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import words
from bot.calendar_file import calendar
from bot.i18n import t
from bot.parsing import parse_date
from bot.services import Services
from bot.slacktext import escape
from handlers.common import CommandInput
from store import circles, meeting_record, meetings
from store.errors import UserError


def send(services: Services, request: CommandInput, client: WebClient, ack: Ack) -> None:
    typed = request.rest.split()
    word = typed[0].lower() if typed else ""
    in_channel = words.meaning(words.CALENDAR, word) == "channel"
    locale, now = request.locale(services), services.now()
    with services.transaction() as session:
        circle = circles.get(session, team_id=request.team_id, channel_id=request.channel_id)
        language = circle.locale if in_channel else locale  # the file and its comment: where it is sent
        coming = meeting_record.calendar_meetings(session, circle=circle, now=now)
        series = meetings.active_series(session, circle=circle)
        if word and not in_channel:
            one = meetings.on_day(session, circle=circle, day=parse_date(word), now=now)
            content, name = calendar(circle, [one], None, language, whole_series=False), circle.name
        elif not coming and series is None:
            raise UserError("kalender.none")
        else:
            content, name = calendar(circle, coming, series, language), circle.name
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")[:40]
    ack(t("kalender.shared" if in_channel else "kalender.sending", locale))
    channel = request.channel_id if in_channel else client.conversations_open(users=request.user_id)["channel"]["id"]
    file_name = t("kalender.file_name", language, circle=slug)
    client.files_upload_v2(
        channel=channel, content=content, filename=file_name, title=file_name,
        initial_comment=t("kalender.comment", language, circle=escape(name)),
    )  # fmt: skip
