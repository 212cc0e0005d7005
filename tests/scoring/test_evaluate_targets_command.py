"""``manage.py evaluate_targets`` (DESIGN.md §7): the JSON object, the table, bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lyushunkou.models import Jurisdiction
from scoring.models import TargetResult
from tests.scoring.targets_helpers import DENGFENG, DISTRICT

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate_targets", *args, stdout=out)
    return out.getvalue()


def rows(result: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        row["key"]: (
            row["numerator"],
            row["denominator"],
            row["value"],
            row["threshold"],
            row["met"],
        )
        for row in result["targets"]
    }


def test_json_prints_the_district_evaluation(world: dict[str, Jurisdiction]) -> None:
    result = json.loads(run("--period", "2026-10", "--json", "--today", "2026-11-20"))
    assert result["period"] == "2026-10"
    assert result["scope"] == "district"
    assert rows(result) == DISTRICT
    assert result["targets"][0]["label"] == "重点消费品抽检合格率"  # UTF-8, not \\u escapes
    # Exactly the shape of DESIGN.md §7: scripts rely on it.
    assert set(result) == {"period", "scope", "evaluated_at", "targets"}
    keys = {"key", "label", "value", "numerator", "denominator", "comparator", "threshold", "met"}
    assert all(set(row) == keys for row in result["targets"])
    detailed = json.loads(run("--period", "2026-10", "--json", "--detail", "--today", "2026-11-20"))
    assert all(set(row) == keys | {"detail"} for row in detailed["targets"])


def test_json_for_one_jurisdiction(world: dict[str, Jurisdiction]) -> None:
    code = world["dengfeng"].code
    out = run("--period", "2026-10", "--jurisdiction", code, "--json", "--today", "2026-11-20")
    assert "\\u" not in out
    result = json.loads(out)
    assert result["scope"] == code
    assert rows(result) == DENGFENG


def test_without_json_a_table_of_every_target(world: dict[str, Jurisdiction]) -> None:
    out = run("--period", "2026-10", "--today", "2026-11-20")
    for key in DISTRICT:
        assert key in out
    assert "83.3%" in out  # key goods: 5 of 6


def test_store_writes_the_summary_rows(world: dict[str, Jurisdiction]) -> None:
    run("--period", "2026-Q4", "--today", "2026-11-20", "--store")
    assert TargetResult.objects.filter(period="2026-Q4", scope_code="district").count() == 11
    run("--period", "2026-Q4", "--today", "2026-11-20", "--store")
    assert TargetResult.objects.filter(period="2026-Q4").count() == 11


def test_without_store_nothing_is_written(db: None) -> None:
    run("--period", "2026", "--json")
    assert not TargetResult.objects.exists()


@pytest.mark.parametrize("period", ["2026-13", "26", "2026-Q5", "2026/10", ""])
def test_a_malformed_period_is_refused(db: None, period: str) -> None:
    with translation.override("en"), pytest.raises(CommandError, match="period"):
        run("--period", period)


def test_an_unknown_jurisdiction_is_refused_in_one_line(db: None) -> None:
    with pytest.raises(CommandError, match="999999999999") as refused:
        run("--period", "2026", "--jurisdiction", "999999999999")
    assert "\n" not in str(refused.value)


def test_a_malformed_period_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    # A real process: the exit status and stderr as a shell script sees them. The period is
    # checked before the database is touched, so an empty data folder will do.
    done = subprocess.run(
        [sys.executable, "manage.py", "evaluate_targets", "--period", "2026-13", "--json"],
        cwd=ROOT,
        env={"DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "2026-13" in lines[0]
