"""`kenniskring run --http --workers N`: N web processes answering on one port.

The parent opens the listening socket, brings the schema up to date once, and forks the workers; each worker
builds its own database engine and app (nothing with threads or connections crosses the fork) and serves the
inherited socket with waitress, so the kernel hands each new connection to one of them. A worker that dies is
started again (a second after the last start at the soonest, so a worker failing at once does not spin).

Only worker 0 runs the scheduler clock. Scheduled work is safe in every process anyway (each job records what it
did in the database, and flushes take a lock), so a restart of worker 0 never loses or doubles a tick's work.

With more than one worker the Prometheus counters live in files under PROMETHEUS_MULTIPROC_DIR (a fresh temporary
directory unless it is set) and every worker's /metrics sums all of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

RESTART_PAUSE = 1.0  # seconds between two starts of the same worker


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def prepare_metrics_dir() -> str | None:
    """Before prometheus_client is imported: the directory the workers share their counters in. Returns the
    directory made here (to remove on exit), None when the operator set one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):  # counters of an earlier run would be summed with this run's
            if name.endswith(".db"):
                os.unlink(os.path.join(path, name))
        return None
    made = tempfile.mkdtemp(prefix="kenniskring-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = made
    return made


def serve(workers: int, worker: Callable[[int], None]) -> int:
    """Fork `workers` processes running `worker(index)` and keep them running until SIGTERM or SIGINT."""
    children: dict[int, int] = {}  # pid → index
    started: dict[int, float] = {}  # index → when last started
    stopping = False

    def spawn(index: int) -> None:
        pause = started.get(index, 0.0) + RESTART_PAUSE - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        started[index] = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                worker(index)
            except BaseException:
                log.exception("Worker %s stopped", index)
                code = 1
            finally:
                logging.shutdown()
                os._exit(code)
        children[pid] = index

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for index in range(workers):
        spawn(index)
    log.info("Started %s web workers", workers)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        index = children.pop(pid, None)
        if index is None:
            continue
        _forget_metrics_of(pid)
        if not stopping:
            log.warning("Worker %s (pid %s) ended (status %s); starting it again", index, pid, status)
            spawn(index)
    return 0


def _forget_metrics_of(pid: int) -> None:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)


def remove_metrics_dir(path: str | None) -> None:
    if path:
        shutil.rmtree(path, ignore_errors=True)
