"""The scoring engine: corrections from upheld appeals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lyushunkou.models import User
from scoring.models import ScoreCorrection
from tests.scoring.conftest import (
    ScoringWorld,
)
from tests.scoring.engine_helpers import correct, entry, score_of

pytestmark = pytest.mark.django_db


# --- Corrections from upheld appeals ------------------------------------------------------------


def test_a_correction_replaces_the_named_indicators_points(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    # One of the two failures was the lab's mistake: the deduction becomes −4, not −8.
    correction = correct(
        scoring_world,
        "capped",
        district_staff,
        guarantee="quality",
        indicator_code="q_sampling_fail",
        points=Decimal("-4"),
        reason="复核：一批次检验报告有误",
    )
    scoring_world.score()
    score = score_of(scoring_world, "capped")
    # Q 19 − 4 = 15; total 88 → B, no cap any more.
    assert (score.quality, score.total, score.grade, score.capped_by) == (
        Decimal(15),
        Decimal(88),
        "B",
        "",
    )
    assert entry(score, "q_sampling_fail")["corrected"] is True
    fix = [item for item in score.evidence if item["kind"] == "correction"]
    assert len(fix) == 1
    assert fix[0]["points"] == "4.0"
    assert fix[0]["set_to"] == "-4.0"
    assert fix[0]["replaces"] == "q_sampling_fail"
    assert fix[0]["guarantee"] == "quality"
    assert fix[0]["records"] == [
        {"kind": "correction", "id": correction.pk, "label": "复核：一批次检验报告有误"}
    ]


def test_a_correction_without_an_indicator_adds_to_the_guarantee(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    correct(
        scoring_world,
        "bare",
        district_staff,
        guarantee="rights",
        points=Decimal("2.5"),
        reason="站点登记遗漏",
    )
    scoring_world.score()
    score = score_of(scoring_world, "bare")
    assert (score.rights, score.total) == (Decimal("14.5"), Decimal("83.5"))
    assert [item["points"] for item in score.evidence if item["kind"] == "correction"] == ["2.5"]


def test_a_correction_may_lift_a_veto(scoring_world: ScoringWorld, district_staff: User) -> None:
    correct(
        scoring_world,
        "fraud",
        district_staff,
        guarantee="price",
        indicator_code="p_fraud_veto",
        points=Decimal(0),
        lift_veto=True,
        reason="处罚决定已被撤销",
    )
    scoring_world.score()
    score = score_of(scoring_world, "fraud")
    assert (score.grade, score.vetoes, score.total) == ("A", [], Decimal(92))
    fix = next(item for item in score.evidence if item["kind"] == "correction")
    assert fix["lifts_veto"] == ["p_fraud_veto"]


def test_corrections_apply_to_their_own_period_only(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    ScoreCorrection.objects.create(
        unit=scoring_world.units["bare"],
        period="2026-09",
        guarantee="rights",
        points=Decimal(3),
        reason="九月的更正",
        created_by=district_staff,
    )
    scoring_world.score()
    assert score_of(scoring_world, "bare").rights == Decimal(12)
