"""`/agenda lessen` and `/agenda zoek`: what the circle learned and wrote down, newest first, paged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from store.models import Activity, ProgressUpdate
from tests.helpers import dump


def test_lessons_newest_first_with_who_a_theme_filter_and_search(slack, clock, session_factory, circle) -> None:
    slack.command("/agenda", "nieuw Pilot asfalt thema:klimaat", user="U2")
    slack.command("/agenda", "nieuw Stageplekken thema:arbeidsmarkt", user="U3")
    assert "Nog geen lessen" in slack.command("/agenda", "lessen").text
    with session_factory.begin() as session:
        first, second = session.scalars(select(Activity).order_by(Activity.number)).all()
        session.add(ProgressUpdate(activity_id=first.id, author_id="U2", learned="Beheerder vroeg erbij halen",
                                   created_at=clock.now - timedelta(days=3)))  # fmt: skip
        session.add(ProgressUpdate(activity_id=second.id, author_id="U3", learned="Scholen willen vaste contactpersoon",
                                   happened="Drie scholen gesproken", created_at=clock.now))  # fmt: skip
    slack.command("/actie", "Contactpersoon aanwijzen voor scholen", user="U1")

    all_lessons = dump(slack.command("/agenda", "lessen").json)
    climate = dump(slack.command("/agenda", "lessen klimaat").json)
    found = dump(slack.command("/agenda", "zoek scholen").json)
    both = dump(slack.command("/agenda", "zoek SCHOLEN contactpersoon").json)

    assert "2 lessen" in all_lessons
    assert all_lessons.index("Scholen willen") < all_lessons.index("Beheerder vroeg")  # newest first
    assert "<@U3>: Scholen willen vaste contactpersoon" in all_lessons
    assert "Beheerder" in climate and "Scholen" not in climate and "thema Klimaat" in climate
    assert "3 resultaten" in found and "actie *P-1*" in found and "voortgang *A-2 Stageplekken*" in found
    assert "2 resultaten" in both
    assert "Niets gevonden" in slack.command("/agenda", "zoek beton").text
    assert "Waar zoek je naar" in slack.command("/agenda", "zoek").text


def test_many_results_are_paged(slack, standin, clock, session_factory, circle) -> None:
    for number in range(1, 46):
        slack.command("/actie", f"Asfaltactie nummer {number}", user="U1")

    first = slack.command("/agenda", "zoek asfaltactie").json
    buttons = [e for b in first["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "pagina 1 van 3" in dump(first) and [b["action_id"] for b in buttons] == ["agenda_cycle_page"]
    slack.press("agenda_cycle_page", buttons[0]["value"], user="U1")
    [second] = [c for c in standin.calls_to("response_url")]
    assert "pagina 2 van 3" in dump(second.body) and second.body["replace_original"] in (True, "true")
