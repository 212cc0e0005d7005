"""The verifications and checks rubric v2 reads, for ``seed_demo`` (``scoring.demo``), unit by
unit in chunks so that memory stays flat with the register (issue 17 item 4).

Rubric v2 earns points by verified evidence. In the field, verification and inspection go
together: staff verify a unit's systems on the visits they make, and units that keep their systems
in force are the ones inspected and re-inspected. So an *engaged* share of ordinary units has its
systems verified and is inspected more often; the rest are inspected now and then, by industry
(food, markets and lodging more than the others), and mostly stay "not graded".

Memory: what is decided about every unit before the records are written (engaged, exemplary,
station verified) is one byte of flags per unit id (``_Register``: 2 MB for a million units, where
sets of ids and lists of model instances took gigabytes); the records themselves are planned,
written and dropped ``CHUNK`` units at a time.

The random draws are made in the order the first version made them, over the whole register:
every unit's "engaged" draw, then "exemplary", then "station verified", then the service
commitments, then every unit's checks, then the checks' dates. So the same seed gives the same
records whatever ``CHUNK`` is. The dates come last of all, after every unit's check draws: they
are drawn from a second stream, a copy of the first advanced past those draws by a dry run
(``_plan_checks`` with nothing written), so the checks can be written chunk by chunk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.db import reset_queries, transaction
from django.db.models import Max
from django.utils import timezone

from inspections.models import CheckItem, OnSiteCheck
from inspections.services_checks import DEFAULT_CHECKLISTS
from lyushunkou.models import User
from units.models import Commitment, Industry, ServiceStation, Unit

CHUNK = 5_000  # units planned, written and dropped at a time

ENGAGED_SHARE = 0.4
# Of the engaged units that run a 12315 station with a named person, the exemplary: every system
# and both service commitments verified, the station verified, and a passed safety, price-marking
# and commitments check — the shops that earn an A.
EXEMPLARY_SHARE = 0.5
STATION_VERIFIED = {True: 0.7, False: 0.15}
SERVICE_COMMITMENT_VERIFIED = 0.5
SAFETY_CHECK = {"catering": 0.6, "market": 0.5, "lodging": 0.5, "pharmacy": 0.4}
PRICE_CHECK = {"retail": 0.5, "mall": 0.5, "market": 0.4, "scenic": 0.4}
OTHER_INDUSTRIES = 0.15
ENGAGED_EXTRA_CHECK = 0.3
COMMITMENTS_CHECK = {True: 0.3, False: 0.03}
DEMO_INSPECTORS = "区局执法人员（演示）"
DEMO_NOTE = "查阅了证明材料（演示数据）。"
SYSTEMS = (
    ("first_ask", "首问负责：第一位接待顾客的员工负责到底，不推诿。"),
    ("advance_comp", "先行赔付：消费者合法权益受损的，本店先行赔付。"),
    ("purchase", "进货查验：建立进货台账，索证索票，留存两年。"),
)
SERVICE_SYSTEM = ("service", "公开服务承诺：服务项目、收费标准和服务时限在店内公示。")
RETURN_SYSTEM = ("return", "无理由退货：商品完好的，七日内无理由退货。")
RETURN_DAYS = 7
DEMONSTRATION_CHECKS = (
    ("safety", "证照齐全有效"),
    ("price_marking", "商品和服务明码标价，标签齐全"),
    ("commitments", "首问负责制度落实"),
)

# Flags of a unit id in the register.
OPERATING, SHOWCASE, ENGAGED, STAFFED, EXEMPLARY, STATION = 1, 2, 4, 8, 16, 32
INDUSTRIES = list(Industry.values)


class _Register:
    """What the seeder decides per unit: a byte of flags and the industry's index, by unit id."""

    def __init__(self, top: int) -> None:
        self.flags = bytearray(top + 1)
        self.industry = bytearray(top + 1)

    def ids(self, wanted: int, unwanted: int = 0) -> Iterator[int]:
        """The unit ids with every flag of ``wanted`` and none of ``unwanted``, ascending."""
        for pk, flags in enumerate(self.flags):
            if flags & wanted == wanted and not flags & unwanted:
                yield pk


