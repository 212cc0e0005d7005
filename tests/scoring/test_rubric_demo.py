"""Rubric v2 on the demo data (issue 13): grades that tell units apart — no letter holds more
than 60 % of the graded units, 未评定 is shown and counted, demonstration units meeting the
standard are mostly A."""

from __future__ import annotations

import io
import random

import pytest
from django.utils import timezone

from complaints.demo import seed_complaints
from inspections.demo import seed_inspections
from lyushunkou.demo import create_demo_accounts
from scoring.demo import seed_scoring
from scoring.grading import calibration, rubric
from scoring.models import UnitScore
from scoring.periods import MONTH, current
from units.demo import seed_units

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds demo data: tens of seconds


@pytest.fixture
def demo() -> None:
    create_demo_accounts()
    quiet = io.StringIO()
    seed_units(rng=random.Random("1:units"), scale="district", stdout=quiet, count=300)
    seed_complaints(rng=random.Random("1:complaints"), scale="district", stdout=quiet, count=300)
    seed_inspections(rng=random.Random("1:inspections"), scale="district", stdout=quiet, count=300)
    seed_scoring(rng=random.Random("1:scoring"), scale="district", stdout=quiet)


@pytest.mark.usefixtures("demo")
def test_the_demo_distribution_is_informative() -> None:
    period = current(MONTH, timezone.localdate())
    report = calibration.build(period, rubric.active_rubric())
    shares = report.shares()
    print(report.overall, shares)
    assert report.overall["U"] > 0
    assert max(shares[grade] for grade in "ABCD") <= 60
    assert len([grade for grade in "ABCD" if report.overall[grade]]) >= 3


@pytest.mark.usefixtures("demo")
def test_demonstration_units_are_mostly_a() -> None:
    period = current(MONTH, timezone.localdate())
    grades = list(
        UnitScore.objects.filter(period=period.key, demonstration=True).values_list(
            "grade", flat=True
        )
    )
    print(grades)
    assert grades
    assert grades.count("A") > len(grades) / 2
