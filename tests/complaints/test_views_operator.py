"""The operator's view of complaints against their units, and the unit-page sections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Status
from lyushunkou.models import Jurisdiction, User
from tests.complaints.helpers import register
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("workspace-complaints")
RAW_NAME, RAW_PHONE = "欧阳娜娜", "13812345678"


def today() -> dt.date:
    return timezone.localdate()


def forwarded(complaint: Complaint, by: User) -> Complaint:
    complaint = services.complaint_accept(complaint=complaint, by=by, version=complaint.version)
    return services.complaint_forward_odr(complaint=complaint, by=by, version=complaint.version)


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit, district_staff: User) -> Complaint:
    """Forwarded to ``operator`` (who runs ``unit``)."""
    return forwarded(
        register(dengfeng, on=today() - dt.timedelta(days=3), unit=unit), district_staff
    )


def page_url(complaint: Complaint) -> str:
    return reverse("workspace-complaint", args=[complaint.pk])


def respond(client: Client, complaint: Complaint, **data: Any) -> Any:
    complaint.refresh_from_db()
    payload = {"version": complaint.version, "response": "proposal", "text": "同意退还差价"}
    return client.post(page_url(complaint), {**payload, **data})


def test_the_operator_sees_forwarded_complaints_masked_with_the_odr_due_date(
    operator: User, complaint: Complaint
) -> None:
    client = client_for(operator)
    listing = client.get(LIST).content.decode()
    assert complaint.record_no in listing
    assert f"{complaint.odr_due:%Y-%m-%d}" in listing
    page = client.get(page_url(complaint)).content.decode()
    for html in (listing, page):
        assert RAW_NAME not in html
        assert RAW_PHONE not in html
        assert "欧阳**" in html
    assert "138****5678" in page


def test_not_yet_forwarded_complaints_and_reports_are_never_shown(
    operator: User, dengfeng: Jurisdiction, unit: Unit, district_staff: User
) -> None:
    waiting = register(dengfeng, on=today(), unit=unit)
    report = register(dengfeng, on=today(), unit=unit, kind="report")
    client = client_for(operator)
    listing = client.get(LIST).content.decode()
    assert waiting.record_no not in listing
    assert report.record_no not in listing
    assert client.get(page_url(waiting)).status_code == 404
    assert client.get(page_url(report)).status_code == 404
    unit_page = client.get(reverse("workspace-unit", args=[unit.pk])).content.decode()
    assert report.record_no not in unit_page
    assert waiting.record_no not in unit_page


def test_another_operators_complaint_is_404(other_operator: User, complaint: Complaint) -> None:
    client = client_for(other_operator)
    assert complaint.record_no not in client.get(LIST).content.decode()
    assert client.get(page_url(complaint)).status_code == 404
    assert respond(client, complaint).status_code == 404


@pytest.mark.parametrize("persona", ["district_staff", "leader", "sysadmin", "auditor"])
def test_only_operators_use_the_workspace(
    persona: str, request: pytest.FixtureRequest, complaint: Complaint
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(page_url(complaint)).status_code == 403


def test_anonymous_is_sent_to_login(client: Client, complaint: Complaint) -> None:
    assert client.get(LIST).status_code == 302
    assert client.get(page_url(complaint)).status_code == 302


def test_the_operator_responds_once_and_the_form_is_gone(
    operator: User, complaint: Complaint
) -> None:
    client = client_for(operator)
    stale = complaint.version
    assert respond(client, complaint, text="").status_code == 400
    assert respond(client, complaint).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATING
    assert complaint.odr_response == "proposal"
    page = client.get(page_url(complaint))
    assert page.context["form"] is None
    assert 'data-testid="odr-closed"' in page.content.decode()
    again = client.post(
        page_url(complaint), {"version": stale, "response": "settled", "text": "已和解"}
    )
    assert again.status_code == 302
    complaint.refresh_from_db()
    assert complaint.odr_response == "proposal"


def test_after_escalation_the_operator_can_no_longer_respond(
    operator: User, complaint: Complaint
) -> None:
    assert complaint.odr_due is not None
    services.escalate_overdue_odr(today=complaint.odr_due + dt.timedelta(days=1))
    client = client_for(operator)
    page = client.get(page_url(complaint))
    assert page.context["form"] is None
    assert 'data-testid="odr-closed"' in page.content.decode()
    respond(client, complaint)
    complaint.refresh_from_db()
    assert complaint.odr_response == ""
    assert complaint.odr_escalated


def test_staff_see_the_response_on_the_complaint_page(
    operator: User, district_staff: User, complaint: Complaint
) -> None:
    respond(client_for(operator), complaint, text="愿意退还全部差价")
    page = client_for(district_staff).get(reverse("complaint-detail", args=[complaint.pk]))
    assert "愿意退还全部差价" in page.content.decode()


# --- Unit page sections ----------------------------------------------------------------------


def test_the_staff_unit_page_lists_the_units_complaints_masked(
    street_staff: User, unit: Unit, complaint: Complaint, dengfeng: Jurisdiction
) -> None:
    report = register(dengfeng, on=today(), unit=unit, kind="report")
    html = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'data-testid="unit-complaints"' in html
    assert complaint.record_no in html
    assert report.record_no in html
    assert RAW_NAME not in html
    assert "欧阳**" in html


def test_the_operator_unit_page_lists_forwarded_complaints(
    operator: User, unit: Unit, complaint: Complaint
) -> None:
    html = client_for(operator).get(reverse("workspace-unit", args=[unit.pk])).content.decode()
    assert complaint.record_no in html
    assert RAW_NAME not in html
