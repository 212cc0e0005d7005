"""The unit list's filters that show exactly what station coverage counts
(scoring.targets.station_figures): several demonstration statuses at once, the 12315 station,
certificates and stations dated by a day, a jurisdiction with those below it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.factories import ServiceStationFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

LIST = reverse("unit-list")
CSV = reverse("unit-export", args=["csv"])
CERTIFIED = dt.date(2026, 3, 1)
REGISTERED = dt.date(2026, 4, 1)


def make_unit(
    place: Jurisdiction,
    seed: int,
    status: str = "none",
    *,
    certified: dt.date = CERTIFIED,
    station: dt.date | None = None,
    active: bool = True,
) -> Unit:
    certificate = (
        {}
        if status == "none"
        else {
            "certificate_no": f"LSK-F-{seed:04d}",
            "certified_from": certified,
            "certified_until": certified + dt.timedelta(days=365),
        }
    )
    unit = UnitFactory.create(
        jurisdiction=place, name=f"示范测试{seed}", demonstration_status=status, **certificate
    )
    if station is not None:
        ServiceStationFactory.create(unit=unit, active=active, registered_on=station)
    return unit


def shown(client: Client, query: str) -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {unit.name for unit in response.context["page"]}


@pytest.fixture
def units(dengfeng: Jurisdiction) -> dict[str, Unit]:
    return {
        "approved": make_unit(dengfeng, 1, "approved", station=REGISTERED),
        "warning": make_unit(dengfeng, 2, "warning"),
        "no_station": make_unit(dengfeng, 3, "approved"),
        "inactive": make_unit(dengfeng, 4, "approved", station=REGISTERED, active=False),
        "late_station": make_unit(dengfeng, 5, "approved", station=dt.date(2026, 11, 2)),
        "late_certificate": make_unit(
            dengfeng, 6, "approved", certified=dt.date(2026, 11, 5), station=REGISTERED
        ),
        "revoked": make_unit(dengfeng, 7, "revoked", station=REGISTERED),
        "plain": make_unit(dengfeng, 8, station=REGISTERED),
    }


def names(units: dict[str, Unit], *keys: str) -> set[str]:
    return {units[key].name for key in keys}


def test_several_demonstration_statuses_and_the_old_single_value(
    district_staff: User, units: dict[str, Unit]
) -> None:
    client = client_for(district_staff)
    demonstration = names(
        units, "approved", "warning", "no_station", "inactive", "late_station", "late_certificate"
    )
    assert shown(client, "demonstration_status=approved&demonstration_status=warning") == (
        demonstration
    )
    assert shown(client, "demonstration_status=approved,warning") == demonstration
    assert shown(client, "demonstration_status=warning") == names(units, "warning")
    assert shown(client, "demonstration_status=") == names(units, *units)


def test_the_station_filter_and_as_of_count_as_station_coverage_does(
    district_staff: User, units: dict[str, Unit]
) -> None:
    client = client_for(district_staff)
    both = "demonstration_status=approved&demonstration_status=warning"
    # Today: every active station, every certificate.
    assert shown(client, f"{both}&has_station=yes") == names(
        units, "approved", "late_station", "late_certificate"
    )
    # As of the end of October: the later certificate and the later station do not count yet.
    october = f"{both}&as_of=2026-10-31"
    assert shown(client, october) == names(
        units, "approved", "warning", "no_station", "inactive", "late_station"
    )
    assert shown(client, f"{october}&has_station=yes") == names(units, "approved")
    assert shown(client, f"{october}&has_station=no") == names(
        units, "warning", "no_station", "inactive", "late_station"
    )


def test_the_jurisdiction_includes_those_below_it(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    park = Jurisdiction.objects.create(
        code="210212001903", name="登峰测试园区", kind="park", parent=dengfeng
    )
    street = make_unit(dengfeng, 11)
    below = make_unit(park, 12)
    make_unit(desheng, 13)
    client = client_for(district_staff)
    assert shown(client, f"jurisdiction={dengfeng.pk}") == {street.name, below.name}
    assert shown(client, f"jurisdiction={park.pk}") == {below.name}


def test_the_export_links_carry_several_values_and_the_export_obeys_them(
    district_staff: User, units: dict[str, Unit]
) -> None:
    client = client_for(district_staff)
    query = "demonstration_status=approved&demonstration_status=warning&as_of=2026-10-31"
    html = client.get(f"{LIST}?{query}").content.decode()
    link = f"{CSV}?demonstration_status=approved%2Cwarning&amp;as_of=2026-10-31"
    assert link in html
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert {unit.name for unit in units.values() if unit.name in text} == names(
        units, "approved", "warning", "no_station", "inactive", "late_station"
    )
    event = AuditEvent.objects.get(action="unit.exported")
    assert event.detail["filters"] == {
        "demonstration_status": "approved,warning",
        "as_of": "2026-10-31",
    }


def test_the_query_count_does_not_grow_with_the_new_filters(
    district_staff: User, dengfeng: Jurisdiction, django_assert_max_num_queries: object
) -> None:
    for seed in range(40):
        make_unit(
            dengfeng,
            100 + seed,
            ("approved", "warning")[seed % 2],
            station=REGISTERED if seed % 3 else None,
        )
    query = (
        "demonstration_status=approved&demonstration_status=warning&has_station=yes"
        "&as_of=2026-10-31"
    )
    client = client_for(district_staff)
    # As the list without them (tests/units/test_staff_list.py).
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(f"{LIST}?{query}")
    assert response.context["page"].paginator.count == 26
