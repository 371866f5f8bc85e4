"""The whole execution agenda with its progress history as a spreadsheet (XLSX) or CSV, for reports to councils."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import export_circle
from bot.blocks.theme_names import activity_theme
from bot.blocks.versions import version_label
from bot.i18n import t
from store import activities, meeting_record, versions
from store.activities import is_late, latest_update, team_ids
from store.meeting_record import Record
from store.meetings import wall_clock
from store.models import Activity, Circle
from store.versions import FrozenActivity, VersionState

Names = Callable[[str], str]
AGENDA_COLUMNS = (
    "number",
    "title",
    "theme",
    "status",
    "percent",
    "initiator",
    "team",
    "deadline",
    "late",
    "budget",
    "goal",
    "description",
    "needs",
    "latest",
    "created",
    "completed",
    "stop_reason",
)
PROGRESS_COLUMNS = (
    "number",
    "title",
    "date",
    "author",
    "status",
    "percent",
    "happened",
    "learned",
    "improvements",
    "blockers",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Report:
    circle_name: str
    version: VersionState  # the adopted version, or the live agenda since it ("versie 3 + wijzigingen")
    today: date
    zone: ZoneInfo
    locale: str
    activities: list[Activity | FrozenActivity]
    records: list[Record] = field(default_factory=list)  # closed meetings, for the record sheet
    circle: export_circle.CircleSheets | None = None  # the circle's own lists; None for an adopted version

    def user_ids(self) -> list[str]:
        found: dict[str, None] = {}
        for activity in self.activities:
            for user in (activity.initiator_id, *team_ids(activity), *(u.author_id for u in activity.updates)):
                found[user] = None
        if self.circle is not None:
            found.update(dict.fromkeys(self.circle.user_ids()))
        return list(found)


def gather(session: Session, *, circle: Circle, today: date, zone: ZoneInfo, locale: str) -> Report:
    """Everything the export shows, read in one go while the session is open."""
    found = activities.everything(session, circle=circle)
    records = meeting_record.history(session, circle=circle)
    sheets = export_circle.gather(session, circle=circle)
    return Report(circle.name, versions.state(session, circle=circle), today, zone, locale, found, records, sheets)


def gather_version(session: Session, *, circle: Circle, number: int, zone: ZoneInfo, locale: str) -> Report:
    """An adopted version as it was adopted: its frozen activities, with the progress recorded up to then."""
    version = versions.get(session, circle=circle, number=number)
    found = versions.frozen_activities(session, version=version)
    adopted = version.adopted_at.astimezone(zone).date()
    return Report(circle.name, VersionState(version.number), adopted, zone, locale, found)


def _label(key: str, locale: str) -> str:
    return t(f"agenda.export.{key}", locale)


def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None


def agenda_rows(report: Report, names: Names) -> list[list[object]]:
    locale, rows = report.locale, []
    for a in report.activities:
        latest = latest_update(a)
        rows.append(
            [
                f"A-{a.number}",
                a.title,
                activity_theme(a, locale),
                t(f"agenda.status_{a.status}", locale),
                a.percent,
                names(a.initiator_id),
                ", ".join(names(user) for user in team_ids(a)),
                a.deadline,
                _label("yes" if is_late(a, report.today) else "no", locale),
                a.budget,
                _goals(a),
                a.description,
                a.needs,
                (latest.happened or latest.blockers) if latest is not None else None,
                _day(a.created_at, report.zone),
                _day(a.completed_at, report.zone),
                a.stop_reason,
            ]
        )
    return rows


def _goals(activity: Activity | FrozenActivity) -> str | None:
    """The common goals an activity serves; an adopted version froze them as one text."""
    if isinstance(activity, FrozenActivity):
        return activity.goal
    return "; ".join(link.goal.name for link in activity.goal_links) or None


def progress_rows(report: Report, names: Names) -> list[list[object]]:
    rows = []
    for a in report.activities:
        for u in a.updates:
            status = t(f"agenda.status_{u.status}", report.locale) if u.status else None
            when = _day(u.created_at, report.zone)
            rows.append(
                [
                    f"A-{a.number}",
                    a.title,
                    when,
                    names(u.author_id),
                    status,
                    u.percent,
                    u.happened,
                    u.learned,
                    u.improvements,
                    u.blockers,
                ]
            )
    return rows


RECORD_COLUMNS = ("meeting", "point", "item", "decision", "outcome")


def record_rows(report: Report, names: Names) -> list[list[object]]:
    """Per closed meeting: who was present, then what each point settled."""
    rows: list[list[object]] = []
    locale = report.locale
    for record in report.records:
        day = wall_clock(record.meeting).date()
        present = ", ".join(names(user) for user in record.present)
        rows.append([day, None, _label("present", locale), None, present])
        for decision in record.decisions:
            what = t(f"verslag.decision_{decision.decision}", locale)
            rows.append([day, decision.point or None, decision.label, what, decision.text])
    return rows


def xlsx(report: Report, names: Names = str) -> bytes:
    """The agenda, every progress update, what this export is (circle, version, date), then the circle's lists."""
    from openpyxl import Workbook

    book = Workbook()
    _sheet(
        book.active, _label("sheet_agenda", report.locale), AGENDA_COLUMNS, agenda_rows(report, names), report.locale
    )
    sheet = book.create_sheet()
    _sheet(
        sheet, _label("sheet_progress", report.locale), PROGRESS_COLUMNS, progress_rows(report, names), report.locale
    )
    if report.records:
        sheet = book.create_sheet()
        _sheet(sheet, _label("sheet_records", report.locale), RECORD_COLUMNS, record_rows(report, names), report.locale)
    about = book.create_sheet(_label("sheet_about", report.locale))
    for key, value in (
        ("about_circle", report.circle_name),
        ("about_version", version_label(report.version, report.locale)),
        ("about_date", report.today),
        ("about_count", len(report.activities)),
    ):
        about.append([_label(key, report.locale), None])
        _put(about.cell(row=about.max_row, column=2), value)
    about.column_dimensions["A"].width = 36
    if report.circle is not None:
        export_circle.add_sheets(book, report.circle, report.locale, report.zone, names, _put)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet, title: str, columns: tuple[str, ...], rows: list[list[object]], locale: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.title = title[:31]
    sheet.append([_label(column, locale) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=sheet.max_row, column=column), value)
    sheet.freeze_panes = "A2"
    for column, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = (
            40
            if name
            in ("title", "description", "needs", "happened", "learned", "improvements", "blockers", "latest", "item")
            else 16
        )


