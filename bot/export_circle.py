"""The circle's own lists in the export: its themes with every change to their ambition and level, its common
goals with their progress, and every measured effect, each on a sheet of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks.effects import indicator_label
from bot.blocks.execution_agenda import activity_theme, theme_label
from bot.blocks.themes import change_text
from bot.i18n import t
from store import activities, goals, themes
from store.goals import progress
from store.models import Activity, Circle, CircleTheme, Goal

if TYPE_CHECKING:  # loaded when used: a tick or a command that makes no file need not import it
    from openpyxl import Workbook

Names = Callable[[str], str]
EFFECT_COLUMNS = (
    "number",
    "title",
    "theme",
    "goals",
    "indicator",
    "unit",
    "baseline",
    "target",
    "date",
    "value",
    "who",
)
Put = Callable[[object, object], None]


@dataclass
class CircleSheets:
    themes: list[CircleTheme] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)

    def user_ids(self) -> list[str]:
        changed = [change.actor_id for theme in self.themes for change in theme.changes if change.actor_id]
        measured = [m.author_id for a in self.activities for effect in a.effects for m in effect.measurements]
        return changed + measured


def gather(session: Session, *, circle: Circle) -> CircleSheets:
    return CircleSheets(
        themes=themes.listing(session, circle=circle, retired=True),
        goals=goals.listing(session, circle=circle, retired=True),
        activities=activities.everything(session, circle=circle),
    )


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


def goal_rows(sheets: CircleSheets, locale: str, zone: ZoneInfo) -> list[list[object]]:
    rows = []
    for goal in sheets.goals:
        found = progress(goal)
        served = ", ".join(f"A-{link.activity.number} ×{link.weight}" for link in goal.links)
        retired = goal.retired_at.astimezone(zone).date() if goal.retired_at else None
        rows.append([goal.name, found.percent, served or None, retired])
    return rows


def effect_rows(sheets: CircleSheets, locale: str, names: Names) -> list[list[object]]:
    """One row per value measured; an effect with none yet still shows its baseline and target."""
    rows = []
    for activity in sheets.activities:
        for effect in activity.effects:
            indicator = effect.indicator
            head = [
                f"A-{activity.number}",
                activity.title,
                activity_theme(activity, locale),
                "; ".join(link.goal.name for link in activity.goal_links) or None,
                indicator_label(indicator, locale),
                indicator.unit or None,
                effect.baseline,
                effect.target,
            ]
            for m in effect.measurements or [None]:
                rows.append(head + ([m.measured_on, m.value, names(m.author_id)] if m else [None, None, None]))
    return rows


def add_sheets(book: Workbook, sheets: CircleSheets, locale: str, zone: ZoneInfo, names: Names, put: Put) -> None:
    """One sheet per list, after the agenda's own sheets."""
    from openpyxl.styles import Font

    tables = (
        ("sheet_themes", ("key", "theme", "ambition", "level", "retired"), theme_rows(sheets, locale, zone)),
        ("sheet_theme_changes", ("theme", "date", "who", "change"), theme_change_rows(sheets, locale, zone, names)),
        ("sheet_goals", ("goal", "progress", "activities", "retired"), goal_rows(sheets, locale, zone)),
        ("sheet_effects", EFFECT_COLUMNS, effect_rows(sheets, locale, names)),
    )
    for title, columns, rows in tables:
        sheet = book.create_sheet(_label(title, locale)[:31])
        sheet.append([_label(column, locale) for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                if isinstance(value, Decimal):  # a measured quantity, not money: the agenda's euro format is wrong here
                    cell.value, cell.number_format = value, "#,##0.##"
                else:
                    put(cell, value)
        sheet.freeze_panes = "A2"
        for index in range(len(columns)):
            sheet.column_dimensions[chr(ord("A") + index)].width = 24
