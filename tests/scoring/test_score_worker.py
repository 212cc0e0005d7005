"""A scoring run fanned out to a real Celery worker: the chunks go through the broker (Redis when
REDIS_URL is set, as in CI; the embedded file-system broker otherwise) as a chord, a worker
process grades them, and the chord's last step writes the grade summary and returns the run's
summary to the caller waiting on it.

Like tests/test_worker.py it uses its own SQLite database in a temporary DATA_DIR, because a worker
process cannot see the test run's transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.real_worker import manage, running_worker, worker_env

# Real worker processes: one at a time, in one xdist worker (make test runs --dist loadgroup).
pytestmark = pytest.mark.xdist_group("celery_worker")

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
from scoring.grading.tasks import score_in_workers
summary = score_in_workers(start_run(periods.parse("2026-10"))).get(timeout=120)
summarised = GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)
print("SUMMARY", json.dumps({
    "units": summary["units"], "chunks": summary["chunks"],
    "scores": UnitScore.objects.filter(period="2026-10").count(), "summarised": sum(summarised),
}))
"""


def test_a_worker_grades_the_chunks_of_a_run_sent_as_a_chord(tmp_path: Path) -> None:
    env = worker_env(tmp_path, SCORING_CHUNK_SIZE="3")  # 7 units: three chunks
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", UNITS)

    with running_worker(env, tmp_path, name="score"):
        output = manage(env, "shell", "-c", FAN_OUT)
    line = next((x for x in output.splitlines() if x.startswith("SUMMARY")), "")
    assert line, output + (tmp_path / "worker.log").read_text()
    assert json.loads(line.removeprefix("SUMMARY")) == {
        "units": 7,
        "chunks": 3,
        "scores": 7,
        "summarised": 7,
    }
    assert "scoring.tasks.finish_scoring" in (tmp_path / "worker.log").read_text()
