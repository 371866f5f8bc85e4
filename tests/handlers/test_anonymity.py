"""A person who meant to be anonymous is never named: the word in any form, a question when it is unclear,
nothing kept that links an anonymous item to its filer, and a limit per person that needs no name."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot import scheduler
from bot.app import make_client, make_services
from bot.config import load_settings
from store import circles
from store import klaagpaal as store
from store.keys import instance_secret
from store.models import AuditEvent, Base, InstanceSecret, KlaagpaalItem, KlaagpaalQuestion
from tests.helpers import dump, posts

FILER = "UANON7X"  # distinctive, so a search for it finds nothing else


def items(session_factory) -> list[KlaagpaalItem]:
    with session_factory() as session:
        return list(session.scalars(select(KlaagpaalItem).order_by(KlaagpaalItem.number)))


def buttons(answer) -> dict[str, str]:
    return {b["action_id"]: b["value"] for block in answer.json["blocks"] for b in block.get("elements", [])}


def everything_kept(session_factory) -> str:
    """Every row of every table the app has, as text."""
    with session_factory() as session:
        return "\n".join(
            repr(tuple(row)) for table in Base.metadata.sorted_tables for row in session.execute(select(table))
        )


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("anoniem: De betaaltermijn is te lang", "De betaaltermijn is te lang"),
        ("Anoniem, de betaaltermijn is te lang", "de betaaltermijn is te lang"),
        ("anonymous Too many forms", "Too many forms"),
        ("ANONIEM - Te veel formulieren", "Te veel formulieren"),
        ("*anoniem* Te veel formulieren", "Te veel formulieren"),
        ("anon: Te veel formulieren", "Te veel formulieren"),
        ("Anonymously: too many forms", "too many forms"),
    ],
)
def test_the_anonymous_word_in_any_form_files_without_a_name(slack, standin, session_factory, circle, typed, text):
    answer = slack.command("/klaagpaal", typed, user=FILER)

    assert "K-1" in answer.text and "anoniem" in answer.text
    [post] = posts(standin)
    assert FILER not in dump(post.body) and "Ingebracht door" not in dump(post.body)
    assert "Anoniem ingebracht" in dump(post.body)
    [item] = items(session_factory)
    assert (item.author_id, item.text) == (None, text)


def test_text_that_only_mentions_the_word_later_is_filed_with_the_name(slack, standin, session_factory, circle):
    slack.command("/klaagpaal", "Waarom is melden niet anoniem?", user="U2")
    [item] = items(session_factory)
    assert (item.author_id, item.text) == ("U2", "Waarom is melden niet anoniem?")


@pytest.mark.parametrize(
    ("typed", "anonymous_text"),
    [
        ("anonim De betaaltermijn is te lang", "De betaaltermijn is te lang"),
        ("anoniemDe betaaltermijn is te lang", "De betaaltermijn is te lang"),
        ("annoniem: de betaaltermijn", "de betaaltermijn"),
        ("anonymos Too many forms", "Too many forms"),
    ],
)
def test_something_close_to_the_word_is_asked_not_guessed(
    slack, standin, session_factory, circle, typed, anonymous_text
):
    answer = slack.command("/klaagpaal", typed, user=FILER)

    assert answer.json["response_type"] == "ephemeral" and "anoniem" in answer.text
    assert posts(standin) == [] and items(session_factory) == []  # nothing posted before the answer
    choice = buttons(answer)
    assert set(choice) == {"klaagpaal_anonymous", "klaagpaal_named"}
    assert typed not in dump(choice) and FILER not in everything_kept(session_factory)

    slack.press("klaagpaal_anonymous", choice["klaagpaal_anonymous"], user=FILER)

    [item] = items(session_factory)
    assert (item.author_id, item.text) == (None, anonymous_text)
    [post] = posts(standin)
    assert FILER not in dump(post.body) and "Anoniem ingebracht" in dump(post.body)
    [confirmation] = standin.calls_to("response_url")
    assert confirmation.body["replace_original"] is True and "K-1" in confirmation.body["text"]
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalQuestion)).all() == []


def test_the_question_answered_with_my_name_files_the_text_as_typed(slack, standin, session_factory, circle):
    answer = slack.command("/klaagpaal", "Anonimiteit ontbreekt: meldingen komen bij de aannemer terecht", user="U2")
    asked = slack.command("/klaagpaal", "anonim Meldingen komen bij de aannemer", user="U2")
    assert answer.json.get("blocks") is None  # a sentence about anonymity is just a sentence

    slack.press("klaagpaal_named", buttons(asked)["klaagpaal_named"], user="U2")
    slack.press("klaagpaal_anonymous", buttons(asked)["klaagpaal_anonymous"], user="U2")  # answered already

    assert [(i.author_id, i.text) for i in items(session_factory)] == [
        ("U2", "Anonimiteit ontbreekt: meldingen komen bij de aannemer terecht"),
        ("U2", "anonim Meldingen komen bij de aannemer"),
    ]
    assert "al beantwoord" in standin.calls_to("response_url")[-1].body["text"]


def test_an_unanswered_question_expires_and_nothing_is_filed(slack, standin, session_factory, clock, circle):
    asked = slack.command("/klaagpaal", "anonim Meldingen komen bij de aannemer", user="U2")
    clock.advance(minutes=16)
    slack.command("/klaagpaal", "anoniemE nog een", user="U3")  # asking again forgets expired questions

    slack.press("klaagpaal_anonymous", buttons(asked)["klaagpaal_anonymous"], user="U2")

    assert items(session_factory) == [] and posts(standin) == []
    assert "verlopen" in standin.calls_to("response_url")[-1].body["text"]
    with session_factory() as session:
        assert len(session.scalars(select(KlaagpaalQuestion)).all()) == 1


def test_scheduled_work_forgets_unanswered_questions(slack, services, session_factory, clock, circle):
    slack.command("/klaagpaal", "anonim Meldingen komen bij de aannemer", user="U2")
    scheduler.run_due(services, clock.advance(minutes=10))
    with session_factory() as session:
        assert len(session.scalars(select(KlaagpaalQuestion)).all()) == 1

    scheduler.run_due(services, clock.advance(minutes=6))

    with session_factory() as session:
        assert session.scalars(select(KlaagpaalQuestion)).all() == []


def test_nothing_kept_links_an_anonymous_item_to_its_filer(slack, standin, session_factory, circle, caplog):
    caplog.set_level(logging.DEBUG)
    slack.command("/klaagpaal", "Een punt met naam, zodat de zoektocht iets vindt", user="UNAMED5")
    slack.command("/klaagpaal", "anoniem Getypt met het woord", user=FILER)
    slack.command("/klaagpaal", "Anoniem, met een komma", user=FILER)
    slack.command("/klaagpaal", "anonymous: in English", user=FILER)
    asked = slack.command("/klaagpaal", "anonim Via de vraag", user=FILER)
    slack.press("klaagpaal_anonymous", buttons(asked)["klaagpaal_anonymous"], user=FILER)
    slack.command("/klaagpaal", "", user=FILER)
    view = standin.calls_to("views.open")[-1].body["view"]
    form = slack.submit(view, {"text": "Via het formulier", "anonymous": ["anoniem"]}, user=FILER)
    slack.press("klaagpaal_herkenbaar", str(items(session_factory)[1].id), user="U3")
    mine = slack.command("/klaagpaal", "mijn", user=FILER)
    withdrawn = slack.command("/klaagpaal", "intrekken K-3", user=FILER)

    kept = everything_kept(session_factory)
    logged = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    assert "UNAMED5" in kept and "UNAMED5" in logged  # the search does see user ids
    assert FILER.lower() not in kept.lower()
    assert FILER.lower() not in logged.lower()
    assert form.json["response_action"] == "update" and "K-6" in dump(form.json["view"])
    assert all(f"K-{n}" in mine.body for n in (2, 3, 4, 5, 6)) and "K-1" not in mine.body
    assert "ingetrokken" in withdrawn.text
    assert [(i.number, i.author_id) for i in items(session_factory)] == [(1, "UNAMED5")] + [
        (n, None) for n in (2, 4, 5, 6)
    ]


def test_the_filer_lists_and_withdraws_their_own_anonymous_items(slack, standin, session_factory, circle):
    slack.command("/klaagpaal", "anoniem Eerste punt", user=FILER)
    slack.command("/klaagpaal", "Tweede punt, van een ander", user="U2")
    slack.command("/klaagpaal", "anoniem Derde punt, van een ander", user="U3")
    slack.command("/klaagpaal", "Vierde punt met naam", user=FILER)

    mine = slack.command("/klaagpaal", "mine", user=FILER)
    assert "K-1" in mine.body and "K-4" in mine.body and "K-2" not in mine.body and "K-3" not in mine.body
    assert "Derde" not in mine.body

    refused = slack.command("/klaagpaal", "intrekken K-3", user=FILER)
    by_coordinator = slack.command("/klaagpaal", "intrekken K-1", user="U1")
    done = slack.command("/klaagpaal", "withdraw K-1", user=FILER)

    assert "Alleen wie K-3 inbracht" in refused.text and "Alleen wie K-1 inbracht" in by_coordinator.text
    assert "K-1 is ingetrokken" in done.text
    assert [i.number for i in items(session_factory)] == [2, 3, 4]
    [update] = standin.calls_to("chat.update")
    assert "ingetrokken" in dump(update.body) and "Eerste punt" not in dump(update.body)
    with session_factory() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "withdrawn")).one()
        assert (audit.subject, audit.actor_id) == ("K-1", None)


def test_anonymous_filing_is_limited_per_person_per_day(slack, standin, session_factory, clock, circle):
    for index in range(store.ANONYMOUS_PER_DAY):
        assert "K-" in slack.command("/klaagpaal", f"anoniem punt {index}", user=FILER).text

    refused = slack.command("/klaagpaal", "anoniem nog eentje", user=FILER)
    other = slack.command("/klaagpaal", "anoniem van iemand anders", user="U3")
    named = slack.command("/klaagpaal", "met naam mag wel", user=FILER)
    assert "maximum per dag" in refused.text
    assert "K-6" in other.text and "K-7" in named.text

    clock.advance(hours=24, seconds=1)
    assert "K-8" in slack.command("/klaagpaal", "anoniem de volgende dag", user=FILER).text


def test_the_form_is_limited_too(slack, standin, session_factory, circle):
    for index in range(store.ANONYMOUS_PER_DAY):
        slack.command("/klaagpaal", f"anoniem punt {index}", user=FILER)
    slack.command("/klaagpaal", "", user=FILER)
    view = standin.calls_to("views.open")[-1].body["view"]

    answer = slack.submit(view, {"text": "Nog een", "anonymous": ["anoniem"]}, user=FILER)

    assert answer.json["response_action"] == "errors"
    assert len(items(session_factory)) == store.ANONYMOUS_PER_DAY


def test_the_keyed_hash_differs_per_item_and_needs_the_key(session_factory) -> None:
    with session_factory.begin() as session:
        circle = circles.start(
            session, team_id="T1", channel_id="C1", name="Kring", user_id="U1", locale="nl", timezone="Europe/Amsterdam"
        )
        first = store.file(session, circle=circle, text="een", author_id=FILER, anonymous=True, filer_key=b"k" * 32)
        second = store.file(session, circle=circle, text="twee", author_id=FILER, anonymous=True, filer_key=b"k" * 32)
        assert first.filer_tag != second.filer_tag  # two items of one filer cannot be linked without the key
        assert FILER not in first.filer_tag
        assert [i.number for i in store.mine(session, circle=circle, user_id=FILER, key=b"k" * 32)] == [1, 2]
        assert store.mine(session, circle=circle, user_id=FILER, key=b"x" * 32) == []
        assert store.mine(session, circle=circle, user_id="U2", key=b"k" * 32) == []


def test_without_a_configured_key_the_database_makes_one_once(session_factory) -> None:
    with session_factory.begin() as session:
        made = instance_secret(session)
    with session_factory.begin() as session:
        assert instance_secret(session) == made and len(made) == 32
        assert len(session.scalars(select(InstanceSecret)).all()) == 1


def test_the_configured_key_is_used_instead(settings, session_factory, clock) -> None:
    key = "s" * 40
    configured = load_settings(
        SLACK_BOT_TOKEN="xoxb-test", DATABASE_URL=settings.database_url, KENNISKRING_SECRET_KEY=key
    )
    services = make_services(configured, session_factory, client=make_client(configured), clock=clock)
    with session_factory.begin() as session:
        assert services.filer_key(session) == (key.encode(),)
        assert session.scalars(select(InstanceSecret)).all() == []


def test_after_rotating_the_key_a_filer_still_finds_what_they_filed_before(session_factory) -> None:
    old, new = b"o" * 40, b"n" * 40
    with session_factory.begin() as session:
        circle = circles.start(
            session, team_id="T1", channel_id="C1", name="Kring", user_id="U1", locale="nl", timezone="Europe/Amsterdam"
        )
        store.file(session, circle=circle, text="voor", author_id=FILER, anonymous=True, filer_key=(old,))
        after = store.file(session, circle=circle, text="na", author_id=FILER, anonymous=True, filer_key=(new, old))
        assert after.filer_tag == store.filer_tag(new, circle_id=circle.id, number=2, user_id=FILER)  # the new key
        assert [i.number for i in store.mine(session, circle=circle, user_id=FILER, key=(new, old))] == [1, 2]
        assert [i.number for i in store.mine(session, circle=circle, user_id=FILER, key=(new,))] == [2]
        assert store.withdraw(session, circle=circle, number=1, user_id=FILER, key=(new, old)).number == 1


def test_the_earlier_keys_follow_the_current_one(settings, session_factory, clock) -> None:
    configured = load_settings(
        SLACK_BOT_TOKEN="xoxb-test",
        DATABASE_URL=settings.database_url,
        KENNISKRING_SECRET_KEY="n" * 40,
        KENNISKRING_SECRET_KEY_OLD="o" * 40 + ", " + "p" * 40,
    )
    services = make_services(configured, session_factory, client=make_client(configured), clock=clock)
    with session_factory.begin() as session:
        assert services.filer_key(session) == (b"n" * 40, b"o" * 40, b"p" * 40)
