"""Every factory of tests/factories builds a valid, saved row: what the database holds passes the
model's own validation (credit codes, choices, constraints), so a test built on a factory starts
from data the portal could have written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import pytest
from django.db.models import Model
from factory.django import DjangoModelFactory

from lyushunkou.credit_codes import validate_credit_code
from lyushunkou.models import Jurisdiction, Role
from tests.conftest import DENGFENG, PASSWORD
from tests.factories import (
    ComplaintFactory,
    JurisdictionFactory,
    SamplingBatchFactory,
    ServiceStationFactory,
    UnitFactory,
    UnitScoreFactory,
    UserFactory,
)
from units.credit_codes import entity_kind_for
from units.models import ServiceStation

pytestmark = pytest.mark.django_db

M = TypeVar("M", bound=Model)


def saved_and_valid(row: M) -> M:
    """``row`` as the database holds it, after its model's full validation passed."""
    stored = type(row)._default_manager.get(pk=row.pk)
    stored.full_clean()
    return stored


@pytest.mark.parametrize(
    "factory",
    [
        JurisdictionFactory,
        UserFactory,
        UnitFactory,
        ServiceStationFactory,
        ComplaintFactory,
        SamplingBatchFactory,
        UnitScoreFactory,
    ],
)
def test_it_saves_a_valid_row(factory: type[DjangoModelFactory[Any]]) -> None:
    saved_and_valid(factory.create())


@pytest.mark.parametrize(
    "factory",
    [UserFactory, UnitFactory, ComplaintFactory, SamplingBatchFactory, UnitScoreFactory],
)
def test_two_rows_of_a_factory_are_both_valid(factory: type[DjangoModelFactory[Any]]) -> None:
    first, second = factory.create_batch(2)
    saved_and_valid(first)
    saved_and_valid(second)


def test_a_jurisdiction_is_a_street_of_the_district() -> None:
    street = JurisdictionFactory.create()
    assert street.kind == Jurisdiction.Kind.STREET
    assert street.parent is not None
    assert street.parent.kind == Jurisdiction.Kind.DISTRICT


def test_a_user_is_an_operator_who_logs_in_with_the_suites_password() -> None:
    user = UserFactory.create()
    assert user.role == Role.OPERATOR
    assert user.jurisdiction is None
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("traits", "role", "street"),
    [
        ({"staff": True}, Role.STAFF, None),
        ({"street_staff": True}, Role.STAFF, DENGFENG),
        ({"leader": True}, Role.LEADER, None),
        ({"role": Role.AUDITOR}, Role.AUDITOR, None),
    ],
)
def test_traits_give_the_roles(traits: dict[str, object], role: str, street: str | None) -> None:
    user = saved_and_valid(UserFactory.create(**traits))
    assert user.role == role
    assert (user.jurisdiction.code if user.jurisdiction else None) == street


def test_a_units_credit_code_passes_the_check_digit_and_declares_its_kind() -> None:
    unit = UnitFactory.create()
    validate_credit_code(unit.credit_code)
    assert entity_kind_for(unit.credit_code) == unit.kind


def test_units_differ_in_code_and_public_id() -> None:
    units = UnitFactory.create_batch(5)
    assert len({u.credit_code for u in units}) == 5
    assert len({u.public_id for u in units}) == 5


def test_a_units_address_is_in_its_jurisdiction() -> None:
    street = JurisdictionFactory.create()
    unit = UnitFactory.create(jurisdiction=street)
    assert street.name in unit.address


def test_a_certified_unit_is_a_demonstration_unit_with_a_valid_certificate() -> None:
    unit = saved_and_valid(UnitFactory.create(certified=True))
    assert unit.plaque_status() == "valid"


def test_a_station_belongs_to_its_unit() -> None:
    station = ServiceStationFactory.create()
    assert ServiceStation.objects.get(unit=station.unit) == station


def test_a_complaint_names_its_units_respondent() -> None:
    complaint = saved_and_valid(ComplaintFactory.create())
    assert complaint.unit is not None
    assert complaint.respondent_credit_code == complaint.unit.credit_code
    assert complaint.jurisdiction_id == complaint.unit.jurisdiction_id


def test_a_complaint_without_a_unit_is_valid_when_the_respondent_is_given() -> None:
    street = JurisdictionFactory.create()
    complaint = ComplaintFactory.create(
        unit=None,
        respondent_name="某海鲜排档",
        respondent_address="旅顺口区某路1号",
        jurisdiction=street,
    )
    saved_and_valid(complaint)


def test_a_failed_batch_names_its_items_and_the_retest_decides() -> None:
    batch = saved_and_valid(SamplingBatchFactory.create(result="fail", retest_result="pass"))
    assert batch.failed_items != ""
    assert batch.final_result == "pass"


def test_a_scores_total_and_grade_follow_its_points() -> None:
    score = saved_and_valid(UnitScoreFactory.create(quality=Decimal("10.0")))
    assert score.total == Decimal("82.0")
    assert score.grade == "B"
