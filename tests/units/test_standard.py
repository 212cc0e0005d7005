"""The demonstration-unit standard, checked from records (DESIGN.md §5): each criterion met, not
met or without data (approval, verification and the checklist: test_standard_review.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import DishonestListing, Finding, SamplingBatch
from lyushunkou.models import User
from tests.factories import ComplaintFactory, SamplingBatchFactory
from tests.units.helpers import (
    SYSTEMS,
    add_station,
    grade,
    meet_standard,
    verified_system,
)
from tests.units.standard_helpers import TODAY, check_item, result, status
from units import services
from units.models import (
    Unit,
)
from units.standard import months_ago, standard_check

pytestmark = pytest.mark.django_db


# --- Each criterion from records ---------------------------------------------------------------


def test_months_ago_keeps_the_day_or_the_months_last() -> None:
    assert months_ago(dt.date(2026, 11, 10), 12) == dt.date(2025, 11, 10)
    assert months_ago(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


def test_a_unit_without_a_station_does_not_meet_the_station_criterion(unit: Unit) -> None:
    assert status(unit, "station") == "not_met"


def test_an_inactive_station_does_not_count(unit: Unit, operator: User) -> None:
    add_station(unit, operator)
    services.station_save(unit=unit, by=operator, active=False)
    assert status(unit, "station") == "not_met"


def test_an_active_station_with_a_named_person_meets_it(unit: Unit, operator: User) -> None:
    add_station(unit, operator)
    outcome = result(unit, "station")
    assert outcome.status == "met"
    assert outcome.result.records[0].operator_url == reverse("workspace-station", args=[unit.pk])


def test_a_declared_system_alone_does_not_count(unit: Unit, operator: User) -> None:
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    assert status(unit, "first_ask") == "not_met"


def test_a_missing_system_does_not_count(unit: Unit) -> None:
    assert status(unit, "advance_comp") == "not_met"


def test_a_system_verified_by_staff_from_its_evidence_counts(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "advance_comp", operator, street_staff)
    assert status(unit, "advance_comp") == "met"


def test_a_passed_on_site_check_item_verifies_a_system(
    unit: Unit, operator: User, street_staff: User
) -> None:
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    check_item(unit, street_staff, TODAY - dt.timedelta(days=30), "首问负责制度落实", passed=True)
    outcome = result(unit, "first_ask")
    assert outcome.status == "met"
    assert any("首问负责制度落实" in record.label for record in outcome.result.records)


def test_a_check_item_older_than_the_window_does_not_verify(
    unit: Unit, operator: User, street_staff: User
) -> None:
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    check_item(unit, street_staff, TODAY - dt.timedelta(days=400), "首问负责制度落实", passed=True)
    assert status(unit, "first_ask") == "not_met"


def test_a_later_failed_check_item_outweighs_a_verification(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "purchase", operator, street_staff)
    check_item(unit, street_staff, timezone.localdate(), "购销台账完整", passed=False)
    assert status(unit, "purchase", timezone.localdate()) == "not_met"


def test_no_grade_is_no_data_and_blocks(unit: Unit) -> None:
    outcome = result(unit, "grade")
    assert outcome.status == "no_data"
    assert outcome.blocking


def test_a_grade_c_does_not_meet_it(unit: Unit) -> None:
    grade(unit, "C", on=TODAY)
    assert status(unit, "grade") == "not_met"


def test_a_grade_b_meets_it(unit: Unit) -> None:
    grade(unit, "B", on=TODAY)
    assert status(unit, "grade") == "met"


def test_a_veto_within_twelve_months_does_not_meet_it(unit: Unit) -> None:
    grade(unit, "B", on=TODAY - dt.timedelta(days=120), vetoes=["dishonest_list"])
    grade(unit, "A", on=TODAY)
    assert status(unit, "grade") == "not_met"


def test_a_veto_older_than_twelve_months_no_longer_counts(unit: Unit) -> None:
    grade(unit, "B", on=TODAY - dt.timedelta(days=400), vetoes=["dishonest_list"])
    grade(unit, "A", on=TODAY)
    assert status(unit, "grade") == "met"


def forwarded(unit: Unit, response: str, *, days_ago: int = 60, **fields: Any) -> None:
    """A complaint against ``unit`` forwarded to it through ODR ``days_ago`` days before TODAY,
    answered with ``response`` ("" for not answered)."""
    on = TODAY - dt.timedelta(days=days_ago)
    ComplaintFactory.create(
        unit=unit,
        received_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        category="quality",
        status="mediating" if response else "odr",
        odr_forwarded_on=on,
        odr_due=on + dt.timedelta(days=14),
        odr_response=response,
        **fields,
    )


def test_fewer_than_three_forwarded_complaints_is_no_data_that_does_not_block(
    unit: Unit,
) -> None:
    forwarded(unit, "settled")
    forwarded(unit, "disputed")
    outcome = result(unit, "complaints")
    assert outcome.status == "no_data"
    assert not outcome.blocking


def test_complaints_all_answered_and_settled_meet_it(unit: Unit) -> None:
    for _ in range(3):
        forwarded(unit, "settled")
    assert status(unit, "complaints") == "met"


def test_a_reconciliation_rate_of_ninety_percent_is_not_above_ninety(unit: Unit) -> None:
    for _ in range(9):
        forwarded(unit, "settled")
    forwarded(unit, "disputed")
    outcome = result(unit, "complaints")
    assert outcome.status == "not_met"
    assert "90.0%" in outcome.result.detail


def test_an_unanswered_complaint_breaks_the_handling_rate(unit: Unit) -> None:
    for _ in range(20):
        forwarded(unit, "settled")
    forwarded(unit, "", odr_escalated=True)
    assert status(unit, "complaints") == "not_met"


def test_a_complaint_still_within_its_response_period_is_not_counted(unit: Unit) -> None:
    for _ in range(3):
        forwarded(unit, "settled")
    forwarded(unit, "", days_ago=2)
    assert status(unit, "complaints") == "met"


def test_complaints_older_than_twelve_months_are_left_out(unit: Unit) -> None:
    for _ in range(3):
        forwarded(unit, "disputed", days_ago=400)
    assert status(unit, "complaints") == "no_data"


def test_an_unconfirmed_finding_does_not_meet_it(unit: Unit, street_staff: User) -> None:
    assert status(unit, "findings") == "met"
    record = check_item(unit, street_staff, TODAY - dt.timedelta(days=20), "明码标价", passed=False)
    Finding.objects.create(
        check_record=record.check_record,
        unit=unit,
        guarantee="price",
        severity="general",
        description="价签不全",
        rectification_due=TODAY - dt.timedelta(days=5),
    )
    outcome = result(unit, "findings")
    assert outcome.status == "not_met"
    assert outcome.result.records[0].url == reverse("check-detail", args=[record.check_record_id])


def failed_batch(unit: Unit, *, due: dt.date) -> SamplingBatch:
    return SamplingBatchFactory.create(
        unit=unit, sampled_on=due - dt.timedelta(days=30), result="fail", disposal_due=due
    )


def test_an_overdue_disposal_does_not_meet_it(unit: Unit) -> None:
    failed_batch(unit, due=TODAY - dt.timedelta(days=1))
    assert status(unit, "disposals") == "not_met"


def test_a_disposal_not_yet_due_is_no_fault(unit: Unit) -> None:
    failed_batch(unit, due=TODAY + dt.timedelta(days=3))
    assert status(unit, "disposals") == "met"


def test_a_unit_on_the_dishonest_list_does_not_meet_it(unit: Unit) -> None:
    DishonestListing.objects.create(
        unit=unit,
        listed_on=TODAY - dt.timedelta(days=100),
        authority="大连市市场监管局",
        reason="x",
    )
    assert status(unit, "dishonest") == "not_met"


def test_a_removed_listing_no_longer_counts(unit: Unit) -> None:
    DishonestListing.objects.create(
        unit=unit,
        listed_on=TODAY - dt.timedelta(days=900),
        removed_on=TODAY - dt.timedelta(days=10),
        authority="大连市市场监管局",
        reason="x",
    )
    assert status(unit, "dishonest") == "met"


def test_the_check_takes_a_fixed_number_of_queries(
    unit: Unit, operator: User, street_staff: User, django_assert_max_num_queries: Any
) -> None:
    meet_standard(unit, street_staff, operator)
    for _ in range(15):
        forwarded(unit, "settled")
    for n in range(10):
        check_item(unit, street_staff, TODAY - dt.timedelta(days=n + 1), "首问负责", passed=True)
    # 15 for the criteria, 1 for each application gate of the apps above (supervision's).
    with django_assert_max_num_queries(16):
        report = standard_check(unit, TODAY)
    assert len(report.outcomes) == 10
