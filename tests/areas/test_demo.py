"""The demonstration areas' seeder of ``seed_demo`` (issue 21 item 5): communities and villages for
every street, network points covering most of them, the active 12315 stations of demonstration
units as points of the network, and the demo street's submitted self-assessment for this year;
idempotent; registered after scoring's seeder."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from areas import demo as areas_demo
from areas.demo import seed_areas
from areas.models import AreaConfirmation, Community, NetworkPoint
from areas.models_assessment import AreaAssessment
from areas.network import coverage_by_street, total_coverage
from lyushunkou import demo
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.demo import DEMO_STREET_CODE, create_demo_accounts
from lyushunkou.models import Jurisdiction
from units.models import ServiceStation, Unit

pytestmark = pytest.mark.django_db


def seed(seed: int = 1) -> str:
    out = io.StringIO()
    seed_areas(rng=random.Random(f"{seed}:areas"), scale="district", stdout=out)
    return out.getvalue()


@pytest.fixture
def accounts() -> None:
    create_demo_accounts()


def places() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(active=True).exclude(kind=Jurisdiction.Kind.DISTRICT))


@pytest.mark.usefixtures("accounts")
def test_every_street_gets_communities_and_villages() -> None:
    seed()
    for place in places():
        names = list(Community.objects.filter(street=place).values_list("name", flat=True))
        assert any(name.endswith("社区") for name in names), place.name
        assert any(name.endswith("村") for name in names), place.name


@pytest.mark.usefixtures("accounts")
def test_community_codes_sit_under_their_streets_code() -> None:
    seed()
    for community in Community.objects.select_related("street"):
        assert community.code.startswith(community.street.code[:9])
        assert len(community.code) == 12


@pytest.mark.usefixtures("accounts")
def test_network_points_cover_most_communities_but_not_all() -> None:
    seed()
    coverage = total_coverage(coverage_by_street().values())
    assert coverage.value is not None
    assert 0.6 <= coverage.value < 1


@pytest.mark.usefixtures("accounts")
def test_the_district_has_a_consumer_association_office() -> None:
    seed()
    assert NetworkPoint.objects.filter(kind=NetworkPoint.Kind.ASSOCIATION).count() == 1


@pytest.mark.usefixtures("accounts")
def test_the_demo_street_has_submitted_its_self_assessment_for_this_year() -> None:
    seed()
    assessment = AreaAssessment.objects.get()
    assert assessment.place.code == DEMO_STREET_CODE
    assert assessment.year == timezone.localdate().year
    assert assessment.state == AreaAssessment.State.SUBMITTED
    assert assessment.submitted_by.username == "staff_dengfeng"
    assert len(assessment.items) == 11


@pytest.mark.usefixtures("accounts")
def test_the_self_assessment_rests_on_confirmed_items_with_their_files() -> None:
    seed()
    confirmed = AreaConfirmation.objects.filter(confirmed_at__isnull=False)
    assert confirmed.count() == 4
    assert all(record.evidence_file for record in confirmed)
    statuses = {item["code"]: item["status"] for item in AreaAssessment.objects.get().items}
    assert statuses["joint_conference"] == "met"
    assert statuses["risk_warning"] == "no_data"  # in place, awaiting confirmation


@pytest.mark.usefixtures("accounts")
def test_seeding_again_adds_nothing() -> None:
    seed()
    counts = (Community.objects.count(), NetworkPoint.objects.count())
    out = seed(seed=2)
    assert (Community.objects.count(), NetworkPoint.objects.count()) == counts
    assert AreaAssessment.objects.count() == 1
    assert "0 new communities and villages, 0 network points, 0 units' 12315 stations" in out


@pytest.mark.usefixtures("accounts")
def test_the_same_seed_gives_the_same_network() -> None:
    seed()
    first = sorted(NetworkPoint.objects.values_list("community__code", "contact_phone"))
    NetworkPoint.objects.all().delete()
    Community.objects.all().delete()
    seed()
    assert sorted(NetworkPoint.objects.values_list("community__code", "contact_phone")) == first


def test_nothing_is_seeded_without_a_district_staff_account() -> None:
    assert "nothing seeded" in seed()
    assert not Community.objects.exists()


def test_the_seeder_runs_after_scoring() -> None:
    names = [name for name, _seeder in demo.SEEDERS]
    assert names.index("areas") > names.index("scoring")


# --- Units' 12315 stations -----------------------------------------------------------------------


def station_unit(
    n: int,
    street: Jurisdiction,
    *,
    status: str = "approved",
    placed: bool = True,
    active: bool = True,
) -> Unit:
    today = timezone.localdate()
    unit = Unit.objects.create(
        name=f"演示站点店{n}",
        credit_code=generate_credit_code(random.Random(9100 + n)),
        kind="enterprise",
        industry="retail",
        address=f"旅顺口区演示路{n}号",
        jurisdiction=street,
        legal_representative="赵六",
        demonstration_status=status,
        certificate_no="" if status == "none" else f"LSK-D-{n:04d}",
        certified_from=None if status == "none" else today,
        certified_until=None if status == "none" else today.replace(year=today.year + 1),
        latitude=Decimal(f"38.81{n:04d}") if placed else None,
        longitude=Decimal("121.260000") if placed else None,
    )
    ServiceStation.objects.create(
        unit=unit,
        contact_person="李四",
        phone="0411-86612315",
        hours="9:00-17:00",
        location="一楼服务台",
        active=active,
    )
    return unit


def dengfeng() -> Jurisdiction:
    return Jurisdiction.objects.get(code=DEMO_STREET_CODE)


@pytest.mark.usefixtures("accounts")
def test_demonstration_units_active_stations_join_the_network() -> None:
    approved = station_unit(1, dengfeng())
    warned = station_unit(2, dengfeng(), status="warning", placed=False)
    station_unit(3, dengfeng(), status="none")  # not a demonstration unit
    station_unit(4, dengfeng(), active=False)  # its station closed
    out = seed()
    points = NetworkPoint.objects.filter(kind=NetworkPoint.Kind.STATION).order_by("unit_id")
    assert [p.unit_id for p in points] == [approved.pk, warned.pk]
    assert "2 units' 12315 stations added to the network" in out


@pytest.mark.usefixtures("accounts")
def test_a_station_point_is_in_its_streets_community_at_its_units_coordinates() -> None:
    placed = station_unit(1, dengfeng())
    unplaced = station_unit(2, dengfeng(), placed=False)
    seed()
    point = NetworkPoint.objects.select_related("community").get(unit=placed)
    assert point.community.street_id == placed.jurisdiction_id
    assert point.community.name.endswith("社区")  # shops are in communities, not villages
    assert (point.latitude, point.longitude) == (Decimal("38.810001"), Decimal("121.260000"))
    assert point.name == "演示站点店112315消费维权服务站"
    assert (point.contact_phone, point.opening_hours, point.address) == (
        "0411-86612315",
        "9:00-17:00",
        "一楼服务台",
    )
    other = NetworkPoint.objects.get(unit=unplaced)
    assert other.latitude is None
    assert other.longitude is None


@pytest.mark.usefixtures("accounts")
def test_stations_are_written_in_chunks_and_seeded_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(areas_demo, "CHUNK", 2)
    for n in range(5):
        station_unit(n, dengfeng())
    seed()
    assert NetworkPoint.objects.filter(kind=NetworkPoint.Kind.STATION).count() == 5
    out = seed(seed=2)
    assert NetworkPoint.objects.filter(kind=NetworkPoint.Kind.STATION).count() == 5
    assert "0 units' 12315 stations" in out
