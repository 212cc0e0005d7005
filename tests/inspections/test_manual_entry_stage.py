"""The 抽样环节 field of the hand-entry form (DESIGN.md §6; issue 14 follow-up): optional, the
product category's default when blank, 餐饮服务 for food only — the file import's rule, shared."""

from __future__ import annotations

import pytest

from inspections.imports import import_sampling, stage_error
from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User
from tests.conftest import client_for
from tests.inspections.test_import_stage import csv_file, row
from tests.inspections.test_manual_entry import NEW, form

pytestmark = pytest.mark.django_db


def recorded_stage(client_user: User, jurisdiction: Jurisdiction, **fields: str) -> str:
    response = client_for(client_user).post(NEW, form(jurisdiction, **fields))
    assert response.status_code == 302, response.context["form"].errors
    return SamplingBatch.objects.get(sample_no=fields.get("sample_no", "SC2025HAND01")).stage


def test_the_form_offers_the_stage_blank_by_default(street_staff: User) -> None:
    response = client_for(street_staff).get(NEW)
    field = response.context["form"]["stage"]
    assert field.label == "抽样环节"
    assert [value for value, _label in field.field.choices] == [
        "",
        "production",
        "circulation",
        "catering",
    ]
    assert 'name="stage"' in response.content.decode()


def test_a_blank_stage_of_food_is_circulation(street_staff: User, dengfeng: Jurisdiction) -> None:
    assert recorded_stage(street_staff, dengfeng, stage="") == "circulation"


def test_a_blank_stage_of_key_goods_is_production(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    stage = recorded_stage(street_staff, dengfeng, category="key_goods", subcategory="", stage="")
    assert stage == "production"


def test_a_blank_stage_of_catering_food_is_catering_service(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    stage = recorded_stage(street_staff, dengfeng, subcategory="food_catering", stage="")
    assert stage == "catering"


def test_a_chosen_stage_is_kept(street_staff: User, dengfeng: Jurisdiction) -> None:
    assert recorded_stage(street_staff, dengfeng, stage="production") == "production"


def test_catering_service_is_for_food_only_and_nothing_is_written(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    response = client_for(street_staff).post(
        NEW, form(dengfeng, category="key_goods", subcategory="", stage="catering")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["stage"] == [stage_error("catering", "key_goods")]
    assert "餐饮服务" in response.content.decode()
    assert not SamplingBatch.objects.exists()


def test_catering_service_of_food_is_accepted(street_staff: User, dengfeng: Jurisdiction) -> None:
    assert recorded_stage(street_staff, dengfeng, stage="catering") == "catering"


def test_the_form_and_the_file_import_refuse_with_the_same_message(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    imported = import_sampling(
        content=csv_file(row(产品类别="重点消费品", 抽样环节="餐饮服务")),
        filename="抽检.csv",
        by=street_staff,
    )
    typed = client_for(street_staff).post(
        NEW, form(dengfeng, category="key_goods", subcategory="", stage="catering")
    )
    assert [error.reason for error in imported.errors] == typed.context["form"].errors["stage"]
