"""The staff complaint list, intake, complaint page and unmasking: per view, per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, Status
from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.workdays import add_workdays, clear_deadline_cache
from tests.complaints.helpers import register
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

RAW_NAME, MASKED_NAME = "欧阳娜娜", "欧阳**"
RAW_PHONE, MASKED_PHONE = "13812345678", "138****5678"
RAW_ID = "210212199001011234"
LIST = reverse("complaint-list")


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit) -> Complaint:
    """A complaint in 登峰街道 against ``unit``, received a week ago."""
    return register(dengfeng, on=today() - dt.timedelta(days=7), unit=unit)


@pytest.fixture
def other_complaint(desheng: Jurisdiction, other_unit: Unit) -> Complaint:
    """A complaint in 得胜街道, outside 登峰 street staff's scope."""
    return register(desheng, on=today() - dt.timedelta(days=3), unit=other_unit)


def detail_url(complaint: Complaint) -> str:
    return reverse("complaint-detail", args=[complaint.pk])


# --- Access ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client: Client, complaint: Complaint) -> None:
    for url in (LIST, reverse("complaint-new"), detail_url(complaint)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_are_refused(
    persona: str, request: pytest.FixtureRequest, complaint: Complaint
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(complaint)).status_code == 403
    assert client.get(reverse("complaint-new")).status_code == 403


def test_operators_use_their_workspace_not_the_staff_pages(
    operator: User, complaint: Complaint, district_staff: User
) -> None:
    services.complaint_accept(complaint=complaint, by=district_staff, version=complaint.version)
    complaint.refresh_from_db()
    services.complaint_forward_odr(
        complaint=complaint, by=district_staff, version=complaint.version
    )
    client = client_for(operator)
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(complaint)).status_code == 404


def test_street_staff_see_only_their_street(
    street_staff: User, complaint: Complaint, other_complaint: Complaint
) -> None:
    client = client_for(street_staff)
    listing = client.get(LIST).content.decode()
    assert complaint.record_no in listing
    assert other_complaint.record_no not in listing
    assert client.get(detail_url(complaint)).status_code == 200
    assert client.get(detail_url(other_complaint)).status_code == 404


def test_leaders_read_the_list_and_page_without_actions(
    leader: User, complaint: Complaint, other_complaint: Complaint
) -> None:
    client = client_for(leader)
    listing = client.get(LIST).content.decode()
    assert complaint.record_no in listing
    assert other_complaint.record_no in listing
    page = client.get(detail_url(complaint))
    assert page.status_code == 200
    assert page.context["actions"] == []
    assert "complaint-unmask" not in page.content.decode()
    assert reverse("complaint-new") not in listing
    assert client.get(reverse("complaint-new")).status_code == 403


# --- Masking ---------------------------------------------------------------------------------


def test_personal_data_is_masked_in_the_list_and_on_the_page(
    district_staff: User, complaint: Complaint
) -> None:
    client = client_for(district_staff)
    for url in (LIST, detail_url(complaint)):
        html = client.get(url).content.decode()
        assert RAW_NAME not in html
        assert RAW_PHONE not in html
        assert RAW_ID not in html
        assert MASKED_NAME in html
        assert MASKED_PHONE in html


def test_staff_unmask_with_a_reason_on_an_uncached_page_and_it_is_audited(
    district_staff: User, complaint: Complaint
) -> None:
    client = client_for(district_staff)
    url = reverse("complaint-unmask", args=[complaint.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert RAW_PHONE not in refused.content.decode()
    response = client.post(url, {"reason": "回电核实诉求"})
    html = response.content.decode()
    assert response.status_code == 200
    assert RAW_NAME in html
    assert RAW_PHONE in html
    assert RAW_ID in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="complaint.unmask", outcome="success")
    assert event.actor == district_staff
    assert event.detail["reason"] == "回电核实诉求"
    # The complaint page itself stays masked afterwards.
    assert RAW_PHONE not in client.get(detail_url(complaint)).content.decode()


@pytest.mark.parametrize("persona", ["leader", "operator"])
def test_leaders_and_operators_cannot_unmask(
    persona: str, request: pytest.FixtureRequest, complaint: Complaint
) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("complaint-unmask", args=[complaint.pk]), {"reason": "想看看"})
    assert response.status_code == 403
    assert RAW_PHONE not in response.content.decode()


