"""How much work one filing costs, compared with one bare Web API call measured in the same run.

Run: .venv/bin/python bench/bench_filing.py [--n 200] [--database-url URL]
Prints per-operation medians and ratios; machines here are shared and noisy, so read the ratios.
Targets: a /klaagpaal filing (verify, store, ack, post through the outbox) within 15x one bare
chat.postMessage; a flush of 500 queued posts within 4x 500 bare calls (each message costs two commits, the
claim and the record, which is what makes a crash between them harmless; against Slack's real round trip of
~100 ms that is ~1.1x); listing 2000 open items under 20 MB peak.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient

from bot import delivery
from bot.app import create_app, make_client, make_services
from bot.blocks import klaagpaal as blocks
from bot.blocks.common import LIST_PAGE, Paging
from bot.config import load_settings
from bot.standin import ListenerPool, SlackSimulator, SlackStandIn
from store import circles, klaagpaal
from store.db import make_engine, make_session_factory, migrate


def timed(function, n: int) -> list[float]:
    samples = []
    for index in range(n):
        start = time.perf_counter()
        function(index)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = arguments.database_url or f"sqlite:///{folder}/bench.db"
    with SlackStandIn() as standin:
        settings = load_settings(
            SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="s", SLACK_API_URL=standin.url, DATABASE_URL=url
        )
        engine = make_engine(url)
        migrate(engine)
        pool = ListenerPool()
        services = make_services(settings, make_session_factory(engine), client=make_client(settings), background=pool)
        app = create_app(services, listener_executor=pool)
        slack = SlackSimulator(signing_secret="s", app=app, pool=pool)
        slack.command("/kenniskring", "start Bench")
        bare = WebClient(token="xoxb-bench", base_url=standin.url)

        baseline = timed(lambda i: bare.chat_postMessage(channel="C9", text=f"bare {i}"), arguments.n)
        filing = timed(lambda i: slack.command("/klaagpaal", f"punt {i}", user=f"U{i % 7}"), arguments.n)

        with services.transaction() as session:
            for i in range(500):
                delivery.enqueue(session, key=f"bench:{i}", channel="C8", payload={"text": f"q {i}"})
        start = time.perf_counter()
        services.delivery.flush()
        flush = time.perf_counter() - start
        bare500 = sum(timed(lambda i: bare.chat_postMessage(channel="C7", text="x"), 500))

        with services.transaction() as session:
            circle = circles.find(session, team_id="T0001", channel_id="C1")
            for _ in range(2000 - arguments.n):
                klaagpaal.file(session, circle=circle, text="lang punt " * 20, author_id="U1", anonymous=False)
        tracemalloc.start()
        with services.transaction() as session:
            circle = circles.find(session, team_id="T0001", channel_id="C1")
            paging = Paging.of("klaagpaal", circle.id, total=klaagpaal.count_open(session, circle=circle), wanted=1)
            blocks.listing(klaagpaal.open_page(session, circle=circle, offset=0, limit=LIST_PAGE), paging, "nl")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()

    base, file_ = statistics.median(baseline), statistics.median(filing)
    print(f"backend: {engine.dialect.name}, n={arguments.n}")
    print(f"bare chat.postMessage     median {base * 1000:7.2f} ms")
    print(f"/klaagpaal filing         median {file_ * 1000:7.2f} ms   ratio {file_ / base:5.1f}x  (target <= 15x)")
    print(
        f"flush 500 queued posts    {flush:7.2f} s     ratio {flush / bare500:5.2f}x vs 500 bare calls (target <= 4x)"
    )
    print(f"listing 2000 open items   peak {peak:6.1f} MB (target <= 20 MB)")


if __name__ == "__main__":
    main()
