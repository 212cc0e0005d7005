"""Linking complaints and sampling batches to units after intake (issue 19 item 4): staff of the
record's street see it with suggested units and link it, audited; a record linked meanwhile is
refused; leaders, operators and other streets' staff cannot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from inspections.models import SamplingBatch
from lyushunkou.models import AuditEvent, Jurisdiction, Role, User
from supervision import services_links
from tests.conftest import client_for, make_user
from tests.inspections.helpers import batch
from tests.supervision.helpers import add_complaints
from units.models import Unit

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 10, 12)


def orphan(jurisdiction: Jurisdiction, name: str, code: str = "", address: str = "") -> Complaint:
    """A complaint recorded without a unit, naming ``name`` as the respondent."""
    complaint = add_complaints(jurisdiction, 1, on=ON)[0]
    Complaint.objects.filter(pk=complaint.pk).update(
        respondent_name=name, respondent_credit_code=code, respondent_address=address
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员壬")


@pytest.fixture
def complaint(unit: Unit, dengfeng: Jurisdiction) -> Complaint:
    return orphan(dengfeng, "旅顺老街海鲜馆", address="旅顺口区登峰街道黄河路1号")


@pytest.fixture
def sample(unit: Unit, dengfeng: Jurisdiction, street_staff: User) -> SamplingBatch:
    return batch(street_staff, dengfeng, sampled_unit_name="老街海鲜馆")


def test_street_staff_see_their_streets_unlinked_records_with_the_named_unit_first(
    complaint: Complaint,
    sample: SamplingBatch,
    unit: Unit,
    other_unit: Unit,
    desheng: Jurisdiction,
    street_staff: User,
) -> None:
    orphan(desheng, "得胜日用百货店")  # another street's
    add_complaints(unit.jurisdiction, 1, on=ON, unit=unit)  # linked already
    response = client_for(street_staff).get(reverse("link-list"))
    assert response.status_code == 200
    [row] = response.context["complaint_rows"]
    assert row.record.pk == complaint.pk
    assert [(s.reasons, u.pk) for s, u in row.suggestions] == [(("name_equal", "address"), unit.pk)]
    [batch_row] = response.context["batch_rows"]
    assert batch_row.record.pk == sample.pk
    assert [u.pk for _, u in batch_row.suggestions] == [unit.pk]


def test_units_of_another_street_are_not_suggested_to_a_streets_staff(
    unit: Unit, other_unit: Unit, dengfeng: Jurisdiction, street_staff: User
) -> None:
    orphan(dengfeng, other_unit.name, other_unit.credit_code)
    [row] = client_for(street_staff).get(reverse("link-list")).context["complaint_rows"]
    assert row.suggestions == []


def test_accepting_a_suggestion_links_the_complaint_and_audits_it(
    complaint: Complaint, unit: Unit, street_staff: User
) -> None:
    url = reverse("link-record", args=["complaint", complaint.pk])
    response = client_for(street_staff).post(url, {"unit": unit.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.unit_id == unit.pk
    assert complaint.version == 2
    event = AuditEvent.objects.get(action="complaint.unit_linked")
    assert event.actor_id == street_staff.pk


def test_a_batch_is_linked_by_credit_code_through_the_sampling_service(
    sample: SamplingBatch, unit: Unit, district_staff: User
) -> None:
    url = reverse("link-record", args=["batch", sample.pk])
    code = unit.credit_code.lower()
    response = client_for(district_staff).post(url, {"credit_code": f" {code} "})
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.unit_id == unit.pk
    assert AuditEvent.objects.filter(action="sampling.unit_linked", actor=district_staff).exists()


def test_an_unknown_credit_code_is_refused_naming_the_field(
    complaint: Complaint, street_staff: User
) -> None:
    url = reverse("link-record", args=["complaint", complaint.pk])
    response = client_for(street_staff).post(url, {"credit_code": "91210212MA0000000X"})
    assert response.status_code == 400
    assert "credit_code" in response.context["failed_form"].errors
    assert b'data-testid="link-errors"' in response.content
    complaint.refresh_from_db()
    assert complaint.unit_id is None


def test_nothing_chosen_is_refused(complaint: Complaint, street_staff: User) -> None:
    url = reverse("link-record", args=["complaint", complaint.pk])
    response = client_for(street_staff).post(url, {})
    assert response.status_code == 400
    assert "credit_code" in response.context["failed_form"].errors


@pytest.mark.parametrize("kind", ["complaint", "batch"])
def test_a_record_linked_meanwhile_is_refused_and_keeps_the_first_link(
    kind: str,
    complaint: Complaint,
    sample: SamplingBatch,
    unit: Unit,
    other_unit: Unit,
    district_staff: User,
    street_staff: User,
) -> None:
    model: Any = Complaint if kind == "complaint" else SamplingBatch
    pk = complaint.pk if kind == "complaint" else sample.pk
    mine, theirs = model.objects.get(pk=pk), model.objects.get(pk=pk)  # both read it unlinked
    services_links.record_link_unit(record=theirs, unit=other_unit, by=district_staff)
    with pytest.raises(services_links.AlreadyLinked):
        services_links.record_link_unit(record=mine, unit=unit, by=street_staff)
    assert model.objects.get(pk=pk).unit_id == other_unit.pk


def test_the_page_refuses_a_record_already_linked(
    complaint: Complaint, unit: Unit, other_unit: Unit, district_staff: User
) -> None:
    services_links.record_link_unit(record=complaint, unit=other_unit, by=district_staff)
    url = reverse("link-record", args=["complaint", complaint.pk])
    response = client_for(district_staff).post(url, {"unit": unit.pk}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    complaint.refresh_from_db()
    assert complaint.unit_id == other_unit.pk


def test_another_streets_staff_neither_list_nor_link_the_record(
    complaint: Complaint, unit: Unit, desheng_staff: User
) -> None:
    client = client_for(desheng_staff)
    assert client.get(reverse("link-list")).context["complaint_rows"] == []
    url = reverse("link-record", args=["complaint", complaint.pk])
    assert client.post(url, {"unit": unit.pk}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.unit_id is None


@pytest.mark.parametrize("persona", ["leader", "operator"])
def test_leaders_and_operators_are_refused(
    persona: str, complaint: Complaint, unit: Unit, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("link-list")).status_code == 403
    url = reverse("link-record", args=["complaint", complaint.pk])
    assert client.post(url, {"unit": unit.pk}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.unit_id is None


def test_anonymous_visitors_are_sent_to_log_in(complaint: Complaint, client: Any) -> None:
    response = client.get(reverse("link-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    url = reverse("link-record", args=["complaint", complaint.pk])
    assert client.post(url, {"credit_code": "x"}).status_code == 302


def _queries(user: User) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("link-list")).status_code == 200
    return len(captured)


def test_the_pages_query_count_does_not_grow_with_the_records(
    complaint: Complaint, sample: SamplingBatch, dengfeng: Jurisdiction, street_staff: User
) -> None:
    few = _queries(street_staff)
    for n in range(8):
        orphan(dengfeng, f"登峰商户{n}号店", address=f"登峰街道黄河路{n}号")
        batch(street_staff, dengfeng, sampled_unit_name=f"登峰超市{n}")
    assert _queries(street_staff) == few == 11
