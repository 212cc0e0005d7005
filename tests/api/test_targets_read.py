"""GET /api/v1/targets/: a stored figure says why it is neither met nor missed, as the dashboard
does (DESIGN.md §6): below the minimum sample (样本不足), or short while its period runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from api.models import Scope
from lyushunkou.models import User
from scoring import targets
from scoring.models import TargetResult
from scoring.periods import parse
from tests.api.helpers import api, system, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/targets/"


def stored(key: str, detail: dict[str, Any], met: bool | None) -> None:
    TargetResult.objects.create(
        period="2026-10",
        scope_code="district",
        key=key,
        label=key,
        numerator=Decimal(1),
        denominator=Decimal(2),
        value=Decimal("0.5"),
        comparator="gte",
        threshold=Decimal("0.97"),
        met=met,
        evaluated_at=timezone.now(),
        detail={"unit_label": "%", **detail},
    )


def rows(secadmin: User) -> dict[str, dict[str, Any]]:
    token = token_for(system(secadmin), secadmin, [Scope.TARGETS_READ])
    response = api(token).get(URL, {"period": "2026-10", "scope": "district"})
    assert response.status_code == 200
    return {row["key"]: row for row in response.json()["results"]}


def test_a_figure_below_its_minimum_sample_is_flagged_insufficient(secadmin: User) -> None:
    stored("small", {"insufficient": True, "min_denominator": 10}, None)
    row = rows(secadmin)["small"]
    assert (row["met"], row["insufficient"], row["open"], row["pending"]) == (
        None,
        True,
        False,
        False,
    )


def test_a_figure_short_in_a_running_period_is_flagged_open_and_pending(secadmin: User) -> None:
    stored("running", {"open": True, "open_as_of": "2026-10-05", "pending": True}, None)
    row = rows(secadmin)["running"]
    assert (row["met"], row["insufficient"], row["open"], row["pending"]) == (
        None,
        False,
        True,
        True,
    )


def test_a_judged_figure_carries_no_flag(secadmin: User) -> None:
    stored("judged", {}, False)
    row = rows(secadmin)["judged"]
    assert (row["met"], row["insufficient"], row["open"], row["pending"]) == (
        False,
        False,
        False,
        False,
    )


def test_the_flags_are_those_the_evaluation_stores(secadmin: User) -> None:
    targets.refresh(parse("2026-10"), today=dt.date(2026, 10, 5))
    flagged = rows(secadmin)
    assert flagged
    assert all(row["open"] for row in flagged.values())
