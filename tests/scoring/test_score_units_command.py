"""``manage.py score_units [--period P]`` and the nightly job."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from scoring.models import UnitScore
from scoring.tasks import score_current_month
from tests.scoring.conftest import ScoringWorld

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("score_units", *args, stdout=out)
    return out.getvalue()


def test_an_explicit_period_is_scored_and_summarised(scoring_world: ScoringWorld) -> None:
    output = run("--period", "2026-10")
    assert "Scored 10 units for 2026-10" in output
    assert "A 1, B 3, C 2, D 4" in output
    assert "4 vetoed" in output
    assert UnitScore.objects.filter(period="2026-10").count() == 10


def test_the_default_period_is_the_current_month(scoring_world: ScoringWorld) -> None:
    current = f"{timezone.localdate():%Y-%m}"
    output = run()
    assert f"for {current}" in output
    assert set(UnitScore.objects.values_list("period", flat=True)) == {current}


def test_a_quarter_or_a_year_can_be_scored(scoring_world: ScoringWorld) -> None:
    run("--period", "2026-Q3")
    run("--period", "2025")
    scores = UnitScore.objects.filter(unit=scoring_world.units["capped"])
    as_of = dict(scores.values_list("period", "as_of"))
    assert as_of == {"2026-Q3": dt.date(2026, 9, 30), "2025": dt.date(2025, 12, 31)}


def test_a_malformed_period_is_refused_in_one_line(scoring_world: ScoringWorld) -> None:
    with pytest.raises(CommandError) as refused:
        run("--period", "2026-13")
    assert "2026-13" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not UnitScore.objects.exists()


def test_a_malformed_period_exits_non_zero() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "score_units", "--period", "last-month"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "LAST-MONTH" in lines[0], result.stderr


def test_the_nightly_job_scores_the_current_month(scoring_world: ScoringWorld) -> None:
    with mock.patch("scoring.periods.timezone.localdate", return_value=dt.date(2026, 10, 20)):
        summary = score_current_month.delay().get()
    assert summary["period"] == "2026-10"
    assert summary["as_of"] == "2026-10-20"
    assert summary["units"] == 10


def test_the_nightly_job_is_scheduled() -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == score_current_month.name
    ]
    assert len(entries) == 1
