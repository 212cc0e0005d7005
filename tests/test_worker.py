"""A real Celery worker with its scheduler, as `make run` and production start them.

Everything else runs tasks eagerly; this test proves that a task sent through the broker (the
embedded file-system broker, or Redis when REDIS_URL is set) is executed by a worker process,
and that beat fires a periodic job from django-celery-beat's tables. It uses its own SQLite
database in a temporary DATA_DIR, because a worker process cannot see the test run's transaction.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.real_worker import manage, running_worker, worker_env

# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")

SEND_AND_WAIT = """
from lyushunkou.tasks import check_calendar_coverage
print("RESULT", check_calendar_coverage.delay().get(timeout=60))
"""

SCHEDULE_EVERY_SECOND = """
from django_celery_beat.models import IntervalSchedule, PeriodicTask
every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
PeriodicTask.objects.update_or_create(
    name="test-every-second",
    defaults={"task": "lyushunkou.tasks.check_calendar_coverage", "interval": every},
)
"""

COUNT_BEAT_RUNS = """
from django_celery_results.models import TaskResult
print("RUNS", TaskResult.objects.filter(periodic_task_name="test-every-second",
                                        status="SUCCESS").count())
"""


def test_a_real_worker_runs_tasks_and_beat_fires_periodic_jobs(tmp_path: Path) -> None:
    env = worker_env(tmp_path)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", SCHEDULE_EVERY_SECOND)

    with running_worker(env, tmp_path, name="test", beat=True) as log_path:
        output = manage(env, "shell", "-c", SEND_AND_WAIT, timeout=120)
        assert "RESULT [" in output
        deadline = time.monotonic() + 30
        runs = 0
        while time.monotonic() < deadline and runs < 2:
            time.sleep(1)
            runs = int(manage(env, "shell", "-c", COUNT_BEAT_RUNS, timeout=120).split("RUNS")[1])
        assert runs >= 2, log_path.read_text()
