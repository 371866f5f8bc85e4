"""A page of the agenda is read in one statement: its runs of each theme, each activity's circle theme and its latest
progress update, however many activities and updates the circle holds."""

from __future__ import annotations

from store import activities
from store.models import Circle
from tests.helpers import NOW, counting, new_activity, start_circle


def fill(session_factory, circle_id: int, count: int) -> None:
    with session_factory.begin() as session:
        circle = session.get(Circle, circle_id)
        for number in range(count):
            activity = new_activity(session, circle_id, theme="klimaat" if number % 2 else "leren")
            for step in range(number % 3):
                activities.record_progress(
                    session, circle=circle, activity=activity, user_id="U2", happened=f"stap {step + 1}", now=NOW
                )


def read_page(session_factory, engine, circle_id: int):
    spans = [("klimaat", 1, 3), ("leren", 0, 2)]
    with session_factory() as session:
        circle = session.get(Circle, circle_id)
        with counting(engine) as statements:
            found, latest = activities.page(session, circle=circle, spans=spans)
            shown = [
                (a.number, a.theme, a.theme_entry and a.theme_entry.key, latest.get(a.id) and latest[a.id].happened)
                for a in found
            ]
    return shown, len(statements)


def test_a_page_is_read_in_one_statement_with_each_ones_latest_progress(session_factory, engine) -> None:
    circle_id = start_circle(session_factory)
    fill(session_factory, circle_id, 12)

    shown, statements = read_page(session_factory, engine, circle_id)

    assert statements == 1
    assert [(number, theme, said) for number, theme, _, said in shown] == [
        (4, "klimaat", None), (6, "klimaat", "stap 2"), (8, "klimaat", "stap 1"),
        (1, "leren", None), (3, "leren", "stap 2"),
    ]  # fmt: skip
    assert all(key == theme for _, theme, key, _ in shown)  # the circle's own themes came with them

    fill(session_factory, circle_id, 300)
    assert read_page(session_factory, engine, circle_id)[1] == 1
