"""Station coverage's figure and the unit list behind it agree (issue 14 item 4, DESIGN.md §6):
only valid demonstration units count, so an expired certificate (whose status stays 示范单位 until
re-evaluation) and a revoked unit are in neither the figure nor its lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import Jurisdiction, User
from scoring import periods, targets
from tests.conftest import client_for
from tests.factories import ServiceStationFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

PERIOD = periods.parse("2026-10")
TODAY = dt.date(2026, 11, 10)  # the month is over: the figure is as of 2026-10-31
YEAR_AGO = dt.date(2025, 11, 1)


def make_unit(
    place: Jurisdiction,
    seed: int,
    status: str,
    *,
    certified: dt.date = YEAR_AGO,
    station: bool = True,
) -> Unit:
    unit = UnitFactory.create(
        jurisdiction=place,
        name=f"覆盖率测试{seed}",
        demonstration_status=status,
        certificate_no=f"LSK-C-{seed:04d}",
        certified_from=certified,
        certified_until=certified + dt.timedelta(days=364),
    )
    if station:
        ServiceStationFactory.create(unit=unit, registered_on=certified)
    return unit


@pytest.fixture
def coverage_units(dengfeng: Jurisdiction) -> dict[str, Unit]:
    return {
        "valid": make_unit(dengfeng, 1, "approved"),
        "warning": make_unit(dengfeng, 2, "warning"),
        "no_station": make_unit(dengfeng, 3, "approved", station=False),
        # Certified 2024-11-01, valid until 2025-10-31: expired a year before, still "approved".
        "expired": make_unit(dengfeng, 4, "approved", certified=dt.date(2024, 11, 1)),
        "revoked": make_unit(dengfeng, 5, "revoked"),
    }


def station_row(client: Client):
    board = client.get(reverse("dashboard"), {"period": PERIOD.key}).context["board"]
    return next(row for row in board.targets if row.key == "station_coverage")


def listed(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return {unit.name for unit in response.context["page"]}


def count(client: Client, url: str) -> str:
    """The list's count as the figure shows its numbers."""
    return str(client.get(url).context["page"].paginator.count)


def test_the_figure_counts_only_valid_demonstration_units(
    leader: User, coverage_units: dict[str, Unit]
) -> None:
    targets.refresh(PERIOD, today=TODAY)
    row = station_row(client_for(leader))
    assert (row.numerator, row.denominator) == ("2", "3")


def test_the_numerator_list_holds_exactly_the_numerators_units(
    leader: User, coverage_units: dict[str, Unit]
) -> None:
    targets.refresh(PERIOD, today=TODAY)
    client = client_for(leader)
    row = station_row(client)
    assert count(client, row.numerator_url) == row.numerator
    assert listed(client, row.numerator_url) == {
        coverage_units[key].name for key in ("valid", "warning")
    }


def test_the_denominator_list_holds_exactly_the_denominators_units(
    leader: User, coverage_units: dict[str, Unit]
) -> None:
    targets.refresh(PERIOD, today=TODAY)
    client = client_for(leader)
    row = station_row(client)
    assert count(client, row.denominator_url) == row.denominator
    assert listed(client, row.denominator_url) == {
        coverage_units[key].name for key in ("valid", "warning", "no_station")
    }


def test_a_certificate_expiring_on_the_day_still_counts_that_day(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    # Valid until 2026-10-31 inclusive: in the October list, out of November's.
    last_day = make_unit(dengfeng, 6, "approved", certified=dt.date(2025, 11, 1))
    client = client_for(district_staff)
    query = "demonstration_status=approved&demonstration_status=warning&has_station=yes"
    assert listed(client, f"{reverse('unit-list')}?{query}&as_of=2026-10-31") == {last_day.name}
    assert listed(client, f"{reverse('unit-list')}?{query}&as_of=2026-11-01") == set()
