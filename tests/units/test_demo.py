"""The units seeder of ``seed_demo``: valid, varied, deterministic, idempotent demo data."""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from stdnum.cn import uscc

from lyushunkou import demo
from lyushunkou.demo import SEEDERS, create_demo_accounts
from lyushunkou.models import Jurisdiction, User
from units.credit_codes import entity_kind_for
from units.demo import UnitPlanner, _places, seed_units
from units.models import (
    ApplicationEvent,
    ApplicationStatus,
    CertificateCounter,
    Commitment,
    DemonstrationApplication,
    DemonstrationStatus,
    Industry,
    ServiceStation,
    Unit,
)

pytestmark = pytest.mark.django_db

COUNT = 300
CERTIFICATE = re.compile(r"^LSK-FXXF-(\d{4})-(\d{5})$")


def planned_units(seed: int) -> list[tuple[str, str, str, str]]:
    planner = UnitPlanner(
        random.Random(seed), count=COUNT, places=_places(), today=timezone.localdate()
    )
    return [
        (unit.credit_code, unit.name, unit.public_id, unit.address)
        for batch in planner.batches(size=100)
        for unit in batch.units
    ]


def seed(seed: int = 1) -> str:
    out = io.StringIO()
    seed_units(rng=random.Random(f"{seed}:units"), scale="district", stdout=out, count=COUNT)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    create_demo_accounts()  # staff, staff_dengfeng, operator, operator2 … as seed_demo does
    return seed()


def test_it_is_registered_with_seed_demo() -> None:
    assert "units" in [name for name, _ in SEEDERS]


