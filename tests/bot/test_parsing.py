"""The text parsers: examples of what people type, and properties that hold for any input at all."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.formatting import amount
from bot.i18n import t
from bot.parsing import (
    Filters,
    NewActivity,
    ProgressCommand,
    parse_amount,
    parse_date,
    parse_filters,
    parse_new,
    parse_number,
    parse_percent,
    parse_progress,
    parse_status,
    parse_theme,
    parse_time,
    parse_whole_number,
    parse_whole_numbers,
)
from bot.parsing.meeting import parse_move, parse_plan, parse_topic
from bot.parsing.rhythm import parse_settings
from store.errors import UserError


def refused(parser, text: str) -> UserError:
    with pytest.raises(UserError) as caught:
        parser(text)
    return caught.value


def answer(error: UserError, locale: str = "nl") -> str:
    return t(error.key, locale, **error.params)


# -- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-01", date(2027, 3, 1)),
        ("1-3-2027", date(2027, 3, 1)),
        ("01-03-2027", date(2027, 3, 1)),
        ("1/3/2027", date(2027, 3, 1)),
        ("29-02-2028", date(2028, 2, 29)),
        ("  31-12-2026 ", date(2026, 12, 31)),
    ],
)
def test_dates_in_iso_and_day_month_year(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("31-02-2027", "parsing.date_impossible"),
        ("29-02-2027", "parsing.date_impossible"),
        ("2027-13-01", "parsing.date_impossible"),
        ("0-1-2027", "parsing.date_impossible"),
        ("1-3-27", "parsing.date_format"),
        ("maart", "parsing.date_format"),
        ("", "parsing.date_missing"),
        ("  ", "parsing.date_missing"),
        ("1-3-1850", "parsing.date_year"),
        ("9999-01-01", "parsing.date_year"),
    ],
)
def test_impossible_and_unreadable_dates_are_named(text: str, key: str) -> None:
    error = refused(parse_date, text)
    assert error.key == key
    assert answer(error)


@pytest.mark.parametrize(
    "text",
    ["1 maart 2027", "1 mrt 2027", "1 mrt. 2027", "01 Maart 2027", "1 March 2027", "1 mar 2027", " 1  maart   2027 "],
)
def test_dates_with_the_month_in_words_dutch_and_english(text: str) -> None:
    assert parse_date(text) == date(2027, 3, 1)


def test_a_month_name_does_not_make_any_date_possible() -> None:
    assert refused(parse_date, "31 februari 2027").key == "parsing.date_impossible"
    assert refused(parse_date, "1 maand 2027").key == "parsing.date_format"
    assert refused(parse_date, "1 maart").key == "parsing.date_format"  # which year is for the writer to say


SATURDAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vandaag", date(2026, 11, 28)),
        ("morgen", date(2026, 11, 29)),
        ("Overmorgen", date(2026, 11, 30)),
        ("vrijdag", date(2026, 12, 4)),
        ("zaterdag", date(2026, 12, 5)),  # the next one, never today
        ("komende maandag", date(2026, 11, 30)),
        ("volgende week vrijdag", date(2026, 12, 4)),
        ("volgende week maandag", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 29)),
        ("next friday", date(2026, 12, 4)),
        ("friday next week", date(2026, 12, 4)),
    ],
)
def test_days_named_relative_to_today(text: str, expected: date) -> None:
    assert parse_date(text, today=SATURDAY) == expected


def test_next_weeks_day_is_in_the_week_after_this_one() -> None:
    monday = date(2026, 11, 23)
    assert parse_date("vrijdag", today=monday) == date(2026, 11, 27)
    assert parse_date("volgende week vrijdag", today=monday) == date(2026, 12, 4)


def test_relative_days_need_today() -> None:
    assert refused(parse_date, "morgen").key == "parsing.date_format"
    assert refused(lambda text: parse_date(text, today=SATURDAY), "volgende week zomer").key == "parsing.date_format"


def test_impossible_date_answer_quotes_it() -> None:
    assert "31-02-2027" in answer(refused(parse_date, "31-02-2027"))


# Digits are ASCII 0–9 only: superscripts, Arabic-Indic and full-width digits get the usual answer, never a crash
# and never a silent reading (`int("٣")` is 3, `int("²")` raises, `"²".isdigit()` is true).
OTHER_DIGITS = ["²", "¹", "٣", "３", "3²", "¹2"]


@pytest.mark.parametrize("text", ["²-3-2027", "1-3-202¹", "٣-٣-٢٠٢٧", "2027-03-٠١", "１-３-２０２７", "2027-0３-01"])
def test_dates_are_written_with_digits_0_to_9(text: str) -> None:
    error = refused(parse_date, text)
    assert error.key == "parsing.date_format"
    assert text in answer(error) and "8-12-2026" in answer(error)


def test_an_empty_date_may_answer_with_a_commands_usage() -> None:
    assert refused(lambda text: parse_date(text, missing="meeting.cancel_usage"), " ").key == "meeting.cancel_usage"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_reads_back_in_both_notations(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == day
    assert parse_date(day.strftime("%d-%m-%Y")) == day


# -- times -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", time(14, 0)),
        ("14.00", time(14, 0)),
        ("9:30", time(9, 30)),
        (" 09:30 ", time(9, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("14u", time(14, 0)),
        ("14 uur", time(14, 0)),
        ("14U", time(14, 0)),
        ("8u30", time(8, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times_as_people_write_them(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("25:00", "parsing.time_impossible"),
        ("14:60", "parsing.time_impossible"),
        ("2400", "parsing.time_impossible"),
        ("14", "parsing.time_format"),
        ("14:0", "parsing.time_format"),
        ("morgen", "parsing.time_format"),
        ("", "parsing.time_format"),
        ("²:00", "parsing.time_format"),
        ("14:³⁰", "parsing.time_format"),
        ("١٤:٠٠", "parsing.time_format"),
        ("１４:００", "parsing.time_format"),
        ("14u٣0", "parsing.time_format"),
    ],
)
def test_impossible_and_unreadable_times_are_named(text: str, key: str) -> None:
    error = refused(parse_time, text)
    assert error.key == key
    assert answer(error) and answer(error, "en")


@given(st.times())
def test_every_time_reads_back_to_the_minute(moment: time) -> None:
    minute = moment.replace(second=0, microsecond=0)
    for text in (moment.strftime("%H:%M"), f"{moment.hour}.{moment.minute:02d}", moment.strftime("%H%M")):
        assert parse_time(text) == minute


# -- whole numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("3", 3), (" 028 ", 28), ("0", 0), ("-1", -1), ("−4", -4)])
def test_whole_numbers(text: str, expected: int) -> None:
    assert parse_whole_number(text) == expected


@pytest.mark.parametrize("text", ["", "drie", "3.5", "3,0", "+3", "1e3", *OTHER_DIGITS])
def test_anything_but_digits_is_not_a_whole_number(text: str) -> None:
    error = refused(parse_whole_number, text)
    assert error.key == "parsing.whole_number"
    assert answer(error) and answer(error, "en")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_every_whole_number_reads_back(value: int) -> None:
    assert parse_whole_number(str(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"), [("14, 7, 1", [14, 7, 1]), ("21;7 1", [21, 7, 1]), ("7", [7]), ("1,,2", [1, 2])]
)
def test_lists_of_whole_numbers(text: str, expected: list[int]) -> None:
    assert parse_whole_numbers(text) == expected


@pytest.mark.parametrize("text", ["", ",", "veel", "14, 7²", "14,٧", "１４", "¹⁴"])
def test_a_list_with_anything_but_digits_is_refused_whole(text: str) -> None:
    error = refused(parse_whole_numbers, text)
    assert error.key == "parsing.whole_numbers"
    assert answer(error) and answer(error, "en")


# -- amounts -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500", "12500.00"),
        ("12.500", "12500.00"),
        ("€ 12.500,50", "12500.50"),
        ("€12.500,50", "12500.50"),
        ("€ 48.000", "48000.00"),
        ("48k", "48000.00"),
        ("48 k", "48000.00"),
        ("1,5k", "1500.00"),
        ("2,5 mln", "2500000.00"),
        ("12.500,-", "12500.00"),
        ("1.250.000", "1250000.00"),
        ("EUR 750", "750.00"),
        ("750 euro", "750.00"),
        ("0", "0.00"),
        ("99,9", "99.90"),
    ],
)
def test_dutch_amounts(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("-500", "agenda.amount_negative"),
        ("€ -500", "agenda.amount_negative"),
        ("−500", "agenda.amount_negative"),
        ("1000000000", "agenda.amount_too_large"),
        ("200 mln", "agenda.amount_too_large"),
        ("12,500", "agenda.amount_ambiguous"),
        ("12.5", "agenda.amount_format"),
        ("12.50", "agenda.amount_format"),
        ("1,2,3", "agenda.amount_format"),
        ("veel", "agenda.amount_format"),
        ("", "agenda.amount_format"),
        ("1,000001k", "agenda.amount_cents"),
        ("٣٠٠", "agenda.amount_format"),
        ("３００", "agenda.amount_format"),
        ("€ 300²", "agenda.amount_format"),
        ("¹2.500", "agenda.amount_format"),
    ],
)
def test_negative_absurd_and_unclear_amounts_are_named(text: str, key: str) -> None:
    error = refused(parse_amount, text)
    assert error.key == key
    assert answer(error)


@given(st.decimals(min_value=0, max_value=100_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_every_amount_reads_back_as_dutch_formats_it(value: Decimal) -> None:
    assert parse_amount(amount(value, "nl")) == value
    assert parse_amount(str(value).replace(".", ",")) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500", "12500.00"),
        ("12,500", "12500.00"),
        ("€20,000", "20000.00"),
        ("€ 20,000", "20000.00"),
        ("20,000.50", "20000.50"),
        ("€1,250,000.05", "1250000.05"),
        ("48k", "48000.00"),
        ("1.5k", "1500.00"),
        ("99.9", "99.90"),
        ("EUR 750", "750.00"),
    ],
)
def test_english_amounts(text: str, expected: str) -> None:
    assert parse_amount(text, locale="en") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("12.500", "agenda.amount_ambiguous"),
        ("12,5", "agenda.amount_format"),
        ("€ 12.500,50", "agenda.amount_format"),
        ("1,2,3", "agenda.amount_format"),
        ("-500", "agenda.amount_negative"),
        ("200,000,000", "agenda.amount_too_large"),
    ],
)
def test_unclear_english_amounts_are_named_in_english(text: str, key: str) -> None:
    error = refused(lambda value: parse_amount(value, locale="en"), text)
    assert error.key == key
    assert "€ 100.000.000" not in answer(error, "en")


@given(st.decimals(min_value=0, max_value=100_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_every_amount_reads_back_as_english_formats_it(value: Decimal) -> None:
    assert parse_amount(amount(value, "en"), locale="en") == value
    assert parse_amount(str(value), locale="en") == value


# -- percentages, themes, statuses, numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("40%", 40), ("40 %", 40), ("0", 0), ("100%", 100), (" 7 ", 7)])
def test_percentages(text: str, expected: int) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("101%", "voortgang.percent_range"),
        ("-5%", "voortgang.percent_range"),
        ("40,5%", "voortgang.percent_format"),
        ("veel", "voortgang.percent_format"),
        ("", "voortgang.percent_format"),
        ("٤٠%", "voortgang.percent_format"),
        ("４０", "voortgang.percent_format"),
        ("40²%", "voortgang.percent_format"),
        ("²", "voortgang.percent_format"),
    ],
)
def test_percentages_outside_0_to_100_are_refused(text: str, key: str) -> None:
    assert refused(parse_percent, text).key == key


@given(st.integers(min_value=0, max_value=100))
def test_every_percentage_reads_back(value: int) -> None:
    assert parse_percent(f"{value}%") == value


def test_a_theme_is_read_as_typed_and_the_circle_says_which_it_is() -> None:
    # Which of the circle's own themes a word names is the store's rule (tests/test_circle_themes.py).
    assert parse_theme(' "Ontwikkelen  en Leren" ') == "ontwikkelen en leren"
    assert refused(parse_theme, "  ").key == "agenda.theme_missing"


@pytest.mark.parametrize(
    ("text", "expected"), [("klaar", "afgerond"), ("Lopend", "lopend"), ("blocked", "geblokkeerd")]
)
def test_statuses(text: str, expected: str) -> None:
    assert parse_status(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("A-3", 3), ("a3", 3), ("12", 12)])
def test_activity_numbers(text: str, expected: int) -> None:
    assert parse_number(text, "A") == expected


def test_numbers_of_other_kinds() -> None:
    assert parse_number("K-2", "K") == 2 and parse_number("h7", "H") == 7
    assert refused(lambda text: parse_number(text, "K"), "A-2").key == "common.bad_number"


@pytest.mark.parametrize("text", ["A-٣", "A-３", "²", "A-3²", "a¹"])
def test_item_numbers_are_written_with_digits_0_to_9(text: str) -> None:
    error = refused(parse_number, text)
    assert error.key == "common.bad_number"
    assert "A-3" in answer(error)


# -- /agenda nieuw -------------------------------------------------------------------------------------------------


def test_the_new_activity_grammar() -> None:
    text = "Pilot circulair asfalt deadline:1-3-2027 budget:€ 48.000 thema:klimaat <@U7|piet> <@U8> <@U9|an>"
    assert parse_new(text) == NewActivity(
        title="Pilot circulair asfalt",
        theme="klimaat",
        deadline=date(2027, 3, 1),
        budget=Decimal("48000.00"),
        initiator_id="U7",
        team=("U8", "U9"),
    )


def test_new_activity_keys_anywhere_and_quoted() -> None:
    parsed = parse_new('thema:"ontwikkelen en leren" Leerkring: aanbesteden budget:48k status:idee doel:"CO2 -50%"')
    assert parsed.title == "Leerkring: aanbesteden"
    assert (parsed.theme, parsed.budget, parsed.status, parsed.goals) == (
        "ontwikkelen en leren",
        Decimal("48000.00"),
        "idee",
        ("CO2 -50%",),
    )
    assert parsed.initiator_id is None and parsed.deadline is None


def test_an_activity_may_serve_several_goals() -> None:
    parsed = parse_new('Pilot thema:klimaat doel:minder doel:"Meer stageplekken"')
    assert parsed.goals == ("minder", "Meer stageplekken")


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Asfalt deadline:1 maart 2027 thema:klimaat", date(2027, 3, 1)),
        ("Asfalt deadline:1 mrt 2027", date(2027, 3, 1)),
        ("Asfalt deadline:1 March 2027", date(2027, 3, 1)),
        ("Asfalt deadline:morgen thema:klimaat", date(2026, 11, 29)),
        ("Asfalt datum:volgende week vrijdag", date(2026, 12, 4)),
        ("Asfalt deadline:next friday", date(2026, 12, 4)),
        ("Asfalt deadline: 1  maart 2027", date(2027, 3, 1)),
    ],
)
def test_new_activity_deadline_in_words(text: str, deadline: date) -> None:
    new = parse_new(text if "thema:" in text else f"{text} thema:klimaat", today=SATURDAY)
    assert (new.title, new.deadline, new.theme) == ("Asfalt", deadline, "klimaat")


def test_a_date_in_words_takes_only_its_own_words() -> None:
    new = parse_new("Asfalt deadline:1 maart 2027 Tiel thema:klimaat", today=SATURDAY)
    assert (new.title, new.deadline) == ("Asfalt Tiel", date(2027, 3, 1))
    assert parse_new("1 maart 2027 Asfalt thema:klimaat").title == "1 maart 2027 Asfalt"
    assert refused(lambda text: parse_new(text, today=SATURDAY), "Asfalt deadline:1 maart thema:x").params["text"] == (
        "1 maart"
    )


def test_new_activity_budget_with_euro_after_it() -> None:
    assert parse_new("X thema:leren budget:48.000 euro").budget == Decimal("48000")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Pilot thema:klimaat deadline:31-02-2027", "parsing.date_impossible"),
        ("Pilot thema:klimaat budget:-5", "agenda.amount_negative"),
        ("Pilot deadline:1-3-2027", "agenda.theme_missing"),
        ("thema:klimaat", "agenda.title_missing"),
        ("Pilot thema:klimaat deadline:", "agenda.key_without_value"),
        ("Pilot thema:klimaat thema:leren", "agenda.key_twice"),
        ("Pilot thema:klimaat status:afgerond", "agenda.status_at_start"),
        ("P" * 201 + " thema:klimaat", "agenda.title_too_long"),
    ],
)
def test_new_activity_mistakes_are_named(text: str, key: str) -> None:
    assert refused(parse_new, text).key == key


def test_deadline_in_the_past_is_refused_when_today_is_known() -> None:
    with pytest.raises(UserError) as caught:
        parse_new("Pilot thema:klimaat deadline:1-3-2026", today=date(2026, 12, 1))
    assert caught.value.key == "agenda.date_past"


def test_title_with_a_broadcast_cannot_ping() -> None:
    assert parse_new("Iedereen <!channel> lezen thema:leren").title == "Iedereen @channel lezen"


@given(
    title=st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=60),
    day=st.dates(min_value=date(2027, 1, 1), max_value=date(2100, 12, 31)),
    budget=st.decimals(min_value=0, max_value=100_000_000, places=2),
    theme=st.sampled_from(["arbeidsmarkt", "klimaat", "leren"]),
)
def test_new_activity_reads_back_whatever_the_values(title: str, day: date, budget: Decimal, theme: str) -> None:
    text = f"{title} deadline:{day.day}-{day.month}-{day.year} budget:{amount(budget)} thema:{theme} <@U1|a>"
    parsed = parse_new(text)
    assert (parsed.title, parsed.deadline, parsed.budget, parsed.theme) == (title, day, budget, theme)
    assert parsed.initiator_id == "U1"


# -- filters and /voortgang -----------------------------------------------------------------------------------------


def test_filters() -> None:
    assert parse_filters("mijn status:lopend") == Filters(mine=True, status="lopend")
    assert parse_filters("thema:klimaat") == Filters(theme="klimaat")
    assert parse_filters("status:actief") == Filters(status="actief")
    assert refused(parse_filters, "alles").key == "agenda.filter_unknown"


def test_progress_command() -> None:
    assert parse_progress("A-3 40% Eerste proefvak gelegd") == ProgressCommand(3, 40, None, "Eerste proefvak gelegd")
    assert parse_progress("a3 status:geblokkeerd wachten op vergunning") == ProgressCommand(
        3, None, "geblokkeerd", "wachten op vergunning"
    )
    assert parse_progress("A-3 100 %") == ProgressCommand(3, 100)
    assert parse_progress("A-3").empty
    assert parse_progress("A-3 We haalden 30% minder CO2").percent is None
    assert parse_progress("A-3 40") == ProgressCommand(3, 40)
    assert parse_progress("A-3 40 Eerste proefvak gelegd") == ProgressCommand(3, 40, None, "Eerste proefvak gelegd")
    assert parse_progress("A-3 1e proefvak gelegd") == ProgressCommand(3, None, None, "1e proefvak gelegd")
    assert refused(parse_progress, "A-3 140 bijna").key == "voortgang.percent_range"
    assert refused(parse_progress, "A-3 140% klaar").key == "voortgang.percent_range"
    assert refused(parse_progress, "K-3 40%").key == "common.bad_number"


# -- any input at all: a value or a clear answer, never another exception ------------------------------------------


def parse_english_amount(text: str) -> Decimal:
    return parse_amount(text, locale="en")


def parse_date_today(text: str) -> date:
    return parse_date(text, today=SATURDAY)


def parse_new_today(text: str) -> NewActivity:
    return parse_new(text, today=SATURDAY)


PARSERS = [
    parse_date,
    parse_date_today,
    parse_new_today,
    parse_amount,
    parse_english_amount,
    parse_percent,
    parse_theme,
    parse_status,
    parse_number,
    parse_time,
    parse_whole_number,
    parse_whole_numbers,
    parse_new,
    parse_filters,
    parse_progress,
    parse_plan,
    parse_move,
    parse_topic,
    parse_settings,
]
PIECES = list("0123456789-/.,:;%€ kKmAau<>@|!\"'“”UCthemadlinbugsz\u00a0\n\t−²¹٣３") + [
    *("euro", "mln", "<@U1|a>", "thema:", "uur", "elke", "weken", "naar", "arbeidsmarkt:", "tijd:", "stil:"),
    *(" maart ", " mrt. ", "March", "vrijdag", "volgende week ", "next ", "morgen", "deadline:", "datum:"),
]
SLACKISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda parser: parser.__name__)
@given(text=st.one_of(st.text(max_size=200), SLACKISH))
@example(text="9" * 5000)
@example(text="٣-٣-٢٠٢٧")
@example(text="²")
@example(text="¹,٣ ３")
@example(text="8-12-2026 ١٤:٠٠ elke ٦ weken")
@example(text="8-12-2026 naar ²-12-2026 14:00")
@example(text="budget:€")
@example(text='thema:"klimaat')
def test_any_input_gives_a_value_or_a_clear_answer(parser, text: str) -> None:
    try:
        parser(text)
    except UserError as error:
        for locale in ("nl", "en"):
            assert t(error.key, locale, **error.params)
