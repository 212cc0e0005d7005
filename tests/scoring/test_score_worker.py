"""A scoring run fanned out to a real Celery worker: the chunks go through the broker (Redis when
REDIS_URL is set, as in CI; the embedded file-system broker otherwise) as a chord, a worker
process grades them, and the chord's last step writes the grade summary and returns the run's
summary to the caller waiting on it.

Like tests/test_worker.py it uses its own SQLite database in a temporary DATA_DIR, because a worker
process cannot see the test run's transaction.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")
CELERY = Path(sys.executable).with_name("celery")

UNITS = """
from lyushunkou.models import Jurisdiction
from units.models import Unit
streets = list(Jurisdiction.objects.exclude(kind="district").order_by("code")[:2])
for index in range(7):
    Unit.objects.create(
        name=f"商户{index}", credit_code=f"91210212MA0{index:07d}", kind="enterprise",
        industry="retail", address=f"旅顺口区长江路{index}号", legal_representative="张三",
        jurisdiction=streets[index % 2],
    )
"""

FAN_OUT = """
import json
from scoring import periods
from scoring.grading.run import start_run
from scoring.models import GradeSummary, UnitScore
from scoring.tasks_scoring import score_in_workers
summary = score_in_workers(start_run(periods.parse("2026-10"))).get(timeout=120)
summarised = GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)
print("SUMMARY", json.dumps({
    "units": summary["units"], "chunks": summary["chunks"],
    "scores": UnitScore.objects.filter(period="2026-10").count(), "summarised": sum(summarised),
}))
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


def test_a_worker_grades_the_chunks_of_a_run_sent_as_a_chord(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env["DATA_DIR"] = str(tmp_path)
    env["SCORING_CHUNK_SIZE"] = "3"  # 7 units: three chunks
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", UNITS)

    log = (tmp_path / "worker.log").open("w")
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
            "celery",
            "--hostname",
            f"score-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        output = manage(env, "shell", "-c", FAN_OUT)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    line = next((x for x in output.splitlines() if x.startswith("SUMMARY")), "")
    assert line, output + (tmp_path / "worker.log").read_text()
    assert json.loads(line.removeprefix("SUMMARY")) == {
        "units": 7,
        "chunks": 3,
        "scores": 7,
        "summarised": 7,
    }
    assert "scoring.tasks.finish_scoring" in (tmp_path / "worker.log").read_text()
