"""Notifications of the units' changes (issue 15 item 4; docs/notifications.md): claims,
demonstration applications, public notice and objections, warnings."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Notification, User
from tests.notifications.helpers import assert_told, at, change, staff_of
from tests.units.helpers import (
    PDF,
    approved_application,
    meet_standard,
    submitted_application,
)
from units import services, services_claims, services_notice, services_status
from units.models import DemonstrationApplication, Unit
from units.models_claims import UnitClaim

pytestmark = pytest.mark.django_db


# --- Claims -------------------------------------------------------------------------------------


def _register(credit_code: str, username: str) -> tuple[User, Unit | None, UnitClaim | None]:
    return services_claims.operator_register(
        account={"username": username, "password": "Lvshun-Shop-2026", "email": ""},
        credit_code=credit_code,
        name="旅顺新开海鲜馆",
        industry="catering",
        address="辽宁省大连市旅顺口区登峰街道黄河路9号",
        jurisdiction=Jurisdiction.objects.get(code="210212001000"),
        legal_representative="张三",
        licence=SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf"),
    )


def test_a_claim_filed_tells_the_staff_in_scope_on_the_claims_page(
    unit: Unit, street_staff: User, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        _register(unit.credit_code, "stranger")
    assert_told(made, {street_staff: at("claim-list"), district_staff: at("claim-list")})


def test_a_claim_decided_tells_the_claimant_on_their_workspace(
    street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    claimant, _unit, claim = _register(generate_credit_code(random.Random(77)), "newcomer")
    claimant.email = "newcomer@example.com"
    claimant.save(update_fields=["email"])
    assert claim is not None
    with change(django_capture_on_commit_callbacks) as made:
        services_claims.claim_decide(claim=claim, by=street_staff, approve=True)
    assert_told(made, {claimant: at("workspace")})


# --- Demonstration applications ----------------------------------------------------------------


def test_an_application_submitted_tells_the_staff_of_its_jurisdiction(
    unit: Unit,
    operator: User,
    street_staff: User,
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        application = submitted_application(unit, operator)
    detail = at("application-detail", application.pk)
    assert_told(made, {street_staff: detail, district_staff: detail})


def _at_onsite_check(unit: Unit, operator: User, staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    meet_standard(unit, staff, operator)
    application = services.application_start_review(
        application=application, by=staff, version=application.version
    )
    return services.application_to_onsite_check(
        application=application, by=staff, version=application.version
    )


def test_an_application_approved_tells_the_operator_it_is_in_public_notice(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = _at_onsite_check(unit, operator, street_staff)
    with change(django_capture_on_commit_callbacks) as made:
        services.application_approve(
            application=application, by=street_staff, version=application.version
        )
    assert_told(made, {operator: at("workspace-application", application.pk)})


@pytest.mark.parametrize("move", ["return", "reject"])
def test_an_application_returned_or_rejected_tells_the_operator_with_the_reason(
    move: str,
    unit: Unit,
    operator: User,
    street_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = submitted_application(unit, operator)
    service = services.application_return if move == "return" else services.application_reject
    with change(django_capture_on_commit_callbacks) as made:
        service(
            application=application,
            by=street_staff,
            version=application.version,
            reason="自评说明未写明进货查验制度。",
        )
    assert_told(made, {operator: at("workspace-application", application.pk)})
    assert "自评说明未写明进货查验制度。" in made.notes[0].message


def test_a_resubmission_after_a_return_tells_staff_again(
    unit: Unit, operator: User, street_staff: User, district_staff: User
) -> None:
    application = submitted_application(unit, operator)
    application = services.application_return(
        application=application, by=street_staff, version=application.version, reason="补充材料"
    )
    services.application_submit(application=application, by=operator, version=application.version)
    submitted = Notification.objects.filter(user=street_staff, key__contains=":submitted:")
    assert submitted.count() == 2


def test_a_certificate_issued_tells_the_operator(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = _at_onsite_check(unit, operator, street_staff)
    application = services.application_approve(
        application=application, by=street_staff, version=application.version
    )
    notice = services_notice.open_notice(application)
    assert notice is not None
    with change(django_capture_on_commit_callbacks) as made:
        services_notice.certificate_issue(
            application=application, by=street_staff, today=notice.issue_from
        )
    assert_told(made, {operator: at("workspace-application", application.pk)})


# --- Public notice and objections ---------------------------------------------------------------


@pytest.fixture
def in_notice(unit: Unit, operator: User, street_staff: User) -> DemonstrationApplication:
    application = _at_onsite_check(unit, operator, street_staff)
    return services.application_approve(
        application=application, by=street_staff, version=application.version
    )


def test_an_objection_lodged_tells_the_staff_in_scope_on_the_application(
    in_notice: DemonstrationApplication,
    street_staff: User,
    district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = services_notice.open_notice(in_notice)
    assert notice is not None
    with change(django_capture_on_commit_callbacks) as made:
        services_notice.objection_lodge(notice=notice, text="后厨卫生差。", contact="13900000000")
    detail = at("application-detail", in_notice.pk)
    assert_told(made, {street_staff: detail, district_staff: detail})


def test_an_objection_resolved_tells_the_operator_and_no_one_public(
    in_notice: DemonstrationApplication,
    operator: User,
    street_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = services_notice.open_notice(in_notice)
    assert notice is not None
    objection = services_notice.objection_lodge(notice=notice, text="后厨卫生差。")
    with change(django_capture_on_commit_callbacks) as made:
        services_notice.objection_resolve(
            objection=objection, by=street_staff, decision="dismissed", reason="现场核查无此情况"
        )
    assert_told(made, {operator: at("workspace-application", in_notice.pk)})


# --- Warnings -----------------------------------------------------------------------------------


@pytest.fixture
def certified(unit: Unit, operator: User, street_staff: User) -> Unit:
    approved_application(unit, operator, street_staff)
    unit.refresh_from_db()
    return unit


def _operator_and_staff(unit: Unit, operator: User) -> dict[User, str]:
    told = {staff: at("unit-detail", unit.pk) for staff in staff_of(unit)}
    told[operator] = at("workspace")
    return told


def test_a_unit_moved_to_warning_tells_its_operator_and_the_staff_in_scope(
    certified: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        services_status.unit_warn(unit=certified, by=street_staff, reason="价格欺诈被处罚")
    assert_told(made, _operator_and_staff(certified, operator))


def test_a_warning_lifted_tells_the_operator_and_the_staff_in_scope(
    certified: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    warned = services_status.unit_warn(unit=certified, by=street_staff, reason="价格欺诈被处罚")
    with change(django_capture_on_commit_callbacks) as made:
        services_status.unit_rectified(unit=warned, by=street_staff, reason="已整改到位")
    assert_told(made, _operator_and_staff(certified, operator))


def test_a_revocation_tells_the_operator_and_the_staff_in_scope(
    certified: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        services_status.unit_revoke(unit=certified, by=street_staff, reason="拒不整改")
    assert_told(made, _operator_and_staff(certified, operator))


def test_a_warning_past_its_deadline_tells_the_staff_who_decide_on_revoking(
    certified: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    warned = services_status.unit_warn(unit=certified, by=street_staff, reason="价格欺诈被处罚")
    assert warned.rectify_by is not None
    with change(django_capture_on_commit_callbacks) as made:
        reported = services_status.report_overdue_rectifications(
            today=warned.rectify_by + dt.timedelta(days=1)
        )
    assert reported == 1
    assert_told(made, _operator_and_staff(certified, operator))
