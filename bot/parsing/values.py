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
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from store.errors import UserError, shown
from store.vocabulary import MAX_BUDGET, MAX_YEAR, MIN_YEAR, SHOWN

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
DMY_DATE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb"), 2),
    **dict.fromkeys(("maart", "march", "mrt", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("augustus", "august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
NAMED_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]+\.?) ([0-9]{4})")
WEEKDAYS = {
    **dict.fromkeys(("maandag", "monday"), 0),
    **dict.fromkeys(("dinsdag", "tuesday"), 1),
    **dict.fromkeys(("woensdag", "wednesday"), 2),
    **dict.fromkeys(("donderdag", "thursday"), 3),
    **dict.fromkeys(("vrijdag", "friday"), 4),
    **dict.fromkeys(("zaterdag", "saturday"), 5),
    **dict.fromkeys(("zondag", "sunday"), 6),
}
DAYS_AHEAD = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2, "day after tomorrow": 2}
# `vrijdag`, `komende vrijdag`, `next friday`: the first one after today; `volgende week vrijdag`: next week's.
COMING_DAY = re.compile(r"(?:(?:komende|aanstaande|next|this coming) )?([a-z]+)")
NEXT_WEEK_DAY = re.compile(r"volgende week ([a-z]+)|([a-z]+) (?:volgende week|next week)")
# How far a date typed in words may run after `deadline:` in a line of text, so that the words are read together.
DATE_PHRASE = re.compile(
    rf"(?i)(?:[0-9]{{1,2}}\s+(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?(?:\s+[0-9]{{4}})?"
    r"|day\s+after\s+tomorrow|(?:volgende\s+week|komende|aanstaande|next|this\s+coming)\s+[a-z]+"
    r"|[a-z]+\s+(?:volgende|next)\s+week)"
    r"(?!\S)"
)
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


def parse_date(
    text: str, *, field: str | None = None, missing: str = "parsing.date_missing", today: date | None = None
) -> date:
    """`2027-03-01`, `1-3-2027` (also with / or .), `1 maart 2027`, `1 mrt 2027` or `1 March 2027`; impossible
    dates such as 31-02-2027 are refused by name. With `today`, also `vandaag`, `morgen`, `overmorgen`, `vrijdag`
    (the first Friday after today), `volgende week vrijdag` (the Friday of next week) and their English.

    An empty text answers with `missing` (a question asking for the date, or a command's usage).
    """
    word = " ".join((text or "").split())
    if not word:
        raise UserError(missing, field=field)
    relative = _relative_date(word.lower(), today) if today is not None else None
    if relative is not None:
        return relative
    iso, dmy, named = ISO_DATE.fullmatch(word), DMY_DATE.fullmatch(word), NAMED_DATE.fullmatch(word)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dmy:
        day, month, year = (int(part) for part in dmy.groups())
    elif named and named.group(2).lower().rstrip(".") in MONTHS:
        day, month, year = int(named.group(1)), MONTHS[named.group(2).lower().rstrip(".")], int(named.group(3))
    else:
        raise UserError("parsing.date_format", field=field, text=shown(word))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError("parsing.date_year", field=field, text=shown(word), first=MIN_YEAR, last=MAX_YEAR)
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError("parsing.date_impossible", field=field, text=shown(word)) from None


def _relative_date(word: str, today: date) -> date | None:
    """A day named relative to `today`, or None when `word` is not one of those names."""
    if word in DAYS_AHEAD:
        return today + timedelta(days=DAYS_AHEAD[word])
    match = NEXT_WEEK_DAY.fullmatch(word)
    if match and (match.group(1) or match.group(2)) in WEEKDAYS:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=WEEKDAYS[match.group(1) or match.group(2)])
    match = COMING_DAY.fullmatch(word)
    if match and match.group(1) in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[match.group(1)] - today.weekday() - 1) % 7 + 1)
    return None


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
    """True when `text` is digits 0–9 only (a count, a button's number), so that `int()` reads it as meant; at most
    9 of them, so the number fits the databases' integer columns (a forged button's 10 digits would fail a query)."""
    return DIGITS.fullmatch(text or "") is not None and len(text) <= 9


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
