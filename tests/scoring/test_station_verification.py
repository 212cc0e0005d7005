"""Staff verify a unit's 12315 service station (rubric v2 counts only a verified station)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.scoring.conftest import make_unit
from units import services
from units.models import ServiceStation

pytestmark = pytest.mark.django_db


def test_street_staff_verify_a_station_of_their_street(
    street_staff: User, dengfeng: Jurisdiction
) -> None:
    unit = make_unit("服务站超市", dengfeng, station=True)
    page = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk]))
    assert b'data-testid="station-verify-form"' in page.content
    response = client_for(street_staff).post(
        reverse("station-verify", args=[unit.pk]), {"note": "现场查看了服务站标识和值班表。"}
    )
    assert response.status_code == 302
    station = ServiceStation.objects.get(unit=unit)
    assert (station.verified_by, station.verified_at is not None) == (street_staff, True)
    assert AuditEvent.objects.filter(action="unit.station_verified").exists()


def test_staff_of_another_street_cannot_verify(street_staff: User, desheng: Jurisdiction) -> None:
    unit = make_unit("别处的超市", desheng, station=True)
    response = client_for(street_staff).post(
        reverse("station-verify", args=[unit.pk]), {"note": "看过了"}
    )
    assert response.status_code == 404
    assert ServiceStation.objects.get(unit=unit).verified_at is None


def test_an_operator_cannot_verify_their_own_station(
    operator: User, dengfeng: Jurisdiction
) -> None:
    unit = make_unit("自己的店", dengfeng, owner=operator, station=True)
    response = client_for(operator).post(
        reverse("station-verify", args=[unit.pk]), {"note": "我自己核实"}
    )
    assert response.status_code in (302, 403)
    assert ServiceStation.objects.get(unit=unit).verified_at is None


def test_changing_the_station_clears_its_verification(
    street_staff: User, operator: User, dengfeng: Jurisdiction
) -> None:
    unit = make_unit("改了服务站的店", dengfeng, owner=operator, station=True)
    client_for(street_staff).post(reverse("station-verify", args=[unit.pk]), {"note": "核实"})
    services.station_save(unit=unit, by=operator, contact_person="王五")
    assert ServiceStation.objects.get(unit=unit).verified_at is None
