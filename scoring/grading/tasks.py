"""The scoring jobs (thin: call the engine or the grading run). Scheduled in
settings.CELERY_BEAT_SCHEDULE.

A scoring run fans out over the Celery workers when there are workers to share it with — a Redis
broker (``REDIS_URL``) and tasks not run eagerly: one ``score_chunk`` task per chunk of units
(``scoring.grading.chunks``) in a chord whose body, ``finish_scoring``, rebuilds the grade summary
and returns the run's summary. Otherwise (the embedded file-system broker of a single machine,
``CELERY_TASK_ALWAYS_EAGER``) it runs inline, chunk after chunk. Each chunk task is idempotent
(it replaces its units' rows), so a chunk retried after a lost worker or a database error gives
the same scores.
"""

from __future__ import annotations

from typing import Any

from celery import Signature, chord, current_app, group, shared_task
from celery.result import AsyncResult
from django.conf import settings
from django.db import DatabaseError

from scoring import periods
from scoring.grading import engine
from scoring.grading.chunks import Chunk, plan_chunks
from scoring.grading.run import Run, finish_run, score_chunk, start_run
from scoring.targets import refreshing as targets_refresh

__all__ = [
    "finish_scoring",
    "score_chunk_task",
    "score_current_month",
    "score_in_workers",
    "scoring_chord",
    "workers_share_scoring",
]


def workers_share_scoring() -> bool:
    """True when chunks sent to the broker reach worker processes that can share them: a Redis
    broker, tasks not run eagerly."""
    return bool(settings.REDIS_URL) and not current_app.conf.task_always_eager


def scoring_chord(run: Run, *, refresh_targets: bool = False) -> Signature[Any]:
    """The run as one signature: a chord of its chunks whose body, ``finish_scoring``, returns
    the run's summary (the body alone when no unit operates)."""
    body = finish_scoring.s(run.to_json(), refresh_targets=refresh_targets)
    chunks = plan_chunks(run.scope)
    if not chunks:  # a chord needs at least one task in its header
        return body.clone(args=([],))
    return chord(
        group(score_chunk_task.s(run.to_json(), chunk.to_json()) for chunk in chunks), body
    )


def score_in_workers(run: Run, *, refresh_targets: bool = False) -> AsyncResult[Any]:
    """Send the run to the workers; the result is ``finish_scoring``'s summary. Eagerly (tests)
    the chord runs here, chunk after chunk."""
    return scoring_chord(run, refresh_targets=refresh_targets).apply_async()


@shared_task(
    name="scoring.tasks.score_chunk",
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
)
def score_chunk_task(run: dict[str, Any], chunk: dict[str, Any]) -> dict[str, Any]:
    """Grade and store one chunk of a run (JSON in, counts out); safe to run again."""
    return score_chunk(Run.from_json(run), Chunk.from_json(chunk))


@shared_task(name="scoring.tasks.finish_scoring", autoretry_for=(DatabaseError,), max_retries=3)
def finish_scoring(
    results: list[dict[str, Any]], run: dict[str, Any], *, refresh_targets: bool = False
) -> dict[str, Any]:
    """The chord's last step: the grade summary from the stored scores, the run's summary; then,
    for the nightly run, the open periods' targets are queued."""
    summary = finish_run(Run.from_json(run), results)
    if refresh_targets:
        targets_refresh.refresh_after_commit()
    return summary


@shared_task(name="scoring.tasks.score_current_month", bind=True)
def score_current_month(self: Any) -> dict[str, Any]:
    """Score every active unit for the current month, then refresh the open periods' targets
    (demonstration status follows the grades, and station coverage counts valid units). With
    workers to share it, the task is replaced by the run's chord: its result is the chord's."""
    period = periods.current()
    if workers_share_scoring():
        # Eagerly, ``replace`` runs the chord here and returns its summary; through a broker it
        # sends the chord and ends this task, whose result becomes the chord's.
        replaced: dict[str, Any] = self.replace(
            scoring_chord(start_run(period), refresh_targets=True)
        )
        return replaced
    summary = engine.score_units(period)
    targets_refresh.refresh_open_periods()
    return summary
