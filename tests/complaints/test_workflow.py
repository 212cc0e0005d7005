"""Legal clocks and the complaint workflow, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from complaints import services, services_followup
from complaints.clocks import mediation_due
from complaints.models import Complaint, Status
from lyushunkou import crypto
from lyushunkou.claims import StaleObject
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from tests.complaints.helpers import register
from units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_acceptance_is_due_seven_working_days_after_receipt_around_national_day(
    dengfeng: Jurisdiction,
) -> None:
    complaint = register(dengfeng, on=D(2026, 9, 30))
    assert complaint.acceptance_due == D(2026, 10, 15)
    assert (complaint.current_clock, complaint.current_due) == ("acceptance", D(2026, 10, 15))
    assert complaint.current_due_provisional is False


def test_mediation_is_due_45_working_days_after_acceptance_and_pauses_extend_it(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 9, 28))
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=D(2026, 9, 29)
    )
    assert complaint.mediation_due == mediation_due(D(2026, 9, 29)).date == D(2026, 12, 7)
    services.complaint_pause(
        complaint=complaint, by=street_staff, on=D(2026, 10, 12), reason="送检"
    )
    complaint.refresh_from_db()
    assert complaint.current_due is None  # the clock stops while testing runs
    # Paused Mon 12 Oct to Fri 16 Oct (5 working days), resumed Monday 19 Oct.
    complaint = services.complaint_resume(complaint=complaint, by=street_staff, on=D(2026, 10, 19))
    assert complaint.mediation_due == D(2026, 12, 14)
    assert complaint.current_due == D(2026, 12, 14)


def test_reports_are_due_for_a_case_decision_in_15_working_days(dengfeng: Jurisdiction) -> None:
    report = register(dengfeng, on=D(2026, 9, 30), kind="report")
    assert report.report_due == D(2026, 10, 27)  # 8-10 (10th a make-up day), 12-16, 19-23, 26, 27
    assert report.current_clock == "report"


def test_the_id_number_is_encrypted_at_rest_and_found_by_keyed_hash(dengfeng: Jurisdiction) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_complaint WHERE id = %s", [complaint.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "210212199001011234" not in row
    assert (
        Complaint.objects.get(complainant_id_hash=crypto.keyed_hash("210212 19900101 1234"))
        == complaint
    )


def test_the_respondent_is_linked_to_a_unit_by_credit_code(
    dengfeng: Jurisdiction, unit: Unit
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2), unit=unit)
    assert complaint.unit == unit
    loose = register(dengfeng, on=D(2026, 11, 2))
    assert loose.unit is None
    assert loose.respondent_name == "某海鲜排档"


def test_full_odr_path_to_a_mediated_conclusion(
    dengfeng: Jurisdiction, unit: Unit, street_staff: User, operator: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2), unit=unit)
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    complaint = services.complaint_forward_odr(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    assert complaint.status == Status.ODR
    assert complaint.current_clock == "odr"
    assert Notification.objects.filter(user=operator).count() == 1
    complaint = services.complaint_odr_respond(
        complaint=complaint,
        by=operator,
        version=complaint.version,
        response="proposal",
        text="同意退还差价300元。",
    )
    assert complaint.status == Status.MEDIATING
    assert complaint.current_clock == "mediation"
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=street_staff,
        version=complaint.version,
        outcome="mediated",
        amount_recovered=Decimal("300.00"),
    )
    assert complaint.status == Status.CONCLUDED
    assert complaint.amount_recovered == Decimal("300.00")
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions == ["registered", "accepted", "forwarded", "odr_responded", "concluded"]


def test_concluding_before_accepting_is_refused(dengfeng: Jurisdiction, street_staff: User) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    with pytest.raises(StaleObject):
        services.complaint_conclude(
            complaint=complaint, by=street_staff, version=complaint.version, outcome="mediated"
        )


def test_a_double_submitted_accept_makes_one_step(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    version = complaint.version
    services.complaint_accept(complaint=complaint, by=street_staff, version=version)
    with pytest.raises(StaleObject):
        services.complaint_accept(complaint=complaint, by=street_staff, version=version)
    assert complaint.events.filter(action="accepted").count() == 1


def test_an_unanswered_odr_escalates_and_a_late_answer_is_refused(
    dengfeng: Jurisdiction, unit: Unit, street_staff: User, operator: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2), unit=unit)
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=D(2026, 11, 3)
    )
    complaint = services.complaint_forward_odr(
        complaint=complaint, by=street_staff, version=complaint.version, on=D(2026, 11, 4)
    )
    assert complaint.odr_due == D(2026, 11, 18)
    assert services.escalate_overdue_odr(today=D(2026, 11, 18)) == 0
    assert services.escalate_overdue_odr(today=D(2026, 11, 19)) == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATING
    assert complaint.odr_escalated
    assert Notification.objects.filter(user=street_staff, key__endswith="escalated").exists()
    with pytest.raises(StaleObject):
        services.complaint_odr_respond(
            complaint=complaint,
            by=operator,
            version=complaint.version,
            response="settled",
            text="已和解",
        )


def test_refusal_needs_an_article_15_ground(dengfeng: Jurisdiction, street_staff: User) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    with pytest.raises(ValidationError):
        services.complaint_refuse(
            complaint=complaint, by=street_staff, version=complaint.version, ground=""
        )
    complaint = services.complaint_refuse(
        complaint=complaint, by=street_staff, version=complaint.version, ground="elsewhere"
    )
    assert complaint.status == Status.REFUSED
    assert complaint.outcome == "refused"


def test_termination_needs_a_ground_and_sets_the_notice_deadline(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 9, 21))
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=D(2026, 9, 22)
    )
    with pytest.raises(ValidationError):
        services.complaint_conclude(
            complaint=complaint, by=street_staff, version=complaint.version, outcome="terminated"
        )
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=street_staff,
        version=complaint.version,
        outcome="terminated",
        termination_ground="absent",
        on=D(2026, 9, 30),
    )
    assert complaint.termination_notice_due == D(2026, 10, 15)


def test_reopening_is_a_recorded_step(dengfeng: Jurisdiction, street_staff: User) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    complaint = services.complaint_conclude(
        complaint=complaint, by=street_staff, version=complaint.version, outcome="failed"
    )
    with pytest.raises(ValidationError):
        services.complaint_reopen(
            complaint=complaint, by=street_staff, version=complaint.version, reason=" "
        )
    complaint = services.complaint_reopen(
        complaint=complaint, by=street_staff, version=complaint.version, reason="消费者提供新证据"
    )
    assert complaint.status == Status.MEDIATING
    assert complaint.outcome == ""
    assert list(complaint.events.values_list("action", flat=True))[-2:] == ["concluded", "reopened"]


def test_the_callback_link_works_once_and_dissatisfaction_notifies_staff(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    complaint = services.complaint_conclude(
        complaint=complaint, by=street_staff, version=complaint.version, outcome="failed"
    )
    token = services_followup.callback_link_create(complaint=complaint, by=street_staff)
    assert services_followup.callback_link_for(token) is not None
    services_followup.complaint_record_satisfaction(
        complaint=complaint, by=None, answer="dissatisfied", token=token
    )
    assert services_followup.callback_link_for(token) is None
    with pytest.raises(StaleObject):
        services_followup.complaint_record_satisfaction(
            complaint=complaint, by=None, answer="satisfied", token=token
        )
    complaint.refresh_from_db()
    assert complaint.satisfaction == "dissatisfied"
    assert complaint.satisfaction_via_link
    assert Notification.objects.filter(user=street_staff, key__contains="dissatisfied").exists()


def test_unmasking_needs_a_reason_and_the_permission_and_is_audited(
    dengfeng: Jurisdiction, street_staff: User, leader: User
) -> None:
    complaint = register(dengfeng, on=D(2026, 11, 2))
    with pytest.raises(ValidationError):
        services_followup.complaint_unmask(complaint=complaint, by=leader, reason="想看看")
    with pytest.raises(ValidationError):
        services_followup.complaint_unmask(complaint=complaint, by=street_staff, reason="")
    data = services_followup.complaint_unmask(
        complaint=complaint, by=street_staff, reason="电话联系投诉人调解"
    )
    assert data["id_number"] == "210212199001011234"
    event = AuditEvent.objects.get(action="complaint.unmask", actor=street_staff)
    assert event.detail["reason"] == "电话联系投诉人调解"
    assert AuditEvent.objects.filter(
        action="complaint.unmask", actor=leader, outcome="denied"
    ).exists()


def test_a_future_receipt_date_is_refused(dengfeng: Jurisdiction) -> None:
    with pytest.raises(ValidationError):
        register(dengfeng, on=D(2099, 1, 4))


def test_report_path(dengfeng: Jurisdiction, street_staff: User) -> None:
    report = register(dengfeng, on=D(2026, 11, 2), kind="report")
    report = services.report_verify(complaint=report, by=street_staff, version=report.version)
    report = services.report_decide(
        complaint=report,
        by=street_staff,
        version=report.version,
        open_case=True,
        reason="经核查，涉嫌价格违法",
    )
    assert report.status == Status.CASE_OPENED


def test_concluding_ends_a_running_pause_and_a_concluded_complaint_cannot_be_resumed(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    # A stale "resume" form would otherwise restart the mediation clock on a closed complaint.
    complaint = register(dengfeng, on=D(2026, 9, 28))
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=D(2026, 9, 29)
    )
    services.complaint_pause(
        complaint=complaint, by=street_staff, on=D(2026, 10, 12), reason="送检"
    )
    complaint.refresh_from_db()
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=street_staff,
        version=complaint.version,
        outcome="withdrawn",
        on=D(2026, 10, 20),
    )
    assert list(complaint.pauses.values_list("ended_on", flat=True)) == [D(2026, 10, 20)]
    with pytest.raises(services.StaleObject):
        services.complaint_resume(complaint=complaint, by=street_staff, on=D(2026, 10, 21))
    complaint.refresh_from_db()
    assert (complaint.status, complaint.current_due) == ("concluded", None)


def test_every_step_the_services_offer_has_a_form_on_the_complaint_page() -> None:
    from complaints import services
    from complaints.views_staff import ACTIONS

    assert list(ACTIONS) == list(services.STEPS)
