"""What people wait for: commands and the App Home in circles of several sizes, beside a bare Bolt app.

Latencies are measured over HTTP against server processes (the bot as `run --http` builds it, and the bare app),
the two taking turns request by request (ten clients: round by round), so a busy machine weighs on both alike.
A page asked for again is given as kept (bot.answers) while its circle has not changed; a third server keeps nothing,
so every answer is read and made afresh, as right after a change: its ten-client figures are shown beside.
SQL statements and the App Home's own time are measured in-process on the same database.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import event

from bench import seed
from bench.databases import analyse, fresh
from bench.load import SECRET, Client, Figures, Server, measure
from bench.slack import BenchSlack
from bot.app import create_app, make_client, make_services
from bot.config import load_settings
from bot.standin import ListenerPool, SlackSimulator
from store.db import make_session_factory

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
PROBES = {
    "agenda": ("/agenda", ""),
    "agenda_mine": ("/agenda", "mijn"),
    "klaagpaal": ("/klaagpaal", "lijst"),
    "hulpvraag": ("/hulpvraag", "lijst"),
}


def run(backend: str, sizes: tuple[int, ...], *, samples: int, burst: int, record) -> None:
    """Seed one circle per size, then measure; `record(name, value, unit, baseline=None)` keeps each figure."""
    with fresh(backend, "commands") as (url, engine), BenchSlack() as slack:
        circles = {
            size: seed.big_circle(
                engine, channel=f"C{size}", activities=size, klaagpaal=size, requests=size // 2, now=NOW
            )
            for size in sizes
        }
        analyse(engine)
        environment = {"DATABASE_URL": url, "SLACK_API_URL": slack.url, "SLACK_BOT_TOKEN": "xoxb-bench"}
        with Server(environment, bare=True) as bare, Server(environment) as server:
            clients = (Client(bare.url), Client(server.url))
            with Server(environment, afresh=True) as afresh:
                for size, people in circles.items():
                    _commands(clients, Client(afresh.url), size, people[0], samples, record)
            _home_burst(clients[1], slack, max(sizes), circles[max(sizes)], burst, record)
        _in_process(url, engine, slack, circles, record)


def _paired(clients: tuple[Client, Client], channel: str, user: str, command: str, text: str, samples: int):
    """(bare, bot) figures for one client, then for ten, the two servers taking turns."""
    alone: tuple[Figures, Figures] = (Figures(), Figures())
    crowd: tuple[Figures, Figures] = (Figures(), Figures())
    for client in clients:  # warm each server's caches and connections first
        measure(lambda _, c=client: c.command(command, text, user=user, channel=channel), 5)
    for _ in range(samples):
        for client, figures in zip(clients, alone, strict=True):
            figures.add(measure(lambda _, c=client: c.command(command, text, user=user, channel=channel), 1))
    for _ in range(4):
        for client, figures in zip(clients, crowd, strict=True):
            send = lambda _, c=client: c.command(command, text, user=user, channel=channel)  # noqa: E731
            figures.add(measure(send, samples // 2, clients=10))
    return alone, crowd


def _commands(clients: tuple[Client, Client], afresh: Client, size: int, user: str, samples: int, record) -> None:
    for name, (command, text) in (("/agenda", PROBES["agenda"]), ("/klaagpaal lijst", PROBES["klaagpaal"])):
        (bare, alone), (bare_crowd, crowd) = _paired(clients, f"C{size}", user, command, text, samples)
        _, (bare_again, made) = _paired((clients[0], afresh), f"C{size}", user, command, text, samples)
        record(f"{name} at {size}, 1 client p50", alone.p50, "ms", bare.p50)
        record(f"{name} at {size}, 1 client p99", alone.p99, "ms", bare.p99)
        record(f"{name} at {size}, 10 clients p99", crowd.p99, "ms", bare_crowd.p99)
        record(f"{name} at {size}, 10 clients unanswered", crowd.unanswered, f"of {2 * samples}")
        record(f"{name} at {size}, 10 clients p99, made afresh each time", made.p99, "ms", bare_again.p99)
        record(f"{name} at {size}, 10 clients unanswered, made afresh each time", made.unanswered, f"of {2 * samples}")
        record(f"{name} at {size}, answer size", alone.size / 1024, "KB")
        if size == 10 and name == "/agenda":
            record("bare Bolt app, 1 client p50", bare.p50, "ms")
            record("bare Bolt app, 10 clients p99", bare_crowd.p99, "ms")
    answer = clients[1].command("/hulpvraag", "lijst", user=user, channel=f"C{size}")
    record(f"/hulpvraag lijst at {size}, answer size", (answer[1] if answer else 0) / 1024, "KB")


def _home_burst(client: Client, slack: BenchSlack, size: int, people: list[str], burst: int, record) -> None:
    """`burst` people open the App Home at once (Slack answering in 100 ms), and ten commands come right after."""
    slack.home_views.clear()
    slack.latency = 0.1
    opened = threading.Event()
    start = time.perf_counter()

    def opens() -> None:
        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(lambda user: client.home_opened(user), people[:burst]))
        opened.set()

    threading.Thread(target=opens, daemon=True).start()
    opened.wait(timeout=60)
    crowd = measure(lambda _: client.command("/agenda", "", user=people[0], channel=f"C{size}"), 10, 10)
    while len(slack.home_views) < burst and time.perf_counter() - start < 300:
        time.sleep(0.05)
    record(f"{burst} App Home opens at once: commands right after p99", crowd.p99, "ms")
    record(f"{burst} App Home opens at once: commands right after unanswered", crowd.unanswered, "of 10")
    record(f"{burst} App Home opens at once: all published after", time.perf_counter() - start, "s")
    slack.latency = 0.0


def _in_process(url: str, engine, slack: BenchSlack, circles: dict[int, list[str]], record) -> None:
    """Statements per command, and the App Home's own time, with the app in this process."""
    settings = load_settings(
        SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.url, DATABASE_URL=url
    )
    pool = ListenerPool()
    factory, client = make_session_factory(engine), make_client(settings)
    try:  # the App Home's work after the ack, where the simulator waits for it
        services = make_services(settings, factory, client=client, background=pool)
    except TypeError:  # a bot from before the background pool did it all in the listener
        services = make_services(settings, factory, client=client)
    simulator = SlackSimulator(signing_secret=SECRET, app=create_app(services, listener_executor=pool), pool=pool)
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for size, people in circles.items():
            for command, text in PROBES.values():
                statements[0] = 0
                simulator.command(command, text, user=people[0], channel=f"C{size}")
                record(f"statements: {command} {text} at {size}".replace("  ", " "), statements[0], "")
            times = []
            for _ in range(5):
                statements[0] = 0
                start = time.perf_counter()
                simulator.event({"type": "app_home_opened", "user": people[0], "channel": "D1", "tab": "home"})
                times.append(time.perf_counter() - start)
            record(f"statements: App Home at {size}", statements[0], "")
            record(f"App Home at {size}, in-process p50", statistics.median(times), "ms")
    finally:
        event.remove(engine, "before_cursor_execute", count)
        pool.shutdown(wait=True)
