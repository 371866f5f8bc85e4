"""Reading what people type: one parser for each kind of value (`values`), and the grammars of the commands built
on them (`agenda`, `meeting`, `rhythm`).

Every parser returns a value or raises `UserError` naming what was wrong and how to write it; no input makes one
raise anything else. Digits are ASCII 0–9 only, everywhere (see `values`).
"""

from bot.parsing.agenda import (
    Filters,
    NewActivity,
    ProgressCommand,
    key_values,
    parse_filters,
    parse_new,
    parse_progress,
    parse_start_status,
    parse_status,
    parse_theme,
    parse_title,
)
from bot.parsing.values import (
    is_whole_number,
    looks_like_number,
    not_in_past,
    parse_amount,
    parse_date,
    parse_number,
    parse_percent,
    parse_time,
    parse_whole_number,
    parse_whole_numbers,
)

__all__ = [
    "Filters",
    "NewActivity",
    "ProgressCommand",
    "is_whole_number",
    "key_values",
    "looks_like_number",
    "not_in_past",
    "parse_amount",
    "parse_date",
    "parse_filters",
    "parse_new",
    "parse_number",
    "parse_percent",
    "parse_progress",
    "parse_start_status",
    "parse_status",
    "parse_theme",
    "parse_time",
    "parse_title",
    "parse_whole_number",
    "parse_whole_numbers",
]