def _put(cell, value: object) -> None:
    """Typed cells: dates as dates, money as euros; text is always text, so `=…` typed by a user is never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.number_format = "€ #,##0.00"
    elif isinstance(value, date):
        cell.number_format = "DD-MM-YYYY"


def csv_bytes(report: Report, names: Names = str) -> bytes:
    """One row per progress update (an activity without updates gets one row), in Excel's Dutch dialect: `;`,
    decimal comma and a byte-order mark, so a double click opens it right. English uses `,` and a decimal point."""
    dutch = report.locale == "nl"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if dutch else ",", lineterminator="\r\n")
    updates = PROGRESS_COLUMNS[2:]
    writer.writerow([_label(c, report.locale) for c in AGENDA_COLUMNS + updates])
    by_number: dict[str, list[list[object]]] = {}
    for row in progress_rows(report, names):
        by_number.setdefault(str(row[0]), []).append(row[2:])
    for row in agenda_rows(report, names):
        for update in by_number.get(str(row[0]), [[None] * len(updates)]):
            writer.writerow([_csv_cell(value, dutch) for value in row + update])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: object, dutch: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",") if dutch else f"{value:.2f}"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y") if dutch else value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def file_name(report: Report, kind: str) -> str:
    stem = _label("file_name", report.locale)
    circle = "".join(ch if ch.isalnum() else "-" for ch in report.circle_name.lower()).strip("-")[:40]
    version = f"v{report.version.number}{'+' if report.version.changed else ''}"
    return f"{stem}-{circle}-{version}-{report.today.isoformat()}.{kind}"


def user_names(client: WebClient | None, user_ids: list[str]) -> dict[str, str]:
    """Display names for the export; an id stays an id when Slack cannot say (no token, user gone)."""
    names = {user: user for user in user_ids}
    if client is None:
        return names
    for user in user_ids:
        try:
            profile = client.users_info(user=user)["user"]
        except (SlackApiError, OSError):  # a name is a nicety; the export goes out with the id
            continue
        names[user] = profile.get("real_name") or profile.get("name") or user
    return names
