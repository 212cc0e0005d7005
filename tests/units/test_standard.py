"""The demonstration-unit standard, checked from records (DESIGN.md §5): each criterion met, not
met or without data; approval refused naming every unmet criterion; staff verification of the
self-discipline systems; the checklist on the operator's and the reviewer's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import CheckItem, DishonestListing, Finding, OnSiteCheck, SamplingBatch
from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from tests.factories import ComplaintFactory, SamplingBatchFactory
from tests.units.helpers import (
    SYSTEMS,
    add_station,
    certify,
    grade,
    meet_standard,
    submitted_application,
    verified_system,
)
from units import services
from units.models import (
    ApplicationStatus,
    CertificateCounter,
    Commitment,
    DemonstrationApplication,
    DemonstrationStatus,
    Unit,
)
from units.standard import months_ago, standard_check

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 10)  # every rule is checked as of this day unless the test approves


def result(unit: Unit, code: str, today: dt.date = TODAY) -> Any:
    return next(o for o in standard_check(unit, today).outcomes if o.code == code)


def status(unit: Unit, code: str, today: dt.date = TODAY) -> str:
    return str(result(unit, code, today).status)


def at_review(unit: Unit, operator: User, staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    application = services.application_start_review(
        application=application, by=staff, version=application.version
    )
    return services.application_to_onsite_check(
        application=application, by=staff, version=application.version
    )


def check_item(unit: Unit, staff: User, on: dt.date, item: str, *, passed: bool) -> CheckItem:
    record = OnSiteCheck.objects.create(
        unit=unit, checked_on=on, check_type="commitments", inspectors="王五", staff=staff
    )
    return CheckItem.objects.create(check_record=record, item=item, passed=passed)


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


# --- Approval ----------------------------------------------------------------------------------


def test_approval_is_refused_naming_every_unmet_criterion_and_nothing_changes(
    unit: Unit, operator: User, street_staff: User
) -> None:
    """The test of the issue: no station and one system unverified, refused naming both."""
    application = at_review(unit, operator, street_staff)
    for kind in ("first_ask", "purchase", "return"):
        verified_system(unit, kind, operator, street_staff)
    services.commitment_save(unit=unit, by=operator, kind="advance_comp", **SYSTEMS["advance_comp"])
    grade(unit, "B")
    version = application.version
    with pytest.raises(ValidationError) as refused:
        services.application_approve(application=application, by=street_staff, version=version)
    messages = refused.value.messages
    assert len(messages) == 2
    assert any("12315" in message for message in messages)
    assert any("先行赔付" in message for message in messages)
    application.refresh_from_db()
    unit.refresh_from_db()
    assert application.status == ApplicationStatus.ONSITE_CHECK
    assert application.version == version
    assert not CertificateCounter.objects.exists()
    assert unit.demonstration_status == DemonstrationStatus.NONE

    add_station(unit, operator)
    verified_system(unit, "advance_comp", operator, street_staff)
    approved = services.application_approve(
        application=application, by=street_staff, version=version
    )
    assert approved.status == ApplicationStatus.NOTICE
    assert certify(approved, street_staff).certificate_no.endswith("-00001")


def test_the_reviewer_sees_the_refusal_on_the_page(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = at_review(unit, operator, street_staff)
    client = client_for(street_staff)
    response = client.post(
        reverse("application-action", args=[application.pk, "approve"]),
        {
            "version": application.version,
            "valid_from": timezone.localdate().isoformat(),
            "valid_days": 365,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "不符合示范单位标准" in page
    assert "12315" in page


def test_submitting_with_criteria_unmet_warns_but_submits(unit: Unit, operator: User) -> None:
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    application = services.application_create(
        unit=unit,
        by=operator,
        year=2026,
        statement="五放心自评",
        commitments_confirmed=True,
    )
    response = client_for(operator).post(
        reverse("workspace-application", args=[application.pk]),
        {
            "version": application.version,
            "statement": "五放心自评",
            "commitments_confirmed": "on",
            "action": "submit",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "不符合示范单位标准" in response.content.decode()


# --- Verification ------------------------------------------------------------------------------


def test_verifying_needs_an_evidence_file(unit: Unit, operator: User, street_staff: User) -> None:
    commitment = services.commitment_save(
        unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"]
    )
    with pytest.raises(ValidationError):
        services.commitment_verify(commitment=commitment, by=street_staff, note="看过")
    commitment.refresh_from_db()
    assert commitment.verified_at is None


def test_an_operators_edit_clears_the_verification(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "first_ask", operator, street_staff)
    services.commitment_save(
        unit=unit, by=operator, kind="first_ask", content="首问负责，改过的内容。"
    )
    commitment = Commitment.objects.get(unit=unit, kind="first_ask")
    assert commitment.verified_at is None
    assert commitment.verified_by is None
    assert status(unit, "first_ask") == "not_met"
    assert AuditEvent.objects.filter(action="unit.commitment_verification_cleared").count() == 1


def test_saving_the_same_text_keeps_the_verification(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "first_ask", operator, street_staff)
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    assert Commitment.objects.get(unit=unit, kind="first_ask").verified_at is not None


def verify_post(client: Client, unit: Unit, commitment: Commitment) -> Any:
    return client.post(
        reverse("commitment-verify", args=[unit.pk, commitment.kind]),
        {"seen": commitment.updated_at.isoformat(), "note": "查阅制度文本和照片"},
    )


@pytest.fixture
def declared(unit: Unit, operator: User) -> Commitment:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.units.helpers import PDF

    commitment = services.commitment_save(
        unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"]
    )
    services.evidence_add(
        unit=unit,
        by=operator,
        upload=SimpleUploadedFile("首问负责.pdf", PDF, "application/pdf"),
        commitment=commitment,
    )
    commitment.refresh_from_db()
    return commitment


def test_street_staff_verify_a_commitment_of_their_street(
    unit: Unit, declared: Commitment, street_staff: User
) -> None:
    response = verify_post(client_for(street_staff), unit, declared)
    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.verified_by == street_staff
    assert declared.verification_note == "查阅制度文本和照片"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("desheng_staff", 404), ("leader", 403), ("operator", 403), ("other_operator", 403)],
)
def test_only_staff_in_scope_verify(
    unit: Unit,
    declared: Commitment,
    desheng: Any,
    leader: User,
    operator: User,
    other_operator: User,
    persona: str,
    expected: int,
) -> None:
    from tests.conftest import make_user

    users = {
        "desheng_staff": make_user("desheng_staff", "staff", jurisdiction=desheng),
        "leader": leader,
        "operator": operator,
        "other_operator": other_operator,
    }
    response = verify_post(client_for(users[persona]), unit, declared)
    assert response.status_code == expected
    declared.refresh_from_db()
    assert declared.verified_at is None


def test_a_verification_of_a_changed_commitment_is_refused(
    unit: Unit, declared: Commitment, operator: User, street_staff: User
) -> None:
    seen = declared.updated_at
    services.commitment_save(unit=unit, by=operator, kind="first_ask", content="首问负责，又改了。")
    with pytest.raises(ValidationError):
        services.commitment_verify(commitment=declared, by=street_staff, note="看过", seen=seen)


# --- The checklist on the pages ----------------------------------------------------------------


def test_the_operator_sees_the_checklist_on_the_application_page(
    unit: Unit, operator: User
) -> None:
    application = submitted_application(unit, operator)
    page = client_for(operator).get(reverse("workspace-application", args=[application.pk]))
    html = page.content.decode()
    assert 'data-testid="standard-checklist"' in html
    assert 'data-criterion="station" data-status="not_met"' in html
    assert "不符合" in html
    assert "无数据" in html  # no grade yet


def test_the_reviewer_sees_the_checklist_with_links_to_the_records(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    html = (
        client_for(street_staff)
        .get(reverse("application-detail", args=[application.pk]))
        .content.decode()
    )
    assert 'data-testid="standard-met"' in html
    assert 'data-criterion="first_ask" data-status="met"' in html
    assert "符合" in html
    assert reverse("unit-detail", args=[unit.pk]) + "#station-heading" in html


def test_another_operator_cannot_see_the_checklist(
    unit: Unit, operator: User, other_operator: User
) -> None:
    application = submitted_application(unit, operator)
    response = client_for(other_operator).get(
        reverse("workspace-application", args=[application.pk])
    )
    assert response.status_code == 404


def test_the_staff_unit_page_offers_verification(
    unit: Unit, declared: Commitment, street_staff: User, leader: User
) -> None:
    html = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'data-testid="verify-form"' in html
    leader_html = client_for(leader).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'data-testid="verify-form"' not in leader_html
