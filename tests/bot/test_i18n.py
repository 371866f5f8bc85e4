"""The catalogues: every key the code asks for exists, Dutch and English know the same keys and placeholders."""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.formatting import _amount, amount, long_date, short_date
from bot.i18n import PLURAL_MARK, catalogue, normalise_locale, t

ROOT = Path(__file__).resolve().parents[2]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def keys_used_in_code() -> set[str]:
    used: set[str] = set()
    for folder in ("bot", "handlers", "store"):
        for path in (ROOT / folder).rglob("*.py"):
            used.update(LITERAL_KEY.findall(path.read_text("utf-8")))
    return used


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def messages(locale: str) -> set[str]:
    """The catalogue's message keys, a plural table (`key#one`, `key#other`) counted once as `key`."""
    return {key.partition(PLURAL_MARK)[0] for key in catalogue(locale)}


def test_every_key_in_code_is_in_the_dutch_catalogue() -> None:
    missing = sorted(keys_used_in_code() - messages("nl"))
    assert missing == []


def test_a_count_picks_the_plural_form_of_each_language() -> None:
    assert t("agenda.summary", "nl", count=1) == "1 activiteit"
    assert t("agenda.summary", "nl", count=0) == "0 activiteiten"
    assert t("agenda.summary", "en", count=1) == "1 activity"
    assert t("agenda.summary", "en", count=3) == "3 activities"


def test_no_message_spells_a_plural_as_a_bracket() -> None:
    bracketed = re.compile(r"\w\((en|s|e)\)")
    assert [key for key in catalogue("nl") if bracketed.search(catalogue("nl")[key])] == []
    assert [key for key in catalogue("en") if bracketed.search(catalogue("en")[key])] == []


def test_dutch_and_english_know_the_same_keys() -> None:
    assert sorted(catalogue("nl").keys() ^ catalogue("en").keys()) == []


@pytest.mark.parametrize("key", sorted(catalogue("nl")))
def test_placeholders_match_between_languages(key: str) -> None:
    assert placeholders(catalogue("nl")[key]) == placeholders(catalogue("en").get(key, catalogue("nl")[key]))


def test_lookup_falls_back_to_dutch_and_fills_placeholders() -> None:
    assert t("klaagpaal.filed", "en", number=3).startswith("Thank you")
    assert "K-3" in t("klaagpaal.filed", "nl", number=3)
    assert normalise_locale("nl-NL") == "nl" and normalise_locale("de-DE") == "nl" and normalise_locale("en-GB") == "en"
    with pytest.raises(KeyError):
        t("klaagpaal.does_not_exist")


def test_dates_and_amounts_are_formatted_once_per_value_the_same_way() -> None:
    assert long_date(date(2026, 12, 10)) == "donderdag 10 december 2026"
    assert short_date(date(2026, 12, 10), "en") == "10 Dec 2026"
    assert amount(Decimal("12500"), "nl") == amount(Decimal("12500.00"), "nl") == amount(12500) == "€\xa012.500,00"
    assert amount(Decimal("0.5"), "en") == "€0.50" and amount(7, "xx") == "€\xa07,00"  # other languages: Dutch
    before = _amount.cache_info().hits
    for _ in range(10):
        amount(Decimal("48000"), "nl")
    assert _amount.cache_info().hits >= before + 9
