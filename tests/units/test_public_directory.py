"""The public side of the programme: the directory of demonstration units."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lyushunkou.models import Jurisdiction, User
from tests.factories import UnitFactory
from tests.units.public_helpers import (
    DIRECTORY,
    STATION_PHONE,
    approve,
)
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The directory -------------------------------------------------------------------------------


@pytest.fixture
def programme(
    unit: Unit,
    other_unit: Unit,
    operator: User,
    other_operator: User,
    district_staff: User,
    dengfeng: Jurisdiction,
) -> dict[str, Unit]:
    """A valid restaurant in 登峰 (``unit``), a valid shop in 得胜 (``other_unit``), a warned, a
    revoked, an expired and a never-approved unit."""
    approve(unit, operator=operator, staff=district_staff)
    approve(other_unit, operator=other_operator, staff=district_staff, station=False)
    warned = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="预警超市"),
        operator=operator,
        staff=district_staff,
    )
    services.unit_warn(unit=warned, by=district_staff, reason="价格标示不规范")
    revoked = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="撤销商店"),
        operator=operator,
        staff=district_staff,
    )
    services.unit_revoke(unit=revoked, by=district_staff, reason="整改不到位")
    expired = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="过期商店"),
        operator=operator,
        staff=district_staff,
        valid_from=timezone.localdate() - dt.timedelta(days=366),
    )
    never = UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="普通商店")
    return {
        "valid": unit,
        "other": other_unit,
        "warned": warned,
        "revoked": revoked,
        "expired": expired,
        "never": never,
    }


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/u/([^/"]+)/"', html))


def test_the_directory_lists_only_units_valid_today(
    programme: dict[str, Unit], client: Client
) -> None:
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    ids = listed(response.content.decode())
    assert ids == {programme[k].public_id for k in ("valid", "other", "warned")}


def test_the_directory_shows_a_warned_unit_with_its_badge(
    programme: dict[str, Unit], client: Client
) -> None:
    html = client.get(DIRECTORY).content.decode()
    assert html.count('data-plaque-status="warning"') == 1
    assert html.count('data-plaque-status="valid"') == 2


def test_the_directory_filters_by_jurisdiction(
    programme: dict[str, Unit], client: Client, desheng: Jurisdiction
) -> None:
    html = client.get(DIRECTORY, {"jurisdiction": desheng.code}).content.decode()
    assert listed(html) == {programme["other"].public_id}


def test_the_directory_filters_by_industry(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY, {"industry": "catering"}).content.decode()
    assert listed(html) == {programme["valid"].public_id}


def test_the_directory_searches_names(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY, {"q": " 海鲜 "}).content.decode()
    assert listed(html) == {programme["valid"].public_id}


def test_the_directory_ignores_an_unknown_jurisdiction_with_an_error(
    programme: dict[str, Unit], client: Client
) -> None:
    response = client.get(DIRECTORY, {"jurisdiction": "999999999999"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_the_directory_shows_no_personal_data(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY).content.decode()
    assert not re.search(r"1[3-9]\d{9}", html), "a mobile number leaked into the directory"
    assert STATION_PHONE not in html
    for unit in programme.values():
        assert unit.legal_representative not in html
        if unit.contact_person:
            assert unit.contact_person not in html


@pytest.mark.slow
def test_the_directory_query_count_does_not_grow_with_the_data(
    operator: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(40):
        approve(
            UnitFactory.create(jurisdiction=dengfeng, owner=operator, industry="retail"),
            operator=operator,
            staff=district_staff,
            station=n % 2 == 0,
        )
    with django_assert_max_num_queries(4):
        response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(listed(html)) == 30
    assert "page=2" in html
    with django_assert_max_num_queries(5):
        response = client.get(DIRECTORY, {"jurisdiction": dengfeng.code, "page": "2"})
    assert len(listed(response.content.decode())) == 10
