"""The targets' summary table (``TargetResult``, DESIGN.md §7): ``targets.refresh`` upserts its
rows, follows changed data, drops targets no longer applying, in queries that do not grow with
the data. October 2026 counted by hand (tests/scoring/targets_helpers.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lyushunkou.models import Jurisdiction, User
from scoring import targets
from scoring.models import Target, TargetResult
from tests.scoring.targets_helpers import OCTOBER, TODAY, concluded

pytestmark = pytest.mark.django_db


def test_refresh_upserts_the_summary_rows(world: dict[str, Jurisdiction]) -> None:
    scopes = 1 + Jurisdiction.objects.filter(active=True).exclude(kind="district").count()
    written = targets.refresh(OCTOBER, today=TODAY)
    assert written == scopes * 11
    assert TargetResult.objects.filter(period="2026-10").count() == written
    assert targets.refresh(OCTOBER, today=TODAY) == written
    assert TargetResult.objects.filter(period="2026-10").count() == written

    row = TargetResult.objects.get(
        period="2026-10", scope_code=world["dengfeng"].code, key="complaint_satisfaction_rate"
    )
    assert (row.numerator, row.denominator, row.value) == (Decimal(4), Decimal(5), Decimal("0.8"))
    assert (row.threshold, row.comparator, row.met) == (Decimal("0.9"), "gte", False)
    assert row.detail["threshold_scope"] == "demo_area"
    assert row.order == 7
    district = TargetResult.objects.get(
        period="2026-10", scope_code="district", key="food_sampling_per_thousand"
    )
    assert district.denominator == Decimal("30.1507")
    empty = TargetResult.objects.get(
        period="2026-10", scope_code="210212005000", key="station_coverage"
    )
    assert (empty.value, empty.met) == (None, None)


def test_refresh_follows_changed_data_and_drops_targets_no_longer_applying(
    world: dict[str, Jurisdiction],
) -> None:
    targets.refresh(OCTOBER, today=TODAY)
    Target.objects.filter(key="station_coverage").update(active=False)
    concluded(world["desheng"], User.objects.get(username="alice"), "failed", "dissatisfied")
    targets.refresh(OCTOBER, today=TODAY)
    assert not TargetResult.objects.filter(key="station_coverage").exists()
    row = TargetResult.objects.get(
        period="2026-10", scope_code="district", key="complaint_resolution_rate"
    )
    assert (row.numerator, row.denominator) == (Decimal(4), Decimal(7))


def test_refresh_queries_do_not_grow_with_the_data(world: dict[str, Jurisdiction]) -> None:
    with CaptureQueriesContext(connection) as first:
        targets.refresh(OCTOBER, today=TODAY)
    for _ in range(3):
        concluded(world["dengfeng"], User.objects.get(username="bob"), "mediated", "satisfied")
    with CaptureQueriesContext(connection) as second:
        targets.refresh(OCTOBER, today=TODAY)
    assert len(second) == len(first)
