"""The demonstration areas' seeder of ``seed_demo`` (issue 21 item 5): communities and villages for
every street, network points covering most of them, and the demo street's submitted
self-assessment for this year; idempotent; registered after scoring's seeder."""

from __future__ import annotations

import io
import random

import pytest
from django.utils import timezone

from areas.demo import seed_areas
from areas.models import AreaConfirmation, Community, NetworkPoint
from areas.models_assessment import AreaAssessment
from areas.network import coverage_by_street, total_coverage
from lyushunkou import demo
from lyushunkou.demo import DEMO_STREET_CODE, create_demo_accounts
from lyushunkou.models import Jurisdiction

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
    assert coverage.value is not None and 0.6 <= coverage.value < 1


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
    assert "0 new communities and villages, 0 network points" in out


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
