"""A real Celery worker with its scheduler, as `make run` and production start them.

Everything else runs tasks eagerly; this test proves that a task sent through the broker (the
embedded file-system broker, or Redis when REDIS_URL is set) is executed by a worker process,
and that beat fires a periodic job from django-celery-beat's tables. It uses its own SQLite
database in a temporary DATA_DIR, because a worker process cannot see the test run's transaction.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")
CELERY = Path(sys.executable).with_name("celery")

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


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_real_worker_runs_tasks_and_beat_fires_periodic_jobs(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env["DATA_DIR"] = str(tmp_path)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", SCHEDULE_EVERY_SECOND)

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "lyushunkou",
            "worker",
            "--beat",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--queues",
            "celery",
            "--hostname",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        output = manage(env, "shell", "-c", SEND_AND_WAIT)
        assert "RESULT [" in output
        deadline = time.monotonic() + 30
        runs = 0
        while time.monotonic() < deadline and runs < 2:
            time.sleep(1)
            runs = int(manage(env, "shell", "-c", COUNT_BEAT_RUNS).split("RUNS")[1])
        assert runs >= 2, (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
