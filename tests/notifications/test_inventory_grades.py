"""Notifications of grades and appeals (issue 15 item 4; docs/notifications.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lyushunkou.models import User
from scoring import periods
from scoring.grading import appeals, engine
from scoring.grading.appeals import Correction
from scoring.models import Appeal
from tests.notifications.helpers import assert_told, at, change
from tests.units.helpers import (
    grade,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- Grades and appeals -------------------------------------------------------------------------


def test_a_scoring_run_tells_each_operator_whose_grade_changed_once(
    unit: Unit, other_unit: Unit, operator: User, django_capture_on_commit_callbacks: Any
) -> None:
    month = periods.current()
    grade(unit, "D", on=month.previous().end)  # the unit's last grade; other_unit has none
    with change(django_capture_on_commit_callbacks) as made:
        engine.score_units(month)
    score = at("score-detail", unit.pk, month.key)
    assert_told(made, {operator: score})
    # The same grades again: nobody is told twice.
    with change(django_capture_on_commit_callbacks) as again:
        engine.score_units(month)
    assert_told(again, {})


def _appealed(unit: Unit, operator: User) -> Appeal:
    score = grade(unit, "C")
    return appeals.appeal_submit(
        score=score, by=operator, kind=Appeal.Kind.APPEAL, text="价签已整改。", guarantee="price"
    )


def test_an_appeal_submitted_tells_the_staff_in_scope(
    unit: Unit,
    operator: User,
    street_staff: User,
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        appeal = _appealed(unit, operator)
    detail = at("appeal-detail", appeal.pk)
    assert_told(made, {street_staff: detail, district_staff: detail})


@pytest.mark.parametrize("upheld", [False, True])
def test_an_appeal_decided_tells_the_operator_once_on_the_score(
    upheld: bool,
    unit: Unit,
    operator: User,
    street_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    appeal = _appealed(unit, operator)
    correction = Correction(guarantee="price", points=Decimal("6")) if upheld else None
    with change(django_capture_on_commit_callbacks) as made:
        appeals.appeal_decide(
            appeal=appeal,
            by=street_staff,
            version=appeal.version,
            upheld=upheld,
            reason="核实价签已整改",
            correction=correction,
        )
    # Upheld, the re-score may change the grade: the decision is the one thing told.
    assert_told(made, {operator: at("score-detail", unit.pk, appeal.period)})
