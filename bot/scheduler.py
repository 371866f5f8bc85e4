"""Scheduled work: everything due at a moment, derived from the database, done once.

`run_due(services, now)` is the single entry point: `kenniskring tick --now …` calls it once, and the APScheduler
clock inside `kenniskring run` calls it every minute. Each job decides from the database what is due and records
what it did, so calling it twice for the same moment, or from two processes, does nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.jobs import JOBS
from bot.services import Services

log = logging.getLogger(__name__)


def run_due(services: Services, now: datetime) -> list[str]:
    """Do all work due at `now`, then deliver what it queued (and anything still waiting from before).

    Returns the names of the jobs that failed, so `tick` can say so in its exit status.
    """
    failed: list[str] = []
    for work in JOBS:
        try:
            work(services, now)
        except Exception:  # one failing job must not stop the others; it is retried on the next tick
            log.exception("Scheduled job %s failed at %s", work.__name__, now.isoformat())
            failed.append(work.__name__)
    services.delivery.flush(now=now)
    return failed


def start(services: Services) -> BackgroundScheduler:
    """The clock for `kenniskring run`: every minute, missed runs coalesced; the work reckons in each circle's zone."""
    scheduler = BackgroundScheduler(timezone=services.settings.zone)
    scheduler.add_job(
        lambda: run_due(services, services.now()),
        CronTrigger(second=0, timezone=services.settings.zone),
        id="due-work",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=300,
    )
    scheduler.start()
    return scheduler
