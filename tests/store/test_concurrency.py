"""Many people filing at once in the store: every item gets its own number, counting up without gaps, in every
circle."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from store import circles, klaagpaal
from store.models import KlaagpaalItem


def test_concurrent_filing_in_the_store_across_circles(session_factory) -> None:
    with session_factory.begin() as session:
        ids = [
            circles.start(
                session,
                team_id="T",
                channel_id=f"C{n}",
                name=f"Kring {n}",
                user_id="U1",
                locale="nl",
                timezone="Europe/Amsterdam",
            ).id
            for n in range(3)
        ]

    def file(index: int) -> None:
        with session_factory.begin() as session:
            circle = session.get(circles.Circle, ids[index % 3])
            klaagpaal.file(session, circle=circle, text=f"punt {index}", author_id="U2", anonymous=False)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(file, range(60)))

    with session_factory() as session:
        for circle_id in ids:
            numbers = session.scalars(
                select(KlaagpaalItem.number).where(KlaagpaalItem.circle_id == circle_id).order_by(KlaagpaalItem.number)
            ).all()
            assert numbers == list(range(1, 21))
