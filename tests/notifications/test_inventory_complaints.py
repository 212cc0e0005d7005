"""Notifications of the complaints' changes (issue 15 item 4; docs/notifications.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from complaints import overdue
from complaints import services as complaint_services
from complaints.models import Complaint, Outcome, Satisfaction
from complaints.services_followup import complaint_record_satisfaction
from lyushunkou.models import User
from tests.notifications.helpers import accepted, assert_told, at, change
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- Complaints ---------------------------------------------------------------------------------


def _forwarded(unit: Unit, staff: User, days_ago: int = 0) -> Complaint:
    complaint = accepted(unit, staff, days_ago=days_ago + 1)
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
    complaint = accepted(unit, street_staff)
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
    complaint = accepted(unit, street_staff)
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
    complaint = accepted(unit, street_staff)
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
