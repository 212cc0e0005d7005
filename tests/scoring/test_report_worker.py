"""A real Celery worker renders a report end to end: the request is sent through the broker (Redis
when REDIS_URL is set, as in CI; the embedded file-system broker otherwise) to the "reports" queue,
and a worker process listening on that queue alone renders and stores the PDF.

Like tests/test_worker.py it uses its own SQLite database in a temporary DATA_DIR, because a worker
process cannot see the test run's transaction.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from lyushunkou.celery import app as celery_app
from tests.real_worker import manage, running_worker, worker_env

# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")

REQUEST = """
from scoring import periods
from scoring.reports.services import report_enqueue
report, queued = report_enqueue(kind="monthly", period=periods.parse("2025-06"))
print("REPORT", report.pk, queued)
"""

STATE = """
from scoring.models import Report
r = Report.objects.get()
print("STATE", r.state, r.attempts, r.pages, r.sha256, r.file.path if r.file else "-", r.error)
"""


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
    env = worker_env(tmp_path, MEDIA_ROOT=str(tmp_path / "media"))
    manage(env, "migrate", "--no-input", "-v", "0")

    with running_worker(env, tmp_path, name="reports-test", queues="reports") as log_path:
        assert "REPORT" in manage(env, "shell", "-c", REQUEST)
        deadline = time.monotonic() + 120
        state = ""
        while time.monotonic() < deadline:
            state = manage(env, "shell", "-c", STATE).split("STATE", 1)[1].strip()
            if state.split()[0] in ("done", "failed"):
                break
            time.sleep(1)
        fields = state.split()
        assert fields[0] == "done", state + "\n" + log_path.read_text()
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
