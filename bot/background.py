"""Work after the acknowledgement that may be slow or come in bursts (publishing App Homes, exports, charts, sending
the outbox) runs in a bounded pool of its own: it never takes the threads that answer Slack, so a burst of it waits
its turn instead of making commands miss Slack's three seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

log = logging.getLogger(__name__)

WORKERS = 4


class Background:
    """Runs work soon, at most WORKERS at a time; work with a `key` runs once however often it is asked for while
    an earlier request waits to start (a hundred opens of one App Home publish it once, as it is then)."""

    def __init__(self, executor: Executor | None = None) -> None:
        self.executor = executor or ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="after-ack")
        self._waiting: set[str] = set()
        self._guard = threading.Lock()

    def submit(
        self,
        work: Callable[[], object],
        *,
        key: str | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        if key is not None:
            with self._guard:
                if key in self._waiting:
                    return
                self._waiting.add(key)
        self.executor.submit(self._run, work, key, on_error)

    def _run(self, work: Callable[[], object], key: str | None, on_error: Callable[[Exception], None] | None) -> None:
        if key is not None:
            with self._guard:
                self._waiting.discard(key)  # asked for again from now on: run again, to show what changed since
        try:
            work()
        except Exception as error:
            if on_error is None:
                log.exception("Work after the acknowledgement failed")
            else:
                on_error(error)
