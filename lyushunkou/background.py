"""What every background job (report renderings, import and export jobs) does to survive a broker
or a worker going away.

- ``send_on_commit``: queue the task after the transaction commits, and if the broker cannot take
  it (Redis down, a publish error), call the job's own failure service instead of letting the
  error escape into the request (an HTTP 500 that left the job queued forever).
- ``Heartbeat``: while a worker runs a job, a small thread stamps the job's ``heartbeat_at``
  every ``HEARTBEAT_SECONDS``. A process killed mid-job (the hard time limit, the OOM killer, a
  lost host) stops beating; the 5-minute sweeps (``scoring.reports.recovery.requeue_stale``,
  ``lyushunkou.import_jobs.sweep_stale_jobs``, ``lyushunkou.export_sweep.sweep_export_jobs``) find
  rows silent for longer than ``settings.JOB_HEARTBEAT_TIMEOUT``, queue them again once and fail
  them the second time.
- ``claim_job``, ``beat_job``, ``stale_jobs``, ``unchanged`` and ``requeue_job``: the
  conditional updates and the sweep's query of a ``lyushunkou.models_jobs.BackgroundJob`` (an
  import, an export or a report), written once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from lyushunkou.claims import claimed
from lyushunkou.models_jobs import BackgroundJob, JobState

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# What publishing a task raises when the broker cannot take it: Celery turns connection errors
# into kombu's OperationalError; the others cover a socket or Redis error passed through as is.
# Not any Exception: with CELERY_TASK_ALWAYS_EAGER (tests, debugging) ``delay()`` runs the task
# inline, and the task's own errors are its own business.
BROKER_ERRORS: tuple[type[Exception], ...] = (KombuError, RedisError, OSError)
# A queued job's message may be lost with a broker that restarted without persistence; one not
# claimed for this long is sent again (harmless: only one worker can claim it).
QUEUED_TOO_LONG = dt.timedelta(minutes=10)
# A dead job is queued again this many times; the next time it is failed.
MAX_REQUEUES = 1


def heartbeat_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT)


JobT = TypeVar("JobT", bound=BackgroundJob)


def claim_job(model: type[BackgroundJob], pk: int, **changes: Any) -> dt.datetime | None:
    """Queued → running for one worker only (with ``changes``, what this kind of job notes when
    it starts); the claim's start time, which its heartbeats and its end match on (a sweep that
    took the job away changes it), or None."""
    now = timezone.now()
    won = claimed(
        model._default_manager.filter(pk=pk, state=JobState.QUEUED),
        state=JobState.RUNNING,
        started_at=now,
        heartbeat_at=now,
        **changes,
    )
    return now if won else None


def beat_job(model: type[BackgroundJob], pk: int, started: dt.datetime) -> int:
    """One heartbeat of the claim started at ``started``; 0 when the job is no longer that claim."""
    return model._default_manager.filter(pk=pk, state=JobState.RUNNING, started_at=started).update(
        heartbeat_at=timezone.now()
    )


def stale_jobs(
    queryset: QuerySet[JobT], *, now: dt.datetime, running_dead_after: dt.timedelta
) -> QuerySet[JobT]:
    """The jobs no worker will finish: running and silent for ``running_dead_after``, or queued
    and not claimed for ``QUEUED_TOO_LONG``."""
    stale: QuerySet[JobT] = (
        queryset.alias(last_seen=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(
            Q(state=JobState.RUNNING, last_seen__lt=now - running_dead_after)
            | Q(state=JobState.QUEUED, last_seen__lt=now - QUEUED_TOO_LONG)
        )
        .order_by("pk")
    )
    return stale


def unchanged(job: BackgroundJob) -> Q:
    """The row as a sweep read it: a claim, a beat or the end since then means it lives."""
    return Q(pk=job.pk, state=job.state, version=job.version, heartbeat_at=job.heartbeat_at)


def requeue_job(job: BackgroundJob, now: dt.datetime, **changes: Any) -> bool:
    """A sweep's "once more": the job as the sweep read it (``unchanged``) back to queued, its
    claim cleared and one requeue counted (with ``changes``, what this kind of job resets);
    False when it lived meanwhile (a beat, a claim or its end)."""
    return claimed(
        type(job)._default_manager.filter(unchanged(job)),
        state=JobState.QUEUED,
        started_at=None,
        heartbeat_at=now,
        requeue_count=F("requeue_count") + 1,
        **changes,
    )


def send_on_commit(
    send: Callable[[], object], *, on_failure: Callable[[BaseException], None], what: str
) -> None:
    """``send()`` (e.g. ``task.delay(pk)``) once the transaction commits. An error publishing
    (``BROKER_ERRORS``: kombu's OperationalError, redis' ConnectionError, a timeout) is logged
    and handed to ``on_failure``, which records it on the job; nothing reaches the request."""

    def publish() -> None:
        try:
            send()
        except BROKER_ERRORS as error:
            log.exception("The broker did not take %s", what)
            on_failure(error)

    transaction.on_commit(publish)


class Heartbeat:
    """Run ``beat()`` every ``every`` seconds in a thread for the duration of a ``with`` block.

    ``beat`` is a conditional update of the job's row (its own claim only), so a job taken away
    by the sweep is not kept alive by a worker that turns out to be slow rather than dead. The
    thread has its own database connection, closed when the block ends; an error while beating
    is logged, never raised into the job."""

    def __init__(self, beat: Callable[[], object], *, every: float = HEARTBEAT_SECONDS) -> None:
        self.beat = beat
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    close_old_connections()
                    self.beat()
                except Exception:
                    log.exception("Heartbeat failed")
        finally:
            connections.close_all()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 10)
