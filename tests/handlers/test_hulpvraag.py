"""Help requests: filing, offering help (the requester hears by DM), listing, closing."""

from __future__ import annotations

from sqlalchemy import select

from store.models import HelpOffer, HelpRequest
from tests.helpers import dump, posts


def test_filing_posts_with_an_ik_help_button(slack, standin, session_factory, circle) -> None:
    answer = slack.command("/hulpvraag", "Wie heeft ervaring met CO2-prestatieladder niveau 5?", user="U2")

    assert "H-1" in answer.text
    [post] = posts(standin)
    buttons = post.body["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["hulpvraag_help", "hulpvraag_resolve"]
    assert "CO2-prestatieladder" in dump(post.body["blocks"])
    with session_factory() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert (request.number, request.requester_id, request.status) == (1, "U2", "open")


def test_offering_help_records_the_helper_and_tells_the_requester(slack, standin, session_factory, circle) -> None:
    slack.command("/hulpvraag", "Capaciteit nodig voor schouw", user="U2")
    request_id = posts(standin)[0].body["blocks"][-1]["elements"][0]["value"]

    slack.press("hulpvraag_help", request_id, user="U3")
    slack.press("hulpvraag_help", request_id, user="U3")
    slack.press("hulpvraag_help", request_id, user="U2")  # one's own request

    with session_factory() as session:
        assert session.scalars(select(HelpOffer.user_id)).all() == ["U3"]
    dms = [call for call in standin.calls_to("chat.postMessage") if call.body["channel"].startswith("D")]
    assert len(dms) == 1
    assert "<@U3>" in dms[0].body["text"] and "H-1" in dms[0].body["text"]
    assert [call.body["users"] for call in standin.calls_to("conversations.open")] == ["U2"]
    assert "<@U3>" in dump(standin.calls_to("chat.update")[-1].body["blocks"])
    answers = [call.body["text"] for call in standin.calls_to("chat.postEphemeral")]
    assert answers[1].startswith("Je had al aangeboden")
    assert "eigen hulpvraag" in standin.calls_to("response_url")[-1].body["text"]


def test_modal_with_expertise_and_date(slack, standin, session_factory, clock, circle) -> None:
    slack.command("/hulpvraag", "", user="U2")
    view = standin.calls_to("views.open")[0].body["view"]

    past = slack.submit(view, {"text": "Hulp bij uitvraag", "wanted_by": "2026-11-01"}, user="U2")
    assert past.json["response_action"] == "errors" and "wanted_by" in past.json["errors"]

    answer = slack.submit(
        view, {"text": "Hulp bij uitvraag", "expertise": "inkoopjurist", "wanted_by": "2026-12-10"}, user="U2"
    )
    assert answer.status == 200 and answer.body == ""
    with session_factory() as session:
        request = session.scalars(select(HelpRequest)).one()
        assert (request.expertise, request.wanted_by.isoformat()) == ("inkoopjurist", "2026-12-10")
    assert "donderdag 10 december 2026" in dump(posts(standin)[0].body["blocks"])


def test_listing_and_closing(slack, standin, session_factory, circle) -> None:
    slack.command("/hulpvraag", "Eerste vraag", user="U2")
    slack.command("/hulpvraag", "Tweede vraag", user="U3")
    request_id = posts(standin)[0].body["blocks"][-1]["elements"][1]["value"]

    slack.press("hulpvraag_resolve", request_id, user="U2")
    view = standin.calls_to("views.open")[0].body["view"]
    slack.submit(view, {"outcome": "Opgelost met hulp van gemeente Oost"}, user="U2")

    listing = slack.command("/hulpvraag", "lijst")
    assert "H-2" in listing.body and "H-1" not in listing.body
    with session_factory() as session:
        assert session.scalars(select(HelpRequest.status).order_by(HelpRequest.number)).all() == ["opgelost", "open"]
