"""The scoring engine is set-based: queries that do not grow with the units, and rescoring that
keeps what stands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lyushunkou.models import User
from scoring.models import ScoreCorrection, UnitScore
from tests.scoring.conftest import (
    IN_WINDOW,
    ScoringWorld,
    batch,
    complaint,
    make_unit,
)
from tests.scoring.engine_helpers import correct, score_of

pytestmark = pytest.mark.django_db


# --- Set-based --------------------------------------------------------------------------------


def _add_units(world: ScoringWorld, n: int, start: int) -> None:
    jurisdiction = world.units["bare"].jurisdiction
    for index in range(start, start + n):
        unit = make_unit(
            f"批量商户{index}", jurisdiction, commitments=("first_ask",), station=index % 2 == 0
        )
        batch(unit, IN_WINDOW, "fail" if index % 3 == 0 else "pass")
        complaint(unit, IN_WINDOW, "price")


def test_the_number_of_queries_does_not_grow_with_the_units(
    scoring_world: ScoringWorld, django_assert_max_num_queries: Any
) -> None:
    scoring_world.score()  # so that both measured runs replace existing scores
    with CaptureQueriesContext(connection) as ten:
        scoring_world.score()
    assert UnitScore.objects.count() == 10
    _add_units(scoring_world, 30, 0)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        summary = scoring_world.score()
    assert summary["units"] == 40


def test_a_later_correction_of_the_same_indicator_replaces_the_earlier_one(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    for points in ("-4", "0"):
        correct(
            scoring_world,
            "capped",
            district_staff,
            guarantee="quality",
            indicator_code="q_sampling_fail",
            points=Decimal(points),
            reason=f"更正为{points}分",
        )
    scoring_world.score()
    score = score_of(scoring_world, "capped")
    # −8 replaced by −4 (+4), then by 0 (+4 more): quality back to 19, total 92 → A.
    assert (score.quality, score.grade) == (Decimal(19), "A")
    fixes = [item["points"] for item in score.evidence if item["kind"] == "correction"]
    assert fixes == ["4.0", "4.0"]


def test_rescoring_keeps_the_date_a_grade_was_given_while_the_grade_stands(
    scoring_world: Any,
) -> None:
    # The 21 days to appeal run from the grade: a nightly re-score with the same grade keeps the
    # date; a changed grade starts a new one.
    from scoring.grading.engine import score_units
    from scoring.models import UnitScore
    from tests.scoring.conftest import PERIOD, TODAY

    score_units(PERIOD, today=TODAY)
    first = {s.unit_id: s.graded_at for s in UnitScore.objects.filter(period=PERIOD.key)}
    assert first
    assert all(first.values())
    score_units(PERIOD, today=TODAY)
    again = {s.unit_id: s for s in UnitScore.objects.filter(period=PERIOD.key)}
    assert {pk: s.graded_at for pk, s in again.items()} == first
    assert all(s.computed_at > s.graded_at for s in again.values())  # type: ignore[operator]

    bare = scoring_world.units["bare"]
    ScoreCorrection.objects.create(
        unit=bare,
        period=PERIOD.key,
        guarantee="quality",
        points=-10,
        reason="test",
        created_by=User.objects.get(username="alice"),
    )
    score_units(PERIOD, today=TODAY, unit_ids=[bare.pk])
    regraded = UnitScore.objects.get(unit=bare, period=PERIOD.key)
    assert regraded.grade != again[bare.pk].grade
    graded_first = first[bare.pk]
    assert graded_first is not None
    assert regraded.graded_at == regraded.computed_at > graded_first
