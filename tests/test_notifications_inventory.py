"""Every state change someone waits for notifies them (issue 15 item 4; docs/notifications.md).

One test per row of the inventory: the change is made through its service, and the people who
wait for it — and nobody else — get exactly one notification each, whose link opens (200) for
them on the page where they act, and one e-mail each with that link made absolute on
``PORTAL_BASE_URL``. Everyone here has an e-mail address; the outsiders (staff of another street,
a leader, another operator) are present so that telling them would show.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from complaints import overdue
from complaints import services as complaint_services
from complaints.models import Complaint, Outcome, Satisfaction
from complaints.services_followup import complaint_record_satisfaction
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Notification, Role, User
from lyushunkou.notifications import absolute_url, staff_covering
from scoring import periods
from scoring.grading import appeals, engine
from scoring.grading.appeals import Correction
from scoring.models import Appeal
from scoring.reports.services import report_enqueue
from tests.complaints.helpers import register
from tests.conftest import client_for, make_user
from tests.test_import_jobs import complaints_file
from tests.test_settings import run_manage
from tests.units.helpers import (
    PDF,
    approved_application,
    grade,
    meet_standard,
    submitted_application,
)
from units import services, services_claims, services_notice, services_status
from units.models import DemonstrationApplication, Unit
from units.models_claims import UnitClaim

pytestmark = pytest.mark.django_db

BASE = "https://fxxf.lvshun.example.gov.cn"


@pytest.fixture(autouse=True)
def _portal_and_media(settings: Any, media_root: Path) -> None:
    settings.PORTAL_BASE_URL = BASE


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员")


@pytest.fixture(autouse=True)
def everyone(
    district_staff: User,
    street_staff: User,
    desheng_staff: User,
    leader: User,
    operator: User,
    other_operator: User,
    unit: Unit,
    other_unit: Unit,
) -> list[User]:
    """Everyone has an address, so every notification should send one e-mail."""
    people = [district_staff, street_staff, desheng_staff, leader, operator, other_operator]
    for person in people:
        person.email = f"{person.username}@example.gov.cn"
        person.save(update_fields=["email"])
    return people


@dataclass
class Change:
    notes: list[Notification] = field(default_factory=list)


@contextmanager
def change(capture: Any) -> Iterator[Change]:
    """The notifications and e-mails of what happens inside (the commit's callbacks run)."""
    mark = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    mail.outbox.clear()
    made = Change()
    with capture(execute=True):
        yield made
    made.notes = list(Notification.objects.filter(pk__gt=mark).select_related("user"))


def assert_told(made: Change, expected: dict[User, str]) -> None:
    """Exactly ``expected`` (user → the path of the page they act on) were told, once each; each
    link opens for its user; each got one e-mail with the absolute link, and nobody else did."""
    told = sorted((note.user.username, note.link) for note in made.notes)
    assert told == sorted((user.username, link) for user, link in expected.items())
    for user, link in expected.items():
        assert client_for(user).get(link).status_code == 200, (user.username, link)
    sent = sorted((message.to[0], message.body.splitlines()[-1]) for message in mail.outbox)
    assert sent == sorted((user.email, f"{BASE}{link}") for user, link in expected.items())


def staff_of(unit: Unit) -> list[User]:
    return staff_covering(unit.jurisdiction)


def at(path: str, *args: object) -> str:
    return reverse(path, args=args)


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


# --- Complaints ---------------------------------------------------------------------------------


def _accepted(unit: Unit, staff: User, days_ago: int = 2) -> Complaint:
    today = timezone.localdate()
    complaint = register(unit.jurisdiction, on=today - dt.timedelta(days=days_ago + 1), unit=unit)
    return complaint_services.complaint_accept(
        complaint=complaint,
        by=staff,
        version=complaint.version,
        on=today - dt.timedelta(days=days_ago),
    )


def _forwarded(unit: Unit, staff: User, days_ago: int = 0) -> Complaint:
    complaint = _accepted(unit, staff, days_ago=days_ago + 1)
    return complaint_services.complaint_forward_odr(
        complaint=complaint,
        by=staff,
        version=complaint.version,
        on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _answered(unit: Unit, staff: User, operator: User) -> Complaint:
    complaint = _forwarded(unit, staff)
    return complaint_services.complaint_odr_respond(
        complaint=complaint,
        by=operator,
        version=complaint.version,
        response="proposal",
        text="同意退还差价300元。",
    )


def test_a_complaint_forwarded_tells_the_operator_on_their_complaint_page(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _accepted(unit, street_staff)
    with change(django_capture_on_commit_callbacks) as made:
        complaint_services.complaint_forward_odr(
            complaint=complaint, by=street_staff, version=complaint.version
        )
    assert_told(made, {operator: at("workspace-complaint", complaint.pk)})


def test_a_complaint_answered_by_the_operator_tells_the_staff_handling_it(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _forwarded(unit, street_staff)
    with change(django_capture_on_commit_callbacks) as made:
        complaint_services.complaint_odr_respond(
            complaint=complaint,
            by=operator,
            version=complaint.version,
            response="proposal",
            text="同意退还差价300元。",
        )
    assert_told(made, {street_staff: at("complaint-detail", complaint.pk)})


def test_a_complaint_answered_without_a_handler_tells_the_staff_of_its_street(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _forwarded(unit, street_staff)
    Complaint.objects.filter(pk=complaint.pk).update(handler=None)
    complaint.refresh_from_db()
    with change(django_capture_on_commit_callbacks) as made:
        complaint_services.complaint_odr_respond(
            complaint=complaint,
            by=operator,
            version=complaint.version,
            response="settled",
            text="已与消费者协商退款。",
        )
    assert_told(made, {street_staff: at("complaint-detail", complaint.pk)})


def test_a_complaint_the_operator_let_lapse_tells_the_staff_handling_it(
    unit: Unit, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _forwarded(unit, street_staff, days_ago=30)
    with change(django_capture_on_commit_callbacks) as made:
        assert complaint_services.escalate_overdue_odr() == 1
    assert_told(made, {street_staff: at("complaint-detail", complaint.pk)})


def test_an_overdue_complaint_tells_the_staff_handling_it(
    unit: Unit, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _accepted(unit, street_staff)
    with change(django_capture_on_commit_callbacks) as made:
        overdue.flag_overdue(today=timezone.localdate() + dt.timedelta(days=200))
    assert_told(made, {street_staff: at("complaint-detail", complaint.pk)})


def test_a_complaint_concluded_tells_the_operator_it_was_forwarded_to(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _answered(unit, street_staff, operator)
    with change(django_capture_on_commit_callbacks) as made:
        complaint_services.complaint_conclude(
            complaint=complaint,
            by=street_staff,
            version=complaint.version,
            outcome=Outcome.MEDIATED,
            amount_recovered=Decimal("300.00"),
        )
    assert_told(made, {operator: at("workspace-complaint", complaint.pk)})


def test_a_complaint_never_forwarded_concludes_without_telling_the_operator(
    unit: Unit, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _accepted(unit, street_staff)
    with change(django_capture_on_commit_callbacks) as made:
        complaint_services.complaint_conclude(
            complaint=complaint,
            by=street_staff,
            version=complaint.version,
            outcome=Outcome.MEDIATED,
            amount_recovered=Decimal("300.00"),
        )
    assert_told(made, {})


def test_a_dissatisfied_callback_tells_the_staff_handling_it(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = _answered(unit, street_staff, operator)
    complaint = complaint_services.complaint_conclude(
        complaint=complaint, by=street_staff, version=complaint.version, outcome=Outcome.FAILED
    )
    with change(django_capture_on_commit_callbacks) as made:
        complaint_record_satisfaction(
            complaint=complaint, by=street_staff, answer=Satisfaction.DISSATISFIED
        )
    assert_told(made, {street_staff: at("complaint-detail", complaint.pk)})


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


# --- Reports and imports ------------------------------------------------------------------------
@pytest.mark.slow
def test_a_report_ready_tells_the_staff_member_who_asked_for_it(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with change(django_capture_on_commit_callbacks) as made:
        report, _queued = report_enqueue(
            kind="monthly", period=periods.parse("2025-06"), by=district_staff
        )
    assert_told(made, {district_staff: at("report-detail", report.pk)})


def test_an_import_job_finished_tells_its_uploader(
    district_staff: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 3
    client = client_for(district_staff)
    with change(django_capture_on_commit_callbacks) as made:
        response = client.post(
            reverse("complaint-import"),
            {"file": SimpleUploadedFile("12315.xlsx", complaints_file(5))},
        )
    assert response.status_code == 302
    assert_told(made, {district_staff: response["Location"]})


def test_an_export_job_finished_tells_its_requester(
    district_staff: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 1  # the world has two units
    with change(django_capture_on_commit_callbacks) as made:
        response = client_for(district_staff).get(reverse("unit-export", args=["csv"]))
    assert response.status_code == 302
    assert_told(made, {district_staff: response["Location"]})


# --- The helper itself --------------------------------------------------------------------------


def test_a_link_in_an_email_is_absolute_and_an_absolute_link_is_kept() -> None:
    assert absolute_url("/complaints/7/") == f"{BASE}/complaints/7/"
    assert absolute_url("https://other.example/x") == "https://other.example/x"
    assert absolute_url("") == ""


def test_a_user_without_an_address_is_told_in_the_portal_only(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=operator.pk).update(email="")
    complaint = _accepted(unit, street_staff)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_services.complaint_forward_odr(
            complaint=complaint, by=street_staff, version=complaint.version
        )
    assert Notification.objects.filter(user=operator).count() == 1
    assert mail.outbox == []


def test_a_portal_base_url_without_scheme_and_host_stops_start_up_with_its_name() -> None:
    result = run_manage("check", PORTAL_BASE_URL="fxxf.lvshun.example.gov.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PORTAL_BASE_URL" in result.stderr
