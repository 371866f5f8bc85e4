"""Reading the anonymous word: every form of it files anonymously, anything close is asked, the rest is named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.klaagpaaltext import WORDS, Filing, parse_filing


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("anoniem De betaaltermijn", "De betaaltermijn"),
        ("anoniem: De betaaltermijn", "De betaaltermijn"),
        ("anoniem:De betaaltermijn", "De betaaltermijn"),
        ("Anoniem, de betaaltermijn", "de betaaltermijn"),
        ("ANONIEM!!! de betaaltermijn", "de betaaltermijn"),
        ("anoniem — de betaaltermijn", "de betaaltermijn"),
        ("Anoniém: de betaaltermijn", "de betaaltermijn"),
        ("(anoniem) de betaaltermijn", "de betaaltermijn"),
        ("[Anoniem] de betaaltermijn", "de betaaltermijn"),
        ("*anoniem*: de betaaltermijn", "de betaaltermijn"),
        ("anonymous Too many forms", "Too many forms"),
        ("Anonymous: too many forms", "too many forms"),
        ("anonymously, too many forms", "too many forms"),
        ("anon. too many forms", "too many forms"),
        ("anoniem", ""),
    ],
)
def test_the_word_in_any_case_with_any_punctuation_is_anonymous(typed: str, text: str) -> None:
    assert parse_filing(typed) == Filing(True, text)


@pytest.mark.parametrize(
    ("typed", "anonymous_text"),
    [
        ("anonim De betaaltermijn", "De betaaltermijn"),
        ("anoniemDe betaaltermijn", "De betaaltermijn"),
        ("anoniemde betaaltermijn", "de betaaltermijn"),
        ("annoniem: de betaaltermijn", "de betaaltermijn"),
        ("Anonieme meldingen worden genegeerd", "meldingen worden genegeerd"),
        ("anonymos Too many forms", "Too many forms"),
        ("anonymousToo many forms", "Too many forms"),
        ("anoniem2 de betaaltermijn", "2 de betaaltermijn"),
    ],
)
def test_something_close_to_the_word_asks(typed: str, anonymous_text: str) -> None:
    filing = parse_filing(typed)
    assert (filing.anonymous, filing.text, filing.anonymous_text) == (None, typed, anonymous_text)


@pytest.mark.parametrize(
    "typed",
    [
        "De betaaltermijn is te lang",
        "Waarom is melden niet anoniem?",
        "Anno 2026 betalen gemeenten nog steeds na 60 dagen",
        "Aron van inkoop zegt dat het niet anders kan",
        "Anonimiteit van melders is niet geregeld",
        "Anonymity of reports is not guaranteed",
        "Annotaties bij het bestek ontbreken",
        "",
    ],
)
def test_everything_else_is_filed_with_the_name(typed: str) -> None:
    assert parse_filing(typed).anonymous is False and parse_filing(typed).text == typed.strip()


@given(st.sampled_from(WORDS), st.sampled_from(["", " ", ": ", ", ", " - ", "! ", ". "]), st.text(max_size=40))
def test_the_exact_word_followed_by_a_separator_is_never_named(word: str, separator: str, rest: str) -> None:
    typed = f"{word.capitalize()}{separator}{rest}" if separator else word
    assert parse_filing(typed).anonymous is True


@given(st.text(max_size=80))
def test_a_named_or_asked_text_loses_no_word(typed: str) -> None:
    filing = parse_filing(typed)
    if filing.anonymous is not True:
        assert filing.text == typed.strip()
