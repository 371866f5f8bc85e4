"""The circle's own lists in the export: its themes with every change to their ambition and level (and, as they
are added, its common goals and measured effects), each on a sheet of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from bot.blocks.execution_agenda import theme_label
from bot.blocks.themes import change_text
from bot.i18n import t
from store import themes
from store.models import Circle, CircleTheme

Names = Callable[[str], str]
Put = Callable[[object, object], None]


@dataclass
class CircleSheets:
    themes: list[CircleTheme] = field(default_factory=list)

    def user_ids(self) -> list[str]:
        return [change.actor_id for theme in self.themes for change in theme.changes if change.actor_id]


def gather(session: Session, *, circle: Circle) -> CircleSheets:
    return CircleSheets(themes=themes.listing(session, circle=circle, retired=True))


def _label(key: str, locale: str) -> str:
    return t(f"circle_export.{key}", locale)


def theme_rows(sheets: CircleSheets, locale: str, zone: ZoneInfo) -> list[list[object]]:
    rows = []
    for theme in sheets.themes:
        retired = theme.retired_at.astimezone(zone).date() if theme.retired_at else None
        rows.append([theme.key, theme_label(theme, locale), theme.ambition, theme.level, retired])
    return rows


def theme_change_rows(sheets: CircleSheets, locale: str, zone: ZoneInfo, names: Names) -> list[list[object]]:
    rows = []
    for theme in sheets.themes:
        for change in theme.changes:
            who = names(change.actor_id) if change.actor_id else None
            day: date = change.created_at.astimezone(zone).date()
            rows.append([theme_label(theme, locale), day, who, change_text(change, locale)])
    return rows


def add_sheets(book: Workbook, sheets: CircleSheets, locale: str, zone: ZoneInfo, names: Names, put: Put) -> None:
    """One sheet per list, after the agenda's own sheets."""
    tables = (
        ("sheet_themes", ("key", "theme", "ambition", "level", "retired"), theme_rows(sheets, locale, zone)),
        ("sheet_theme_changes", ("theme", "date", "who", "change"), theme_change_rows(sheets, locale, zone, names)),
    )
    for title, columns, rows in tables:
        sheet = book.create_sheet(_label(title, locale)[:31])
        sheet.append([_label(column, locale) for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                put(sheet.cell(row=sheet.max_row, column=column), value)
        sheet.freeze_panes = "A2"
        for letter in "ABCDEFG"[: len(columns)]:
            sheet.column_dimensions[letter].width = 30
