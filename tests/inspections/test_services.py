"""Services: the re-test deadline, the final result, disposal, overdue, findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections import services
from inspections import services_checks as checks
from inspections.models import Finding, SamplingBatch
from inspections.selectors import overdue_condition, with_disposal_state
from lyushunkou.claims import StaleObject
from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.workdays import deadline
from tests.inspections.helpers import batch
from units.models import Unit

pytestmark = pytest.mark.django_db

NOTIFIED = dt.date(2025, 9, 30)  # National Day and Mid-Autumn follow: 1–8 October off


@pytest.fixture
def failure(district_staff: User, dengfeng: Jurisdiction) -> SamplingBatch:
    failed = batch(district_staff, dengfeng, result="fail", sampled_on=dt.date(2025, 9, 20))
    return services.batch_notify(batch=failed, by=district_staff, notified_on=NOTIFIED)


def test_a_batch_is_linked_to_the_registered_unit_by_credit_code(
    district_staff: User, dengfeng: Jurisdiction, unit: Unit
) -> None:
    code = unit.credit_code
    linked = batch(district_staff, dengfeng, sampled_unit_credit_code=code.lower())
    assert linked.unit == unit
    assert linked.sampled_unit_credit_code == code
    assert batch(district_staff, dengfeng).unit is None


def test_notification_sets_the_working_day_deadlines(failure: SamplingBatch) -> None:
    assert failure.retest_due == deadline(NOTIFIED, 7).date == dt.date(2025, 10, 16)
    assert failure.disposal_due == deadline(NOTIFIED, 10).date


def test_a_late_retest_application_is_refused_with_the_date_it_was_due(
    failure: SamplingBatch, district_staff: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.batch_apply_retest(
            batch=failure, by=district_staff, applied_on=dt.date(2025, 10, 17), lab="某检验所"
        )
    assert "2025-10-16" in " ".join(refused.value.messages)
    failure.refresh_from_db()
    assert failure.retest_applied_on is None


def test_a_retest_that_passes_overturns_the_failure(
    failure: SamplingBatch, district_staff: User
) -> None:
    applied = services.batch_apply_retest(
        batch=failure, by=district_staff, applied_on=dt.date(2025, 10, 16), lab="某检验所"
    )
    final = services.batch_record_retest(
        batch=applied, by=district_staff, result="pass", decided_on=dt.date(2025, 10, 30)
    )
    assert (final.result, final.retest_result, final.final_result) == ("fail", "pass", "pass")
    assert AuditEvent.objects.filter(action="sampling.retest_recorded").exists()
    with pytest.raises(StaleObject):  # the re-test result is final: a second one loses
        services.batch_record_retest(
            batch=applied, by=district_staff, result="fail", decided_on=dt.date(2025, 10, 30)
        )


def test_a_failure_without_disposal_is_overdue_after_ten_working_days(
    failure: SamplingBatch, district_staff: User
) -> None:
    def overdue(today: dt.date) -> bool:
        qs = with_disposal_state(SamplingBatch.objects.filter(pk=failure.pk))
        return qs.filter(overdue_condition(today)).exists()

    due = deadline(NOTIFIED, 10).date
    assert not overdue(due)
    assert overdue(due + dt.timedelta(days=1))
    services.disposal_add(
        batch=failure, by=district_staff, kind="delisted", done_on=dt.date(2025, 10, 9)
    )
    assert not overdue(due + dt.timedelta(days=1))


def test_only_failures_are_retested_or_disposed_of(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    passed = batch(district_staff, dengfeng)
    with pytest.raises(ValidationError):
        services.disposal_add(
            batch=passed, by=district_staff, kind="delisted", done_on=dt.date(2025, 7, 1)
        )
    with pytest.raises(ValidationError):
        batch(district_staff, dengfeng, retest_result="pass")
    with pytest.raises(ValidationError):
        batch(district_staff, dengfeng, sampled_on=timezone.localdate() + dt.timedelta(days=2))


def test_an_operator_rectifies_a_finding_and_staff_confirm_it(
    unit: Unit, street_staff: User, operator: User
) -> None:
    check = checks.check_record(
        unit=unit,
        by=street_staff,
        checked_on=dt.date(2025, 9, 1),
        check_type="price_marking",
        inspectors="张三",
        items=[{"item": "明码标价", "passed": False}],
        findings=[{"guarantee": "price", "severity": "general", "description": "未标价"}],
    )
    finding = Finding.objects.get(check_record=check)
    assert finding.rectification_due == deadline(dt.date(2025, 9, 1), 10).date
    assert finding.status(dt.date(2025, 12, 1)) == "overdue"
    checks.finding_rectify(
        finding=finding, by=operator, rectified_on=dt.date(2025, 9, 5), note="已补齐价签"
    )
    with pytest.raises(StaleObject):
        checks.finding_rectify(
            finding=finding, by=operator, rectified_on=dt.date(2025, 9, 5), note="again"
        )
    checks.finding_confirm(finding=finding, by=street_staff, approve=True)
    finding.refresh_from_db()
    assert finding.status() == "confirmed"


def test_penalty_decision_numbers_are_unique(unit: Unit, district_staff: User) -> None:
    data: dict[str, Any] = {"unit": unit, "kind": "price_fraud",
            "decision_no": "旅市监处罚〔2025〕1号", "decided_on": dt.date(2025, 5, 1),
            "amount": 5000}  # fmt: skip
    checks.penalty_save(by=district_staff, **data)
    with pytest.raises(ValidationError):
        checks.penalty_save(by=district_staff, **data)
