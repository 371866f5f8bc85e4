"""`bench/run`: how long people wait, what the scheduler costs over a region, how deliveries keep Slack's limits.

Every figure is printed as it is measured, with its ratio to the baseline, and all of them are written to
bench/results.md (and --json) with the machine and the date. `--quick` runs the same scripts small, in a few
minutes; the test suite runs it only to check that they still work. Timings are never asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import commands, deliveries, processes, ticks
from bench.databases import fresh, postgres_available, server_version
from bench.report import HERE, Results, markdown


@dataclass(frozen=True)
class Size:
    circles: tuple[int, ...]  # activities per circle for the commands (klaagpaal items the same, help requests half)
    samples: int  # requests per latency figure (twice as many for ten clients)
    burst: int  # App Home opens at once
    region: tuple[int, int]  # circles, activities each, for the tick
    repeats: int  # ticks per quiet figure
    messages: tuple[int, int]  # direct messages, people
    processes: tuple[int, int]  # activities (and klaagpaal items) in the circle, requests per round of ten clients


FULL = Size(
    circles=(10, 1000, 3000),
    samples=100,
    burst=200,
    region=(1000, 100),
    repeats=3,
    messages=(5000, 1000),
    processes=(1000, 100),
)
QUICK = Size(circles=(10, 60), samples=10, burst=20, region=(20, 20), repeats=1, messages=(200, 40), processes=(60, 20))
PARTS = ("commands", "tick", "deliveries", "processes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes: checks the scripts work")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--output", type=Path, default=HERE / "results.md", help="where the Markdown goes")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    arguments = parser.parse_args(argv)
    size = QUICK if arguments.quick else FULL
    results = Results(quick=arguments.quick)
    backends = [name for name in arguments.backends.split(",") if name]
    if "postgresql" in backends and not postgres_available():
        print("PostgreSQL is not reachable (TEST_POSTGRES_URL): measuring SQLite only", file=sys.stderr)
        backends.remove("postgresql")
    parts = set(arguments.only.split(","))
    started = time.perf_counter()
    for backend in backends:
        with fresh(backend, "version") as (_, engine):
            results.versions[backend] = server_version(engine)
        print(f"{backend} ({results.versions[backend]})", flush=True)
        record = results.recorder(backend)
        if "commands" in parts:
            commands.run(backend, size.circles, samples=size.samples, burst=size.burst, record=record)
            save(results, arguments)
        if "tick" in parts:
            ticks.run(backend, circles=size.region[0], activities=size.region[1], repeats=size.repeats, record=record)
            save(results, arguments)
        if "deliveries" in parts:
            deliveries.run(backend, messages=size.messages[0], people=size.messages[1], record=record)
            save(results, arguments)
        if "processes" in parts and backend == "postgresql":  # web processes sharing a port: PostgreSQL only
            processes.run(backend, size=size.processes[0], samples=size.processes[1], record=record)
            save(results, arguments)
    print(f"written to {arguments.output} in {time.perf_counter() - started:.0f} s")
    return 0


def save(results: Results, arguments: argparse.Namespace) -> None:
    """Written after every part, so a run cut short keeps what it measured."""
    arguments.output.write_text(markdown(results))
    if arguments.json:
        arguments.json.write_text(json.dumps(results.as_json(), indent=1))


if __name__ == "__main__":
    sys.exit(main())
