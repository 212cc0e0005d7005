"""The scoring engine: a run replaces the scores it covers and leaves the others alone, and counts
the grade summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scoring.grading import engine
from scoring.models import GradeSummary, UnitScore
from tests.scoring.conftest import (
    IN_WINDOW,
    ScoringWorld,
    batch,
)
from tests.scoring.engine_helpers import score_of
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_rerunning_a_period_replaces_its_scores(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    first = {
        s.unit_id: (s.total, s.grade, s.vetoes, s.evidence)
        for s in UnitScore.objects.filter(period="2026-10")
    }
    scoring_world.score()
    again = {
        s.unit_id: (s.total, s.grade, s.vetoes, s.evidence)
        for s in UnitScore.objects.filter(period="2026-10")
    }
    assert again == first
    assert UnitScore.objects.count() == 10
    assert sum(GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)) == 10


def test_a_run_for_some_units_replaces_only_theirs(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    others_before = {
        s.unit_id: s.computed_at
        for s in UnitScore.objects.exclude(unit=scoring_world.units["bare"])
    }
    bare = scoring_world.units["bare"]
    batch(bare, IN_WINDOW, "fail")
    summary = scoring_world.score(unit_ids=[bare.pk])
    assert summary["units"] == 1
    assert score_of(scoring_world, "bare").quality == Decimal(13)  # 17 − 4
    others_after = {
        s.unit_id: s.computed_at
        for s in UnitScore.objects.exclude(unit=scoring_world.units["bare"])
    }
    assert others_after == others_before
    assert UnitScore.objects.count() == 10
    # The summary for the dashboard follows: bare moved from B to B (81 → 77), totals unchanged.
    assert sum(GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)) == 10


def test_a_unit_no_longer_operating_loses_its_score_when_rescored(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    bare = scoring_world.units["bare"]
    Unit.objects.filter(pk=bare.pk).update(business_status="deregistered")
    scoring_world.score(unit_ids=[bare.pk])
    assert not UnitScore.objects.filter(unit=bare).exists()


def test_other_periods_are_left_alone(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    engine.score_units(scoring_world.period.previous(), today=scoring_world.today)
    assert UnitScore.objects.filter(period="2026-09").count() == 10
    scoring_world.score()
    assert UnitScore.objects.filter(period="2026-09").count() == 10
    assert UnitScore.objects.filter(period="2026-10").count() == 10
    # September's window ends on 2026-09-30: the failure of 2026-09-01 already counts there.
    september = UnitScore.objects.get(unit=scoring_world.units["capped"], period="2026-09")
    assert september.as_of == dt.date(2026, 9, 30)
    assert september.quality == Decimal(11)


def test_the_grade_summary_counts_units_by_jurisdiction_grade_and_veto(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    rows = {
        (row.jurisdiction.name, row.demonstration, row.grade): (row.units, row.vetoed)
        for row in GradeSummary.objects.filter(period="2026-10").select_related("jurisdiction")
    }
    # 登峰: clean A; bare, complaints B; capped C; listed, fraud, harmed D (vetoed).
    # 得胜: retest B; findings C; incident D (vetoed).
    assert rows == {
        ("登峰街道", False, "A"): (1, 0),
        ("登峰街道", False, "B"): (2, 0),
        ("登峰街道", False, "C"): (1, 0),
        ("登峰街道", False, "D"): (3, 3),
        ("得胜街道", False, "B"): (1, 0),
        ("得胜街道", False, "C"): (1, 0),
        ("得胜街道", False, "D"): (1, 1),
    }