def _chunks(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(pk)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _read_register(rng: random.Random) -> _Register:
    """The operating units, read by id ranges, with the "engaged" draw of each; then the units
    with a staffed 12315 station."""
    top = Unit.objects.aggregate(top=Max("pk"))["top"] or 0
    register = _Register(top)
    flags, industry = register.flags, register.industry
    operating = Unit.objects.filter(business_status="operating").order_by("pk")
    last = 0
    while rows := list(
        operating.filter(pk__gt=last).values_list("pk", "industry", "demonstration_status")[:CHUNK]
    ):
        for pk, unit_industry, status in rows:
            showcase = status in ("approved", "warning")
            flags[pk] = OPERATING | (SHOWCASE if showcase else 0)
            industry[pk] = INDUSTRIES.index(unit_industry) if unit_industry in INDUSTRIES else 255
            if showcase or rng.random() < ENGAGED_SHARE:
                flags[pk] |= ENGAGED
        last = rows[-1][0]
    staffed = (
        ServiceStation.objects.filter(active=True)
        .exclude(contact_person="")
        .values_list("unit_id", flat=True)
    )
    for pk in staffed.iterator(chunk_size=CHUNK):
        flags[pk] |= STAFFED
    return register


def _choose(rng: random.Random, register: _Register) -> None:
    """Exemplary units among the engaged with a staffed station, then whose station is
    verified."""
    flags = register.flags
    for pk in register.ids(ENGAGED | STAFFED, SHOWCASE):
        if rng.random() < EXEMPLARY_SHARE:
            flags[pk] |= EXEMPLARY
    for pk in register.ids(OPERATING):
        if flags[pk] & (SHOWCASE | EXEMPLARY) or (
            rng.random() < STATION_VERIFIED[bool(flags[pk] & ENGAGED)]
        ):
            flags[pk] |= STATION


def _commitments(
    rng: random.Random,
    register: _Register,
    *,
    since: dt.date,
    verified_at: dt.datetime,
    staff: User,
) -> int:
    """Engaged units keep their systems in force: the three the rubric verifies most, declared
    where the units seeder left them out (one commitment per kind and unit), and half of them a
    public service commitment; all verified. Returns the commitments verified."""
    changed = 0
    for chunk in _chunks(register.ids(ENGAGED), CHUNK):
        wanted = [
            (pk, kind, text)
            for pk in chunk
            for kind, text in SYSTEMS
            + (
                (SERVICE_SYSTEM, RETURN_SYSTEM)
                if register.flags[pk] & EXEMPLARY
                else (SERVICE_SYSTEM,)
                if rng.random() < SERVICE_COMMITMENT_VERIFIED
                else ()
            )
        ]
        have = set(Commitment.objects.filter(unit__in=chunk).values_list("unit_id", "kind"))
        Commitment.objects.bulk_create(
            [
                Commitment(
                    unit_id=pk,
                    kind=kind,
                    content=text,
                    committed_on=since,
                    return_days=RETURN_DAYS if kind == "return" else None,
                )
                for pk, kind, text in wanted
                if (pk, kind) not in have
            ],
            batch_size=CHUNK,
        )
        changed += Commitment.objects.filter(
            unit__in=chunk, active=True, verified_at__isnull=True
        ).update(verified_at=verified_at, verified_by=staff, verification_note=DEMO_NOTE)
        reset_queries()  # with DEBUG on, Django keeps the SQL of every chunk otherwise
    return changed


def _stations(register: _Register, *, verified_at: dt.datetime, staff: User) -> int:
    changed = 0
    for chunk in _chunks(register.ids(STATION), CHUNK):
        changed += (
            ServiceStation.objects.filter(unit__in=chunk, active=True, verified_at__isnull=True)
            .exclude(contact_person="")
            .update(verified_at=verified_at, verified_by=staff)
        )
    return changed


def _plan_checks(rng: random.Random, flags: int, industry: int) -> list[str]:
    """The check types a unit gets: demonstration and exemplary units the three that meet the
    standard (no draw), the others by industry, more often when engaged."""
    if flags & (SHOWCASE | EXEMPLARY):
        return [kind for kind, _item in DEMONSTRATION_CHECKS]
    name = INDUSTRIES[industry] if industry < len(INDUSTRIES) else ""
    engaged = bool(flags & ENGAGED)
    extra = ENGAGED_EXTRA_CHECK if engaged else 0.0
    kinds = []
    if rng.random() < SAFETY_CHECK.get(name, OTHER_INDUSTRIES) + extra:
        kinds.append("safety")
    if rng.random() < PRICE_CHECK.get(name, OTHER_INDUSTRIES) + extra:
        kinds.append("price_marking")
    if rng.random() < COMMITMENTS_CHECK[engaged]:
        kinds.append("commitments")
    return kinds


def _checks(
    rng: random.Random, register: _Register, *, since: dt.date, today: dt.date, staff: User
) -> int:
    """Passed on-site checks with their items, for the units not checked of that type in the
    window. Returns the checks written."""
    flags, industry = register.flags, register.industry
    planning = random.Random()
    planning.setstate(rng.getstate())
    for pk in register.ids(OPERATING):  # dry run: ``rng`` is left where the dates are drawn
        _plan_checks(rng, flags[pk], industry[pk])
    written = 0
    for chunk in _chunks(register.ids(OPERATING), CHUNK):
        planned = [
            (pk, kind) for pk in chunk for kind in _plan_checks(planning, flags[pk], industry[pk])
        ]
        checked = set(
            OnSiteCheck.objects.filter(
                checked_on__gte=since, unit_id__gte=chunk[0], unit_id__lte=chunk[-1]
            ).values_list("unit_id", "check_type")
        )
        checks = [
            OnSiteCheck(
                unit_id=pk,
                checked_on=today - dt.timedelta(days=rng.randrange(20, 300)),
                check_type=kind,
                inspectors=DEMO_INSPECTORS,
                staff=staff,
            )
            for pk, kind in planned
            if (pk, kind) not in checked
        ]
        OnSiteCheck.objects.bulk_create(checks, batch_size=2000)
        CheckItem.objects.bulk_create(
            [
                CheckItem(check_record=check, item=item, passed=True)
                for check in checks
                for item in DEFAULT_CHECKLISTS[check.check_type]
            ],
            batch_size=CHUNK,
        )
        written += len(checks)
        reset_queries()
    return written


@transaction.atomic
def seed_grading_evidence(*, rng: random.Random, today: dt.date, staff: User | None) -> int:
    """Verifications and checks that rubric v2 reads, so the demo's grades vary: demonstration
    units have their commitments and station verified and a passed safety, price-marking and
    commitments check in the last year (they meet the standard: mostly A); a share of the other
    units (the engaged ones) keep verified systems and are inspected more often; catering,
    markets and lodging are inspected more often than the rest. Returns the number of records
    changed or created. Idempotent: verified records and units already checked of a type in the
    window are left alone."""
    if staff is None:
        return 0
    since = today - dt.timedelta(days=330)
    verified_at = timezone.now() - dt.timedelta(days=60)
    register = _read_register(rng)
    _choose(rng, register)
    changed = _commitments(rng, register, since=since, verified_at=verified_at, staff=staff)
    changed += _stations(register, verified_at=verified_at, staff=staff)
    return changed + _checks(rng, register, since=since, today=today, staff=staff)
