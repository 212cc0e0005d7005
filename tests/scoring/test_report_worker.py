"""A real Celery worker renders a report end to end: the request is sent through the broker (Redis
when REDIS_URL is set, as in CI; the embedded file-system broker otherwise) to the "reports" queue,
and a worker process listening on that queue alone renders and stores the PDF.

Like tests/test_worker.py it uses its own SQLite database in a temporary DATA_DIR, because a worker
process cannot see the test run's transaction.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lyushunkou.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")
CELERY = Path(sys.executable).with_name("celery")

REQUEST = """
from scoring import periods
from scoring.reports import report_enqueue
report, queued = report_enqueue(kind="monthly", period=periods.parse("2025-06"))
print("REPORT", report.pk, queued)
"""

STATE = """
from scoring.models import Report
r = Report.objects.get()
print("STATE", r.state, r.attempts, r.pages, r.sha256, r.file.path if r.file else "-", r.error)
"""


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_worker_without_a_queue_list_consumes_the_reports_queue_too() -> None:
    # `make run` and `make worker` start workers without --queues: they get every declared queue.
    assert {queue.name for queue in celery_app.conf.task_queues} >= {"celery", "reports"}
    route = celery_app.amqp.router.route({}, "scoring.tasks.render_report")
    assert (route["queue"].name, route["queue"].routing_key) == ("reports", "reports")
    # The other jobs keep the default queue, under another routing key: a message never
    # reaches both queues (a worker listening on both would run it twice).
    other = celery_app.amqp.router.route({}, "lyushunkou.tasks.check_calendar_coverage")
    assert (other["queue"].name, other["queue"].routing_key) == ("celery", "celery")


def test_a_real_worker_renders_a_requested_report_through_the_broker(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env["DATA_DIR"] = str(tmp_path)
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    manage(env, "migrate", "--no-input", "-v", "0")

    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "lyushunkou",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--queues",
            "reports",
            "--hostname",
            f"reports-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert "REPORT" in manage(env, "shell", "-c", REQUEST)
        deadline = time.monotonic() + 120
        state = ""
        while time.monotonic() < deadline:
            state = manage(env, "shell", "-c", STATE).split("STATE", 1)[1].strip()
            if state.split()[0] in ("ready", "failed"):
                break
            time.sleep(1)
        fields = state.split()
        assert fields[0] == "ready", state + "\n" + log_path.read_text()
        assert fields[1] == "1"  # rendered once
        assert int(fields[2]) > 3  # pages
        pdf = Path(fields[4])
        assert pdf.is_file()
        assert pdf.read_bytes().startswith(b"%PDF")
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == fields[3]
        worker_log = log_path.read_text()
        assert "scoring.tasks.render_report" in worker_log
        if os.environ.get("REDIS_URL"):
            assert "redis://" in worker_log  # CI: through Redis, not the embedded broker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
