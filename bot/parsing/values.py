"""One parser for each kind of value people type: a date, a time, a whole number (or a list of them), an amount,
a percentage, an item number such as `A-3`.

Digits are the ASCII digits 0–9 and nothing else. Python's `\\d`, `str.isdigit()` and `int()` each accept a
different set of Unicode digits (`int("٣")` is 3, `"²".isdigit()` is true but `int("²")` fails), so a superscript,
Arabic-Indic or full-width digit is answered like any other word that is not a number: with the message saying
how to write it. Patterns that only *find* a value in a longer text (the meeting grammar) may accept any digit,
so that the answer can quote the word it refuses.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation

from store.errors import UserError, shown
from store.vocabulary import MAX_BUDGET, MAX_YEAR, MIN_YEAR, SHOWN

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
DMY_DATE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
TIME = re.compile(r"([0-9]{1,2})(?:[:.u]([0-9]{2})|\s*u(?:ur)?)|([0-9]{1,2})([0-9]{2})", re.IGNORECASE)
DIGITS = re.compile(r"[0-9]{1,40}")
WHOLE = re.compile(rf"([-−]?)({DIGITS.pattern})")
SEPARATORS = re.compile(r"[\s,;]+")
PERCENT = re.compile(r"([0-9]{1,6})\s*%?")
GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
GROUPED_EN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
AMOUNT_LIMIT = {"nl": "€ 100.000.000", "en": "€100,000,000"}
PLAIN = re.compile(r"[0-9]{1,15}")
MULTIPLIERS = {"": 1, "k": 1000, "duizend": 1000, "m": 1_000_000, "mln": 1_000_000, "miljoen": 1_000_000}
AMOUNT = re.compile(r"([0-9][0-9.,]*)\s*(k|duizend|mln|miljoen|m)?")
CURRENCY = re.compile(r"^(?:€|euro?\b)\s*|\s*(?:€|euro?)$")


def parse_date(text: str, *, field: str | None = None, missing: str = "parsing.date_missing") -> date:
    """`2027-03-01` or `1-3-2027` (also with / or .); impossible dates such as 31-02-2027 are refused by name.

    An empty text answers with `missing` (a question asking for the date, or a command's usage).
    """
    word = (text or "").strip()
    if not word:
        raise UserError(missing, field=field)
    iso, dmy = ISO_DATE.fullmatch(word), DMY_DATE.fullmatch(word)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dmy:
        day, month, year = (int(part) for part in dmy.groups())
    else:
        raise UserError("parsing.date_format", field=field, text=shown(word))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError("parsing.date_year", field=field, text=shown(word), first=MIN_YEAR, last=MAX_YEAR)
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("parsing.date_impossible", field=field, text=shown(word)) from None


def not_in_past(value: date | None, today: date, *, field: str | None = None) -> date | None:
    if value is not None and value < today:
        raise UserError("agenda.date_past", field=field)
    return value


def parse_time(text: str, *, field: str | None = None) -> time:
    """`14:00`, `14.00`, `9:30`, `0930`, `14u`, `14u30` or `14 uur`."""
    word = (text or "").strip()
    match = TIME.fullmatch(word)
    if not match:
        raise UserError("parsing.time_format", field=field, text=shown(word))
    digits = match.group(1, 2) if match.group(1) else match.group(3, 4)
    hour, minute = int(digits[0]), int(digits[1] or 0)
    if hour > 23 or minute > 59:
        raise UserError("parsing.time_impossible", field=field, text=shown(word))
    return time(hour, minute)


def parse_whole_number(text: str, *, field: str | None = None) -> int:
    """`3`, `028` or `-1`: a whole number in digits; whether it is in range is for the one who uses it to say."""
    word = (text or "").strip()
    match = WHOLE.fullmatch(word)
    if not match:
        raise UserError("parsing.whole_number", field=field, text=shown(word))
    sign, digits = match.groups()
    return -int(digits) if sign else int(digits)


def parse_whole_numbers(text: str, *, field: str | None = None) -> list[int]:
    """`14, 7, 1` (commas, semicolons or spaces between): whole numbers in the order typed."""
    parts = [part for part in SEPARATORS.split(text or "") if part]
    if not parts:
        raise UserError("parsing.whole_numbers", field=field, text=shown(text))
    try:
        return [parse_whole_number(part) for part in parts]
    except UserError:
        raise UserError("parsing.whole_numbers", field=field, text=shown(text)) from None


def is_whole_number(text: str) -> bool:
    """True when `text` is digits 0–9 only (a count, a button's number), so that `int()` reads it as meant."""
    return DIGITS.fullmatch(text or "") is not None


def parse_percent(text: str, *, field: str | None = None) -> int:
    """`40%`, `40 %` or `40`: a whole number from 0 to 100."""
    word = (text or "").strip()
    if word.startswith(("-", "−")):
        raise UserError("voortgang.percent_range", field=field, text=shown(word))
    match = PERCENT.fullmatch(word)
    if not match:
        raise UserError("voortgang.percent_format", field=field, text=shown(word))
    value = int(match.group(1))
    if value > 100:
        raise UserError("voortgang.percent_range", field=field, text=shown(word))
    return value


def parse_number(text: str, kind: str = "A") -> int:
    """An item's number: `A-3`, `a3` or `3` for kind A (`K-2` for kind K, and so on)."""
    match = _number_of(kind).fullmatch((text or "").strip())
    if not match:
        raise UserError("common.bad_number", kind=kind, text=shown(text))
    return int(match.group(1))


def looks_like_number(text: str, kind: str = "A") -> bool:
    return _number_of(kind).fullmatch((text or "").strip()) is not None


def _number_of(kind: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{re.escape(kind)}-?)?([0-9]{{1,6}})", re.IGNORECASE)


def parse_amount(text: str, *, field: str | None = None, locale: str = "nl") -> Decimal:
    """Euros as Dutch write them: `12500`, `12.500`, `€ 12.500,50`, `12.500,-`, `48k`, `1,5 mln`; or, for someone
    whose language is English, as English does: `12,500`, `€20,000.50`, `48k`."""
    raw = " ".join((text or "").replace("\u00a0", " ").split()).lower()
    word = CURRENCY.sub("", raw).removesuffix(",--").removesuffix(",-").strip()
    if word.startswith(("-", "−")):
        raise UserError("agenda.amount_negative", field=field)
    match = AMOUNT.fullmatch(word) if len(word) <= SHOWN else None
    if not match:
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    multiplier = MULTIPLIERS[match.group(2) or ""]
    read = _english_number if locale == "en" else _dutch_number
    value = read(match.group(1), field=field, scaled=multiplier > 1, raw=raw) * multiplier
    if value > MAX_BUDGET:
        raise UserError("agenda.amount_too_large", field=field, limit=AMOUNT_LIMIT.get(locale, AMOUNT_LIMIT["nl"]))
    if value != value.quantize(Decimal("0.01")):
        raise UserError("agenda.amount_cents", field=field, text=shown(raw))
    return value.quantize(Decimal("0.01"))


def _dutch_number(number: str, *, field: str | None, scaled: bool, raw: str) -> Decimal:
    """Dots group thousands, one comma starts the decimals; `12.5` and `12,500` are ambiguous, so refused."""
    whole, comma, fraction = number.partition(",")
    if "," in fraction or "." in fraction or (comma and not fraction):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if not (GROUPED.fullmatch(whole) or PLAIN.fullmatch(whole)):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if fraction and len(fraction) > (6 if scaled else 2):
        raise UserError("agenda.amount_ambiguous", field=field, text=shown(raw))
    try:
        return Decimal(whole.replace(".", "") + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise UserError("agenda.amount_format", field=field, text=shown(raw)) from None


def _english_number(number: str, *, field: str | None, scaled: bool, raw: str) -> Decimal:
    """Commas group thousands, one point starts the decimals: `12,500.50`; `12,5` is refused, `12.500` ambiguous."""
    whole, point, fraction = number.partition(".")
    if "," in fraction or "." in fraction or (point and not fraction):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if not (GROUPED_EN.fullmatch(whole) or PLAIN.fullmatch(whole)):
        raise UserError("agenda.amount_format", field=field, text=shown(raw))
    if fraction and len(fraction) > (6 if scaled else 2):
        raise UserError("agenda.amount_ambiguous", field=field, text=shown(raw))
    try:
        return Decimal(whole.replace(",", "") + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise UserError("agenda.amount_format", field=field, text=shown(raw)) from None
