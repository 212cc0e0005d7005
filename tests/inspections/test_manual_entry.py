"""Recording one sampling batch by hand, and linking an unlinked batch to a unit, per role."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.urls import reverse

from inspections.models import SamplingBatch
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.inspections.helpers import batch
from units.models import Unit

pytestmark = pytest.mark.django_db

NEW = reverse("sampling-new")


def form(jurisdiction: Jurisdiction, **fields: str) -> dict[str, str]:
    data = {
        "sample_no": "SC2025HAND01",
        "sampled_on": "2025-06-10",
        "sampling_type": "supervisory",
        "category": "food",
        "subcategory": "food_oil",
        "product_name": "花生油",
        "specification": "5L",
        "batch_or_production_date": "2025-05-01",
        "sampled_unit_name": "旅顺口区示例超市",
        "sampled_unit_credit_code": "",
        "sampled_unit_address": "黄河路3号",
        "jurisdiction": str(jurisdiction.pk),
        "nominal_manufacturer": "某油脂公司",
        "lab": "大连市产品质量检验检测研究院",
        "result": "pass",
        "failed_items": "",
        "retest_result": "",
        "disposal": "",
        "disposal_on": "",
    }
    data.update(fields)
    return data


# --- Manual entry ----------------------------------------------------------------------------


def test_street_staff_record_a_batch_linked_by_a_messy_credit_code(
    street_staff: User, dengfeng: Jurisdiction, unit: Unit
) -> None:
    client = client_for(street_staff)
    assert client.get(NEW).status_code == 200
    messy = " ".join([unit.credit_code[:6], unit.credit_code[6:].lower()])
    response = client.post(NEW, form(dengfeng, sampled_unit_credit_code=messy))
    assert response.status_code == 302
    recorded = SamplingBatch.objects.get()
    assert recorded.unit == unit
    assert recorded.sampled_unit_credit_code == unit.credit_code
    assert recorded.created_by == street_staff
    assert recorded.final_result == "pass"
    assert response["Location"] == reverse("sampling-detail", args=[recorded.pk])
    assert AuditEvent.objects.filter(action="sampling.recorded", actor=street_staff).exists()


def test_an_unknown_code_keeps_the_unit_as_given_and_pending_is_allowed(
    district_staff: User, desheng: Jurisdiction
) -> None:
    code = generate_credit_code(random.Random(99))
    response = client_for(district_staff).post(
        NEW, form(desheng, sampled_unit_credit_code=code, result="pending")
    )
    assert response.status_code == 302
    recorded = SamplingBatch.objects.get()
    assert recorded.unit is None
    assert recorded.final_result == "pending"
    assert (recorded.sampled_unit_name, recorded.sampled_unit_credit_code) == (
        "旅顺口区示例超市",
        code,
    )
    assert recorded.sampled_unit_address == "黄河路3号"


def test_a_failure_with_a_disposal_goes_through_the_services(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    data = form(dengfeng, result="fail", failed_items="酸价", disposal="delisted")
    data["disposal_on"] = "2025-06-20"
    assert client_for(district_staff).post(NEW, data).status_code == 302
    recorded = SamplingBatch.objects.get()
    assert [d.kind for d in recorded.disposals.all()] == ["delisted"]


def test_errors_come_back_on_the_form_and_nothing_is_written(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    client = client_for(street_staff)
    failed = client.post(NEW, form(dengfeng, result="fail"))
    assert failed.status_code == 400
    assert "failed_items" in failed.context["form"].errors
    future = client.post(NEW, form(dengfeng, sampled_on="2999-01-01"))
    assert "sampled_on" in future.context["form"].errors
    bad_code = client.post(NEW, form(dengfeng, sampled_unit_credit_code="12345"))
    assert "sampled_unit_credit_code" in bad_code.context["form"].errors
    wrong_sub = client.post(NEW, form(dengfeng, subcategory="key_goods_children"))
    assert "subcategory" in wrong_sub.context["form"].errors
    disposal = client.post(NEW, form(dengfeng, disposal="recalled"))
    assert "disposal" in disposal.context["form"].errors
    assert SamplingBatch.objects.count() == 0


def test_a_duplicate_sample_number_is_refused(street_staff: User, dengfeng: Jurisdiction) -> None:
    batch(street_staff, dengfeng, sample_no="SC2025HAND01")
    response = client_for(street_staff).post(NEW, form(dengfeng))
    assert response.status_code == 400
    assert "sample_no" in response.context["form"].errors
    assert SamplingBatch.objects.count() == 1


def test_street_staff_record_only_in_their_jurisdiction(
    street_staff: User, desheng: Jurisdiction
) -> None:
    client = client_for(street_staff)
    page = client.get(NEW)
    codes = {j.code for j in page.context["form"].fields["jurisdiction"].queryset}
    assert codes
    assert DESHENG not in codes
    assert all(code.startswith("210212") for code in codes)
    response = client.post(NEW, form(desheng))
    assert response.status_code == 400
    assert "jurisdiction" in response.context["form"].errors
    assert SamplingBatch.objects.count() == 0


def test_district_staff_reach_every_street(district_staff: User) -> None:
    page = client_for(district_staff).get(NEW)
    codes = {j.code for j in page.context["form"].fields["jurisdiction"].queryset}
    assert {DENGFENG, DESHENG} <= codes


def test_the_sampling_list_links_the_page_for_staff_only(
    district_staff: User, leader: User
) -> None:
    assert NEW in client_for(district_staff).get(reverse("sampling-list")).content.decode()
    assert NEW not in client_for(leader).get(reverse("sampling-list")).content.decode()


def test_leaders_cannot_record(leader: User, dengfeng: Jurisdiction) -> None:
    client = client_for(leader)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form(dengfeng)).status_code == 403
    assert SamplingBatch.objects.count() == 0


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "auditor"])
def test_other_roles_cannot_record(
    persona: str, request: pytest.FixtureRequest, dengfeng: Jurisdiction
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form(dengfeng)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(db: None) -> None:
    assert Client().get(NEW).status_code == 302


# --- Linking a batch to a unit ---------------------------------------------------------------


@pytest.fixture
def unlinked(district_staff: User, dengfeng: Jurisdiction) -> SamplingBatch:
    return batch(district_staff, dengfeng, sampled_unit_name="未登记的店")


def link_url(batch_: SamplingBatch) -> str:
    return reverse("sampling-link", args=[batch_.pk])


def test_staff_see_the_link_form_and_link_by_credit_code(
    street_staff: User, unlinked: SamplingBatch, unit: Unit
) -> None:
    client = client_for(street_staff)
    detail = client.get(reverse("sampling-detail", args=[unlinked.pk])).content.decode()
    assert link_url(unlinked) in detail
    response = client.post(link_url(unlinked), {"link-credit_code": unit.credit_code.lower()})
    assert response.status_code == 302
    unlinked.refresh_from_db()
    assert unlinked.unit == unit
    assert AuditEvent.objects.filter(action="sampling.unit_linked", actor=street_staff).exists()
    after = client.get(reverse("sampling-detail", args=[unlinked.pk])).content.decode()
    assert link_url(unlinked) not in after


def test_an_unknown_code_is_refused_with_a_clear_message(
    street_staff: User, unlinked: SamplingBatch
) -> None:
    code = generate_credit_code(random.Random(77))
    response = client_for(street_staff).post(link_url(unlinked), {"link-credit_code": code})
    assert response.status_code == 400
    assert response.context["link_form"].errors["credit_code"] == [
        f"没有统一社会信用代码为{code}的已登记经营主体。"
    ]
    unlinked.refresh_from_db()
    assert unlinked.unit is None


def test_a_unit_outside_the_scope_is_refused(
    street_staff: User, unlinked: SamplingBatch, other_unit: Unit
) -> None:
    response = client_for(street_staff).post(
        link_url(unlinked), {"link-credit_code": other_unit.credit_code}
    )
    assert response.status_code == 400
    message = response.context["link_form"].errors["credit_code"][0]
    assert other_unit.credit_code in message
    assert "不在您的辖区内" in message
    unlinked.refresh_from_db()
    assert unlinked.unit is None


def test_street_staff_cannot_link_a_batch_of_another_street(
    street_staff: User, district_staff: User, desheng: Jurisdiction, unit: Unit
) -> None:
    elsewhere = batch(district_staff, desheng)
    response = client_for(street_staff).post(
        link_url(elsewhere), {"link-credit_code": unit.credit_code}
    )
    assert response.status_code == 404


def test_leaders_and_operators_cannot_link(
    leader: User, operator: User, unlinked: SamplingBatch, unit: Unit
) -> None:
    detail = client_for(leader).get(reverse("sampling-detail", args=[unlinked.pk]))
    assert link_url(unlinked) not in detail.content.decode()
    for user in (leader, operator):
        response = client_for(user).post(link_url(unlinked), {"link-credit_code": unit.credit_code})
        assert response.status_code == 403
    unlinked.refresh_from_db()
    assert unlinked.unit is None