def test_seed_demo_runs_it_after_creating_the_accounts(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    small = functools.partial(seed_units, count=COUNT)
    monkeypatch.setattr(demo, "SEEDERS", [("units", small)])
    out = io.StringIO()
    call_command("seed_demo", seed=1, stdout=out)
    assert f"units: {COUNT}/{COUNT}" in out.getvalue()
    assert Unit.objects.filter(owner__username="operator").count() == 2
    assert DemonstrationApplication.objects.exists()


def test_the_same_seed_plans_the_same_units() -> None:
    first = planned_units(1)
    assert len(first) == COUNT
    assert planned_units(1) == first
    assert planned_units(2) != first


def test_it_saves_the_planned_units(seeded: str) -> None:
    # seed_demo hands the seeder random.Random(f"{seed}:units"): the saved register is the plan.
    planner = UnitPlanner(
        random.Random("1:units"), count=COUNT, places=_places(), today=timezone.localdate()
    )
    planned = [(u.credit_code, u.name, u.public_id) for b in planner.batches() for u in b.units]
    saved = list(Unit.objects.order_by("id").values_list("credit_code", "name", "public_id"))
    assert saved == planned
    assert f"units: {COUNT}/{COUNT}" in seeded


def test_every_credit_code_is_valid_and_from_lyushunkou(seeded: str) -> None:
    units = list(Unit.objects.values_list("credit_code", "kind"))
    assert len(units) == COUNT
    assert len({code for code, _ in units}) == COUNT
    for code, kind in units:
        assert uscc.is_valid(code), code
        assert code[2:8] == "210212", code
        assert kind == entity_kind_for(code)
    assert {kind for _, kind in units} >= {"individual", "enterprise"}


def test_every_street_and_industry_has_units(seeded: str) -> None:
    streets = set(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .values_list("id", flat=True)
    )
    assert set(Unit.objects.values_list("jurisdiction_id", flat=True)) == streets
    assert set(Unit.objects.values_list("industry", flat=True)) == set(Industry.values)


def test_units_look_real(seeded: str) -> None:
    for unit in Unit.objects.select_related("jurisdiction"):
        assert unit.address.startswith(f"辽宁省大连市旅顺口区{unit.jurisdiction.name}")
        assert unit.address.endswith("号")
        assert re.fullmatch(r"1[3-9]\d{9}|0411-86\d{6}", unit.contact_phone)
        assert 2 <= len(unit.legal_representative) <= 3
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", unit.public_id)
    assert Unit.objects.exclude(business_status="operating").exists()


def test_commitments_and_stations_are_spread_over_the_register(seeded: str) -> None:
    committed = Commitment.objects.values("unit").distinct().count()
    assert 0.4 * COUNT < committed < 0.8 * COUNT
    assert 0.15 * COUNT < ServiceStation.objects.count() < 0.45 * COUNT
    returns = Commitment.objects.filter(kind=Commitment.Kind.NO_REASON_RETURN)
    assert returns.exists()
    assert not returns.filter(return_days__isnull=True).exists()
    assert not returns.filter(return_scope="").exists()


def test_applications_exist_in_every_state_with_a_consistent_history(seeded: str) -> None:
    applications = DemonstrationApplication.objects.prefetch_related("events")
    assert {a.status for a in applications} == set(ApplicationStatus.values)
    for application in applications:
        events = list(application.events.all())
        assert events[0].from_status == ""
        assert events[0].to_status == ApplicationStatus.DRAFT
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert events[-1].to_status == application.status
        assert application.version == len(events)
        assert application.created_at == events[0].at
    assert ApplicationEvent.objects.filter(at__gt=timezone.now()).count() == 0


def test_approved_units_have_certificates_and_the_counter_continues(seeded: str) -> None:
    today = timezone.localdate()
    approved = DemonstrationApplication.objects.filter(status=ApplicationStatus.APPROVED)
    last: dict[int, int] = {}
    for application in approved.select_related("unit"):
        unit = application.unit
        match = CERTIFICATE.match(application.certificate_no)
        assert match, application.certificate_no
        year, number = int(match[1]), int(match[2])
        assert year == application.year
        last[year] = max(last.get(year, 0), number)
        assert unit.certificate_no == application.certificate_no
        assert unit.certified_until == application.valid_until
        assert unit.certified_until is not None
        assert unit.certified_from is not None
        assert unit.certified_until - unit.certified_from == dt.timedelta(days=364)
        assert unit.demonstration_status != DemonstrationStatus.NONE
    assert dict(CertificateCounter.objects.values_list("year", "last")) == last
    statuses = set(Unit.objects.values_list("demonstration_status", flat=True))
    assert statuses == set(DemonstrationStatus.values)
    assert (
        Unit.objects.exclude(demonstration_status="none").filter(certified_until__lt=today).exists()
    ), "some certificates have expired"
    assert not Unit.objects.filter(
        demonstration_status__in=["warning", "revoked"], status_reason=""
    ).exists()


def test_demo_operators_own_units_in_dengfeng(seeded: str) -> None:
    for username in ("operator", "operator2"):
        units = Unit.objects.filter(owner__username=username)
        assert units.count() == 2
        assert {u.jurisdiction.code for u in units} == {"210212001000"}
    mine = Unit.objects.filter(owner__username="operator")
    approved = mine.get(demonstration_status=DemonstrationStatus.APPROVED)
    assert approved.plaque_status() == "valid"
    assert approved.station.phone
    assert approved.applications.get().created_by.username == "operator"
    assert Unit.objects.filter(owner__isnull=True).count() == COUNT - 4
    # Applications for units without an operator are entered by the district's staff account.
    creators = set(DemonstrationApplication.objects.values_list("created_by__username", flat=True))
    assert creators == {"staff", "operator", "operator2"}


def test_seeding_twice_adds_nothing(seeded: str) -> None:
    counts = [m.objects.count() for m in (Unit, Commitment, DemonstrationApplication)]
    output = seed()
    assert "already seeded" in output
    assert [m.objects.count() for m in (Unit, Commitment, DemonstrationApplication)] == counts


def test_without_a_staff_account_units_are_seeded_without_applications() -> None:
    assert not User.objects.exists()
    output = seed()
    assert "without demonstration applications" in output
    assert Unit.objects.count() == COUNT
    assert not DemonstrationApplication.objects.exists()
    assert not Unit.objects.exclude(demonstration_status="none").exists()
    assert not CertificateCounter.objects.exists()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the demo evidence file is written here, not in the project


def test_demonstration_units_meet_the_standard_they_were_approved_on(seeded: str) -> None:
    """Station and the four systems verified with evidence: what units.standard checks from
    the units app's own records (grades and the rest come from the other seeders)."""
    from units.standard import standard_check

    # Units in warning met it too, until a criterion lapsed (the next test).
    certified = Unit.objects.exclude(
        demonstration_status__in=[DemonstrationStatus.NONE, DemonstrationStatus.WARNING]
    )
    assert certified.exists()
    own = {"station", "first_ask", "advance_comp", "purchase", "return"}
    for unit in certified:
        outcomes = {o.code: o.status for o in standard_check(unit).outcomes if o.code in own}
        assert outcomes == dict.fromkeys(own, "met"), unit
        assert unit.evidence.filter(commitment__verified_at__isnull=False).count() == 4


def test_units_in_warning_name_the_criterion_that_lapsed_and_a_deadline(seeded: str) -> None:
    """As units.services_status puts them there: the reason is the unmet criterion in the
    words of the standard check, and there is a rectification deadline; some have passed."""
    from units.services_status import revocation_due
    from units.standard import standard_check

    warned = list(Unit.objects.filter(demonstration_status=DemonstrationStatus.WARNING))
    assert warned
    today = timezone.localdate()
    for unit in warned:
        assert unit.warning_automatic
        assert unit.rectify_by is not None
        assert unit.rectify_by > (unit.certified_from or today)
        own = [
            o
            for o in standard_check(unit).unmet
            if o.code in {"station", "first_ask", "advance_comp", "purchase", "return"}
        ]
        assert len(own) == 1, unit
        assert own[0].label in unit.status_reason
        assert own[0].result.detail in unit.status_reason
    assert Unit.objects.filter(revocation_due(today)).exists() or len(warned) < 3
