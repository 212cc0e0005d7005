"""``seed_units``: what the planner needs from the database (streets, blocks, reviewers,
counters), looked up once, then the planned batches saved one by one."""

from __future__ import annotations

import random
from typing import Any

from django.db import reset_queries, transaction
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.models import Jurisdiction, Role, User
from units.demo.data import DEMO_BLOCKS, SIZES
from units.demo.planner import UnitPlanner
from units.demo.records import Place
from units.demo.saving import _save, _strip_demonstration, _write_demo_evidence
from units.models import (
    CertificateCounter,
    DemonstrationBlock,
    DemonstrationIndustry,
    Industry,
    Unit,
)


def _places() -> list[Place]:
    return [
        Place(j.id, j.code, j.name)
        for j in Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    ]


def _demo_blocks(places: list[Place], year: int) -> dict[int, list[int]]:
    by_code = {place.code: place for place in places}
    blocks: dict[int, list[int]] = {}
    for name, kind, code in DEMO_BLOCKS:
        place = by_code.get(code)
        if place is None:
            continue
        block, _ = DemonstrationBlock.objects.get_or_create(
            name=name, defaults={"kind": kind, "jurisdiction_id": place.id, "year": year}
        )
        blocks.setdefault(place.id, []).append(block.pk)
    for industry in (Industry.CATERING, Industry.LODGING):
        DemonstrationIndustry.objects.get_or_create(
            industry=industry, year=year, defaults={"note": "放心消费示范行业（演示数据）"}
        )
    return blocks


def _reviewers() -> tuple[int | None, dict[int, int]]:
    """The district-wide reviewer (the demo ``staff`` account, else any district-wide staff
    member) and, per street, a street-scoped staff member where there is one."""
    staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("id")
    district = (
        staff.filter(username="staff", jurisdiction__isnull=True).first()
        or staff.filter(jurisdiction__isnull=True).first()
    )
    by_street: dict[int, int] = {}
    for user_id, jurisdiction_id in staff.filter(jurisdiction__isnull=False).values_list(
        "id", "jurisdiction_id"
    ):
        by_street.setdefault(jurisdiction_id, user_id)
    return (district.pk if district else None), by_street


def seed_units(*, rng: random.Random, scale: str, stdout: Any, count: int | None = None) -> None:
    """The ``units`` seeder (see ``lyushunkou.demo``); ``count`` overrides the scale in tests.

    Applications need a reviewing staff account. ``seed_demo`` creates one (``staff``) before the
    seeders run; called without any district-wide staff member, the register, commitments and
    stations are still seeded but applications and demonstration statuses are left out (and the
    output says so), rather than inventing an account.
    """
    total = count if count is not None else SIZES[scale]
    places = _places()
    if not places:
        stdout.write("units: no active streets to put units in; skipped")
        return
    # The credit code of the first planned unit marks a register seeded with this seed: plan it
    # on a copy of the stream, so the real run draws the same numbers.
    probe = random.Random()
    probe.setstate(rng.getstate())
    today = timezone.localdate()
    first = next(UnitPlanner(probe, count=1, places=places, today=today).batches()).units[0]
    if Unit.objects.filter(credit_code=first.credit_code).exists():
        stdout.write("units: demo units already seeded; nothing to do")
        return

    started = timezone.now()
    reviewer_id, street_reviewers = _reviewers()
    owners = dict(
        User.objects.filter(username__in=["operator", "operator2"]).values_list("username", "id")
    )
    showcase_owners = [owners.get(name) for name in UnitPlanner.SHOWCASE_OWNERS]
    if reviewer_id is None:
        stdout.write(
            "units: no district-wide staff account to review applications; "
            "seeding units without demonstration applications"
        )
    counters = dict(CertificateCounter.objects.values_list("year", "last"))
    if reviewer_id is not None:
        _write_demo_evidence()
    with transaction.atomic():
        blocks = _demo_blocks(places, today.year)
        planner = UnitPlanner(
            rng,
            count=total,
            places=places,
            today=today,
            blocks=blocks,
            taken_codes=set(Unit.objects.values_list("credit_code", flat=True)),
            certificate_counters=counters,
        )
        done = 0
        totals: dict[str, Any] = {"commitments": 0, "stations": 0, "applications": 0, "events": 0}
        for batch in planner.batches():
            if done == 0:
                for unit, owner_id in zip(batch.units, showcase_owners, strict=False):
                    unit.owner_id = owner_id
            if reviewer_id is None:
                for planned in batch.applications:
                    _strip_demonstration(planned.application.unit)
                batch.applications = []
            _save(batch, reviewer_id, street_reviewers)
            done += len(batch.units)
            totals["commitments"] += len(batch.commitments)
            totals["stations"] += len(batch.stations)
            totals["applications"] += len(batch.applications)
            totals["events"] += sum(len(p.events) for p in batch.applications)
            stdout.write(f"units: {done}/{total}")
            reset_queries()  # with DEBUG on, Django keeps the SQL of every batch otherwise
        if reviewer_id is not None:
            for year, last in planner.certificate_counters.items():
                CertificateCounter.objects.update_or_create(year=year, defaults={"last": last})
        audit.record("demo.units_seeded", scale=scale, units=done, **totals)
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"units: seeded {done} units, {totals['commitments']} commitments, "
        f"{totals['stations']} 12315 stations, {totals['applications']} applications "
        f"in {seconds:.1f} s"
    )
