"""Answers kept for giving again: a page of the agenda or of a list, made once and given to everyone who asks for the
same page while the circle has not changed.

An answer is kept under its circle's revision (store.revisions), which goes up in the same transaction as any change
to what the circle shows, in whichever process made it; together with everything else the answer depends on (the
page, the filters, the language, the day), so a kept answer is only ever given while it is still true. The most
recently used answers are kept, a bounded number, per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

KEPT = 256  # answers of 2-15 KB as JSON (some 10-60 KB held in memory): 15 MB at most


class Answers:
    """Answers by key, the least recently used forgotten first. `checking` (the test suite sets it) makes every
    answer afresh as well and fails loudly when a kept one differs: a change that forgot the revision is found."""

    checking = False

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.given = 0  # answers given as kept (the tests read it)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The answer kept under `key`, or `make()`'s, then kept. `make` runs outside the lock: two requests for a
        new page may both make it, and nobody waits for anyone else's."""
        if self.size:
            with self._lock:
                kept = self._kept.get(key, _MISSING)
                if kept is not _MISSING:
                    self._kept.move_to_end(key)
                    self.given += 1
            if kept is not _MISSING:
                if self.checking:
                    _check(key, kept, make())
                return kept
        answer = make()
        if self.size:
            with self._lock:
                self._kept[key] = answer
                self._kept.move_to_end(key)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return answer


_MISSING = object()


def _check(key: Hashable, kept: Any, fresh: Any) -> None:
    if kept != fresh:
        raise AssertionError(f"a kept answer is out of date (a change did not raise the circle's revision): {key!r}")