def test_street_staff_cannot_unmask_another_streets_complaint(
    street_staff: User, other_complaint: Complaint
) -> None:
    response = client_for(street_staff).post(
        reverse("complaint-unmask", args=[other_complaint.pk]), {"reason": "回电核实诉求"}
    )
    assert response.status_code == 404


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_the_clock_with_working_days_left(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    fresh = register(dengfeng, on=today())
    late = register(dengfeng, on=today() - dt.timedelta(days=30))
    response = client_for(district_staff).get(LIST)
    rows = {c.pk: c.due_state for c in response.context["page"].object_list}
    assert rows[fresh.pk].date == fresh.acceptance_due
    assert rows[fresh.pk].days_left == 7
    assert rows[late.pk].overdue
    assert rows[late.pk].overdue_by > 0
    html = response.content.decode()
    assert f"{fresh.acceptance_due:%Y-%m-%d}" in html


def test_the_list_filters_overdue_and_due_soon(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    overdue = register(dengfeng, on=today() - dt.timedelta(days=30))
    fresh = register(dengfeng, on=today())
    soon = register(dengfeng, on=today() - dt.timedelta(days=20))
    # Force a clock due within 2 working days on ``soon`` (its own would be overdue).
    Complaint.objects.filter(pk=soon.pk).update(current_due=add_workdays(today(), 1))
    client = client_for(district_staff)
    late = client.get(LIST, {"clock": "overdue"}).content.decode()
    assert overdue.record_no in late
    assert fresh.record_no not in late
    assert soon.record_no not in late
    close = client.get(LIST, {"clock": "due_soon"}).content.decode()
    assert soon.record_no in close
    assert overdue.record_no not in close
    assert fresh.record_no not in close


def test_the_list_filters_by_status_respondent_and_date_and_sorts_by_due(
    district_staff: User, complaint: Complaint, other_complaint: Complaint
) -> None:
    client = client_for(district_staff)
    services.complaint_accept(complaint=complaint, by=district_staff, version=complaint.version)
    accepted = client.get(LIST, {"status": Status.ACCEPTED}).content.decode()
    assert complaint.record_no in accepted
    assert other_complaint.record_no not in accepted
    by_name = client.get(LIST, {"respondent": "得胜"}).content.decode()
    assert other_complaint.record_no in by_name
    assert complaint.record_no not in by_name
    since = (today() - dt.timedelta(days=4)).isoformat()
    recent = client.get(LIST, {"received_from": since}).content.decode()
    assert other_complaint.record_no in recent
    assert complaint.record_no not in recent
    ordered = client.get(LIST, {"sort": "due"}).context["page"].object_list
    dues = [c.current_due for c in ordered]
    assert dues == sorted(dues)


def test_a_jurisdiction_outside_the_scope_is_not_a_choice(
    street_staff: User, complaint: Complaint, other_complaint: Complaint, desheng: Jurisdiction
) -> None:
    response = client_for(street_staff).get(LIST, {"jurisdiction": desheng.pk})
    assert other_complaint.record_no not in response.content.decode()


def test_the_export_links_keep_the_filters(district_staff: User, complaint: Complaint) -> None:
    html = client_for(district_staff).get(LIST, {"status": "registered"}).content.decode()
    assert reverse("complaint-export", kwargs={"fmt": "xlsx"}) + "?status=registered" in html
    assert reverse("complaint-import") in html


def test_the_list_query_count_does_not_grow_with_the_rows(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction, unit: Unit
) -> None:
    client = client_for(district_staff)
    soon = add_workdays(today(), 1)

    def queries(params: dict[str, str]) -> int:
        clear_deadline_cache()  # measure cold: the calendar's own queries count every time
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST, params).status_code == 200
        # The session's own bookkeeping (its sliding expiry) is not the page's doing.
        return sum(
            "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            for q in context.captured_queries
        )

    first = register(dengfeng, on=today(), unit=unit)
    Complaint.objects.filter(pk=first.pk).update(current_due=soon)
    few = queries({"sort": "due"}), queries({"clock": "due_soon"})
    for days in range(1, 60):
        place = dengfeng if days % 2 else desheng
        extra = register(
            place, on=today() - dt.timedelta(days=days), unit=unit if days % 3 else None
        )
        if days % 5 == 0:
            Complaint.objects.filter(pk=extra.pk).update(current_due=soon)
    many = queries({"sort": "due"}), queries({"clock": "due_soon"})
    # user, count, page, calendar (2), jurisdiction choices, unread notifications; "due soon"
    # loads the calendar once more for its bound of 2 working days. A list that fits its first
    # page is its own total and is not counted: one complaint, and the dozen due soon.
    assert few == (6, 8)
    assert many == (7, 8)


# --- Intake ------------------------------------------------------------------------------------


def register_form(place: Jurisdiction, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "record_no": "LSK-2026-0001",
        "kind": "complaint",
        "channel": "hotline",
        "received_on": today().isoformat(),
        "received_time": "09:30",
        "complainant_name": "王小明",
        "complainant_phone": "13900002222",
        "complainant_id_number": "",
        "complainant_address": "",
        "respondent_name": "某小吃店",
        "respondent_credit_code": "",
        "respondent_address": "旅顺口区登峰街道某路1号",
        "jurisdiction": place.pk,
        "consumption_kind": "service",
        "category": "price",
        "request_text": "价格欺诈，要求退款。",
        "amount_involved": "120",
    }
    data.update(overrides)
    return data


def test_staff_register_a_complaint_by_hand_linked_by_credit_code(
    street_staff: User, dengfeng: Jurisdiction, unit: Unit
) -> None:
    client = client_for(street_staff)
    assert client.get(reverse("complaint-new")).status_code == 200
    response = client.post(
        reverse("complaint-new"),
        register_form(
            dengfeng,
            respondent_credit_code=unit.credit_code.lower(),
            complainant_id_number="11010519491231002x",
        ),
    )
    complaint = Complaint.objects.get(record_no="LSK-2026-0001")
    assert response.status_code == 302
    assert response["Location"] == detail_url(complaint)
    assert complaint.unit == unit
    assert complaint.status == Status.REGISTERED
    assert complaint.acceptance_due == add_workdays(today(), 7)
    assert complaint.complainant_id_hash


def test_registering_refuses_bad_input_and_writes_nothing(
    street_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction, complaint: Complaint
) -> None:
    client = client_for(street_staff)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    for bad in (
        {"received_on": tomorrow},
        {"complainant_phone": "abc"},
        {"complainant_id_number": "210212199001011234"},
        {"jurisdiction": desheng.pk},  # outside the street's scope
        {"record_no": complaint.record_no},  # taken
        {"amount_involved": "-5"},
    ):
        response = client.post(reverse("complaint-new"), register_form(dengfeng, **bad))
        assert response.status_code == 400, bad
    assert Complaint.objects.count() == 1
