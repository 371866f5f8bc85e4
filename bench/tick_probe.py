"""One `tick` in a process of its own, as cron runs it: prints its time, SQL statements and messages as JSON.

Its peak memory is read here, from the kernel's high-water mark of this program (/proc/self/status VmHWM): the
parent's `ru_maxrss` for a child counts the parent's own size at the fork as well. Start-up (imports, migrations) is
not timed: only `run_due`, the work a tick does.

Run by bench/__main__.py: python -m bench.tick_probe --now 2026-12-01T08:30:00+00:00 (settings from the environment)
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime

from sqlalchemy import event, func, select

from bot import runtime, scheduler
from bot.config import load_settings
from store.models import Outbox


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--now", required=True, type=datetime.fromisoformat)
    arguments = parser.parse_args()
    built = runtime.build(load_settings())
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    with built.engine.connect() as connection:
        connection.execute(select(1))  # the pool's first connection is opened before the clock starts
    event.listen(built.engine, "before_cursor_execute", count)
    start = time.perf_counter()
    scheduler.run_due(built.services, arguments.now)
    seconds = time.perf_counter() - start
    event.remove(built.engine, "before_cursor_execute", count)
    with built.services.session_factory() as session:
        rows = dict(session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
    figures = {"seconds": seconds, "statements": statements[0], "outbox": rows, "rss_mb": peak_memory_mb()}
    print(json.dumps(figures), flush=True)


def peak_memory_mb() -> float:
    """The most memory this program has held since it started (Linux; elsewhere getrusage, which may count more)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
