"""Enough data before judging (issue 14 item 3, DESIGN.md §6): below a target's minimum
denominator a figure keeps its value but shows "样本不足" and is neither met nor missed, on the
dashboard and in ``evaluate_targets --json``; the year-on-year detection rate needs the minimum in
both years. October 2026, evaluated on 20 November 2026 (the month is over, so nothing is open)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User
from scoring import targets
from scoring.models import Target
from scoring.periods import parse
from tests.conftest import client_for
from tests.factories import SamplingBatchFactory

pytestmark = pytest.mark.django_db

OCTOBER = parse("2026-10")
TODAY = dt.date(2026, 11, 20)
THIS_OCTOBER = dt.date(2026, 10, 15)
LAST_OCTOBER = dt.date(2025, 10, 15)
FOOD_PASS = "food_sampling_pass_rate"
DETECTION = "problem_detection_rate"


def batches(place: Jurisdiction, on: dt.date, *, passed: int, failed: int) -> None:
    """Supervisory food batches with a final result, sampled in circulation (the food default):
    they count in the food pass rate and in the detection rate's headline."""
    SamplingBatch.objects.bulk_create(
        SamplingBatchFactory.build(
            unit=None,
            sampled_unit_name="旅顺口区示例超市",
            jurisdiction=place,
            sampled_on=on,
            stage="circulation",  # bulk_create skips save(), which would set the default
            result="pass" if index < passed else "fail",
        )
        for index in range(passed + failed)
    )


def row_of(key: str) -> dict[str, Any]:
    result = targets.evaluate(OCTOBER, today=TODAY)
    return next(row for row in result["targets"] if row["key"] == key)


def command_row(key: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "evaluate_targets", "--period", OCTOBER.key, "--json", "--today", str(TODAY), stdout=out
    )
    result = json.loads(out.getvalue())
    return next(row for row in result["targets"] if row["key"] == key)


# --- Rates: 10 by default -------------------------------------------------------------------------


def test_the_default_minimum_is_ten_for_rates_and_thirty_for_detection() -> None:
    minimums = dict(Target.objects.filter(scope="district").values_list("key", "min_denominator"))
    assert minimums[FOOD_PASS] == 10
    assert minimums["complaint_resolution_rate"] == 10
    assert minimums[DETECTION] == 30


def test_a_rate_below_its_minimum_keeps_its_value_but_is_not_judged(
    dengfeng: Jurisdiction,
) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=1, failed=1)  # 50% of 2, far below 97%
    row = row_of(FOOD_PASS)
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 2, 0.5)
    assert row["met"] is None
    assert row["detail"]["insufficient"] is True
    assert row["detail"]["min_denominator"] == 10


def test_a_rate_at_its_minimum_is_judged(dengfeng: Jurisdiction) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=9, failed=1)  # 90% of 10
    row = row_of(FOOD_PASS)
    assert row["met"] is False
    assert "insufficient" not in row["detail"]


def test_a_minimum_of_zero_judges_any_sample(dengfeng: Jurisdiction) -> None:
    Target.objects.filter(key=FOOD_PASS).update(min_denominator=0)
    batches(dengfeng, THIS_OCTOBER, passed=1, failed=1)
    assert row_of(FOOD_PASS)["met"] is False


def test_no_data_is_no_data_not_an_insufficient_sample(db: None) -> None:
    row = row_of(FOOD_PASS)
    assert (row["value"], row["met"]) == (None, None)
    assert "insufficient" not in row["detail"]


def test_evaluate_targets_json_prints_met_null_below_the_minimum(dengfeng: Jurisdiction) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=1, failed=1)
    row = command_row(FOOD_PASS)
    assert row["met"] is None
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 2, 0.5)
    # The shape of DESIGN.md §7 stays: the reason is in --detail, not in the row.
    assert set(row) == {
        "key",
        "label",
        "value",
        "numerator",
        "denominator",
        "comparator",
        "threshold",
        "met",
    }


# --- The dashboard ------------------------------------------------------------------------------


def dashboard_html(leader: User) -> str:
    targets.refresh(OCTOBER, today=TODAY)
    response = client_for(leader).get(reverse("dashboard"), {"period": OCTOBER.key})
    assert response.status_code == 200
    return response.content.decode()


def target_row_html(html: str, key: str) -> str:
    match = re.search(rf'<tr data-testid="target-{key}"[^>]*>.*?</tr>', html, re.S)
    assert match, f"no row for {key}"
    return match.group(0)


def test_the_dashboard_shows_insufficient_sample_neither_met_nor_missed(
    leader: User, dengfeng: Jurisdiction
) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=1, failed=1)
    row = target_row_html(dashboard_html(leader), FOOD_PASS)
    assert 'data-met="none"' in row
    assert f'data-testid="target-insufficient-{FOOD_PASS}"' in row
    assert "样本不足" in row
    assert "table-danger" not in row
    assert "50.0%" in row  # the value is still shown


def test_an_insufficient_sample_is_not_counted_among_the_targets_missed(
    leader: User, dengfeng: Jurisdiction
) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=1, failed=1)
    targets.refresh(OCTOBER, today=TODAY)
    board = client_for(leader).get(reverse("dashboard"), {"period": OCTOBER.key}).context["board"]
    assert FOOD_PASS not in {row.key for row in board.missed}


def test_the_dashboard_judges_a_rate_that_reaches_its_minimum(
    leader: User, dengfeng: Jurisdiction
) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=9, failed=1)
    row = target_row_html(dashboard_html(leader), FOOD_PASS)
    assert 'data-met="no"' in row
    assert "样本不足" not in row


# --- Year on year: the minimum in both years -----------------------------------------------------


def test_detection_is_judged_with_thirty_batches_in_both_years(dengfeng: Jurisdiction) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=29, failed=1)  # 1 of 30
    batches(dengfeng, LAST_OCTOBER, passed=27, failed=3)  # 3 of 30: it fell
    row = row_of(DETECTION)
    assert row["met"] is True
    assert row["detail"]["by_type"]["supervisory"]["sufficient"] is True
    assert "insufficient" not in row["detail"]


def test_detection_is_not_judged_when_last_year_had_too_few(dengfeng: Jurisdiction) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=29, failed=1)  # 30 this year
    batches(dengfeng, LAST_OCTOBER, passed=26, failed=3)  # 29 last year
    row = row_of(DETECTION)
    assert row["met"] is None
    assert row["detail"]["insufficient"] is True
    assert row["detail"]["by_type"]["supervisory"]["fell"] is None


def test_detection_is_not_judged_when_this_year_has_too_few(dengfeng: Jurisdiction) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=28, failed=1)  # 29 this year
    batches(dengfeng, LAST_OCTOBER, passed=27, failed=3)  # 30 last year
    row = row_of(DETECTION)
    assert row["met"] is None
    assert row["detail"]["insufficient"] is True


def test_evaluate_targets_json_prints_detection_met_null_with_one_year_short(
    dengfeng: Jurisdiction,
) -> None:
    batches(dengfeng, THIS_OCTOBER, passed=29, failed=1)
    batches(dengfeng, LAST_OCTOBER, passed=26, failed=3)
    row = command_row(DETECTION)
    assert row["met"] is None
    assert (row["numerator"], row["denominator"]) == (1, 30)
