"""Scheduled work: everything due at a moment, derived from the database, done once.

`run_due(services, now)` is the single entry point: `kenniskring tick --now …` calls it once, and the APScheduler
clock inside `kenniskring run` calls it every minute. Each job decides from the database what is due and records
what it did, so calling it twice for the same moment, or from two processes, does nothing twice.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import metrics
from bot.jobs import JOBS
from bot.services import Services

log = logging.getLogger(__name__)


def run_due(services: Services, now: datetime, *, drain_for: float = 0.0) -> list[str]:
    """Do all work due at `now`, then deliver what it queued (and anything still waiting from before).

    Messages that must wait their turn under Slack's rate limits are left for later (the running bot flushes again
    when their turn comes); `drain_for` seconds, the tick from cron goes on sending them itself until then.

    Returns the names of the jobs that failed, so `tick` can say so in its exit status.
    """
    failed: list[str] = []
    for work in JOBS:
        try:
            work(services, now)
        except Exception:  # one failing job must not stop the others; it is retried on the next tick
            log.exception("Scheduled job %s failed at %s", work.__name__, now.isoformat())
            failed.append(work.__name__)
    report = services.delivery.flush(now=now)
    started = time.monotonic()
    while report.again is not None and time.monotonic() - started + report.again <= drain_for:
        time.sleep(report.again)
        report = services.delivery.flush(now=now + timedelta(seconds=time.monotonic() - started))
    return failed


def _minute(services: Services) -> None:
    due = services.now().replace(second=0, microsecond=0)
    run_due(services, services.now())
    metrics.scheduler_lag(due, services.now())
    services.deliver()  # in the background: what waits for its turn at Slack goes when it comes, not a minute later


def start(services: Services) -> BackgroundScheduler:
    """The clock for `kenniskring run`: every minute, missed runs coalesced; the work reckons in each circle's zone."""
    scheduler = BackgroundScheduler(timezone=services.settings.zone)
    scheduler.add_job(
        _minute,
        CronTrigger(second=0, timezone=services.settings.zone),
        args=(services,),
        id="due-work",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=300,
    )
    scheduler.start()
    return scheduler
