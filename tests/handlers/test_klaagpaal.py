"""Filing (also many people at once), listing, marking and closing klaagpaal items, driven through signed requests."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from store.models import AuditEvent, HerkenbaarMark, KlaagpaalItem, Outbox
from tests.helpers import dump, posts


def test_filing_confirms_posts_and_stores(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/klaagpaal", "Aanbestedingen vragen steeds 5 referenties", user="U2")

    assert answer.status == 200
    assert "K-1" in answer.text
    [post] = posts(standin)
    assert "K-1" in post.body["text"]
    assert "Aanbestedingen vragen steeds 5 referenties" in dump(post.body["blocks"])
    assert "<@U2>" in dump(post.body["blocks"])
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert (item.number, item.author_id, item.status) == (1, "U2", "open")
        assert session.scalars(select(Outbox.status)).all() == ["sent", "sent"]


def test_numbers_count_up_per_circle(slack, standin, session_factory, circle) -> None:
    slack.command("/kenniskring", "start Tweede kring", user="U9", channel="C2")
    first = slack.command("/klaagpaal", "een", channel="C1")
    other = slack.command("/klaagpaal", "ander kanaal", channel="C2")
    second = slack.command("/klaagpaal", "twee", channel="C1")
    assert ("K-1" in first.text, "K-1" in other.text, "K-2" in second.text) == (True, True, True)


def test_anonymous_item_leaves_no_trace_of_its_author(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/klaagpaal", "anoniem De nieuwe regel over grondverzet werkt niet", user="U7")
    listing = slack.command("/klaagpaal", "lijst", user="U3")

    assert "K-1" in answer.text and "anoniem" in answer.text
    everything_sent = dump([call.body for call in standin.calls])
    assert "U7" not in everything_sent
    assert "U7" not in listing.body
    assert "grondverzet" in listing.body
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert item.author_id is None and item.text.startswith("De nieuwe regel")
        audit = session.scalars(select(AuditEvent).where(AuditEvent.subject == "K-1")).one()
        assert audit.actor_id is None
        rows = dump([row.payload for row in session.scalars(select(Outbox))])
        assert "U7" not in rows
        assert "U7" not in dump([a.details for a in session.scalars(select(AuditEvent))])


def test_herkenbaar_counts_once_per_person_and_updates_the_post(slack, standin, session_factory, circle) -> None:
    slack.command("/klaagpaal", "Te veel formulieren", user="U2")
    [post] = posts(standin)
    item_id = post.body["blocks"][-1]["elements"][0]["value"]
    ts = standin.workspace.messages["C1"][-1]["ts"]

    slack.press("klaagpaal_herkenbaar", item_id, user="U3", message_ts=ts)
    slack.press("klaagpaal_herkenbaar", item_id, user="U3", message_ts=ts)
    slack.press("klaagpaal_herkenbaar", item_id, user="U4", message_ts=ts)

    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark.user_id).order_by(HerkenbaarMark.id)).all() == ["U3", "U4"]
    updates = standin.calls_to("chat.update")
    assert len(updates) == 2
    assert "2× herkenbaar" in dump(updates[-1].body["blocks"])
    assert updates[-1].body["ts"] == ts
    ephemerals = [call.body["text"] for call in standin.calls_to("chat.postEphemeral")]
    assert ephemerals[1].startswith("Je had K-1 al")


def test_modal_files_with_category_and_anonymity(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/klaagpaal", "", user="U5")
    assert answer.status == 200
    [opened] = standin.calls_to("views.open")
    view = opened.body["view"]
    assert view["callback_id"] == "klaagpaal_file"

    submitted = slack.submit(
        view, {"text": "Regels voor hergebruik asfalt", "category": "regelgeving", "anonymous": ["anoniem"]}, user="U5"
    )

    assert submitted.status == 200 and submitted.json["response_action"] == "update"
    assert "K-1" in dump(submitted.json["view"])  # confirmed in the form: no message names the filer
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert (item.category, item.author_id) == ("regelgeving", None)
    assert standin.calls_to("chat.postEphemeral") == []
    assert "Regelgeving" in dump(posts(standin)[0].body["blocks"])


def test_modal_with_empty_text_answers_with_a_field_error(slack, standin, session_factory, circle) -> None:
    slack.command("/klaagpaal", "")
    view = standin.calls_to("views.open")[0].body["view"]

    answer = slack.submit(view, {"text": "   "})

    assert answer.json["response_action"] == "errors"
    assert "text" in answer.json["errors"]
    with session_factory() as session:
        assert session.scalars(select(KlaagpaalItem)).all() == []


def test_only_the_author_or_a_coordinator_may_close(slack, standin, session_factory, circle) -> None:
    slack.command("/klaagpaal", "Betalingstermijnen te lang", user="U2")
    item_id = posts(standin)[0].body["blocks"][-1]["elements"][1]["value"]

    refused = slack.press("klaagpaal_resolve", item_id, user="U3")
    assert refused.status == 200  # acknowledged, though the listener refused after acknowledging
    assert standin.calls_to("views.open") == []
    assert "Alleen wie K-1" in standin.calls_to("response_url")[-1].body["text"]

    slack.press("klaagpaal_resolve", item_id, user="U1")  # U1 started the circle: coordinator
    view = standin.calls_to("views.open")[0].body["view"]
    answer = slack.submit(view, {"outcome": "Besproken met inkoop; termijn naar 30 dagen"}, user="U1")

    assert answer.status == 200
    with session_factory() as session:
        item = session.scalars(select(KlaagpaalItem)).one()
        assert (item.status, item.closed_by) == ("opgelost", "U1")
    listing = slack.command("/klaagpaal", "lijst")
    assert "Er staan geen open punten" in listing.body
    assert "termijn naar 30 dagen" in dump(standin.calls_to("chat.update")[-1].body["blocks"])


def test_concurrent_filing_through_the_server_numbers_uniquely(slack, session_factory, circle) -> None:
    def file(index: int) -> str:
        return slack.command("/klaagpaal", f"punt {index}", user=f"U{index % 5 + 2}").text

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(file, range(36)))

    numbers = sorted(int(re.search(r"K-(\d+)", answer).group(1)) for answer in answers)
    assert numbers == list(range(1, 37))
    with session_factory() as session:
        stored = session.scalars(select(KlaagpaalItem.number).order_by(KlaagpaalItem.number)).all()
    assert stored == list(range(1, 37))


def test_the_filer_cannot_mark_their_own_item_herkenbaar(slack, standin, session_factory, circle) -> None:
    slack.command("/klaagpaal", "Te veel formulieren", user="U2")
    item_id = posts(standin)[0].body["blocks"][-1]["elements"][0]["value"]

    answer = slack.press("klaagpaal_herkenbaar", item_id, user="U2")

    assert answer.status == 200
    assert "K-1 is je eigen punt" in standin.calls_to("response_url")[-1].body["text"]
    assert standin.calls_to("chat.update") == []
    with session_factory() as session:
        assert session.scalars(select(HerkenbaarMark)).all() == []
