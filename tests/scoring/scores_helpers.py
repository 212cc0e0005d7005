"""Plain helpers of the score pages' tests (tests/scoring/test_score_page_*.py,
test_scores_list.py, test_scores_of_operators.py)."""

from __future__ import annotations

from django.urls import reverse

from lyushunkou.models import Jurisdiction
from scoring import periods
from tests.factories import UnitFactory
from units.models import Unit

PERIOD = periods.current().key


def score_url(unit: Unit, period: str = PERIOD) -> str:
    return reverse("score-detail", kwargs={"unit_pk": unit.pk, "period": period})


def more_units(jurisdiction: Jurisdiction, n: int) -> list[Unit]:
    """Retail units named 测试商户000, 测试商户001, … (the name filter's test looks for one)."""
    return [
        UnitFactory.create(jurisdiction=jurisdiction, name=f"测试商户{i:03d}") for i in range(n)
    ]
