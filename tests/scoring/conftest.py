"""Shared fixtures of the scoring tests; other scoring test modules import from here, so keep the
names stable.

``scoring_world``: about ten units with known records, scored for ``PERIOD`` (2026-10, data as
of 2026-10-31, window 2025-10-31 … 2026-10-31) under the default rubric v1. ``EXPECTED`` holds
every unit's grade as computed by hand from docs/rubric.md (the arithmetic is in
tests/scoring/test_engine.py). The capped unit belongs to ``operator`` (dave) and the clean one
to ``other_operator`` (erin), both in 登峰街道 except where noted.

Build records with the plain ORM (``make_unit``, ``batch``, ``check``, ``finding``,
``complaint``, ...): these are the inputs the engine reads, and the tests need exact dates.

``world``: October 2026 of the district targets, counted by hand (the records and the expected
figures are in tests/scoring/targets_helpers.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from complaints.models import Complaint
from inspections.models import (
    CheckItem,
    DishonestListing,
    Finding,
    OnSiteCheck,
    Penalty,
    SafetyIncident,
    SamplingBatch,
)
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.grading import engine
from scoring.models import Rubric, Target
from tests.factories import (
    ComplaintFactory,
    SamplingBatchFactory,
    ServiceStationFactory,
    UnitFactory,
)
from tests.inspections.helpers import batch as record_batch
from tests.scoring.dashboard_helpers import record_a_month
from tests.scoring.targets_helpers import record_october
from units.models import Commitment, DemonstrationStatus, Unit

PERIOD = periods.parse("2026-10")
TODAY = dt.date(2026, 11, 10)  # the month is over: data as of 2026-10-31
AS_OF = dt.date(2026, 10, 31)
IN_WINDOW = dt.date(2026, 6, 15)
BEFORE_WINDOW = dt.date(2025, 9, 1)
LONG_AGO = dt.date(2024, 1, 1)

ALL_COMMITMENTS = ("first_ask", "advance_comp", "purchase", "service")


def default_rubric() -> Rubric:
    """The rubric v1 of migration 0002, loaded again if a flush removed it, and made the active
    version: the world's expectations are v1's (version 2 has its own fixture in
    tests/scoring/test_rubric_v2.py)."""
    if not Rubric.objects.filter(version=1).exists():
        import_module("scoring.migrations.0002_default_rubric").load(apps, None)
    Rubric.objects.exclude(version=1).filter(status=Rubric.Status.ACTIVE).update(
        status=Rubric.Status.RETIRED
    )
    Rubric.objects.filter(version=1).update(status=Rubric.Status.ACTIVE)
    return Rubric.objects.get(version=1)


def make_unit(
    name: str,
    jurisdiction: Jurisdiction,
    *,
    owner: User | None = None,
    commitments: tuple[str, ...] = (),
    station: bool = False,
    **fields: Any,
) -> Unit:
    unit = UnitFactory.create(
        name=name,
        jurisdiction=jurisdiction,
        industry=fields.pop("industry", "retail"),
        owner=owner,
        **fields,
    )
    for kind in commitments:
        Commitment.objects.create(
            unit=unit,
            kind=kind,
            content=f"{name}的承诺：{kind}",
            return_days=7 if kind == "return" else None,
            committed_on=dt.date(2025, 1, 1),
        )
    if station:
        ServiceStationFactory.create(unit=unit, registered_on=dt.date(2025, 1, 1))
    return unit


def make_demonstration(unit: Unit, status: str = DemonstrationStatus.APPROVED) -> Unit:
    """Make ``unit`` a certified demonstration unit (approved, or in warning) directly."""
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status=status,
        certificate_no=f"LSK-FXXF-2026-{unit.pk:05d}",
        certified_from=dt.date(2026, 1, 1),
        certified_until=dt.date(2026, 12, 31),
        status_reason="已有预警" if status == DemonstrationStatus.WARNING else "",
    )
    unit.refresh_from_db()
    return unit


def batch(unit: Unit, on: dt.date, result: str, retest: str = "") -> SamplingBatch:
    return SamplingBatchFactory.create(
        unit=unit, sampled_on=on, result=result, retest_result=retest
    )


def check(unit: Unit, staff: User, on: dt.date, check_type: str, *failed: str) -> OnSiteCheck:
    record = OnSiteCheck.objects.create(
        unit=unit, checked_on=on, check_type=check_type, inspectors="王五、赵六", staff=staff
    )
    CheckItem.objects.create(check_record=record, item="证照齐全", passed=True)
    for item in failed:
        CheckItem.objects.create(check_record=record, item=item, passed=False)
    return record


def finding(
    unit: Unit,
    staff: User,
    on: dt.date,
    guarantee: str,
    *,
    confirmed_on: dt.date | None = None,
) -> Finding:
    record = check(unit, staff, on, "service")
    return Finding.objects.create(
        check_record=record,
        unit=unit,
        guarantee=guarantee,
        severity="general",
        description=f"{guarantee}问题",
        rectification_due=on + dt.timedelta(days=14),
        rectified_on=confirmed_on,
        confirmed_at=(
            timezone.make_aware(dt.datetime.combine(confirmed_on, dt.time(10)))
            if confirmed_on
            else None
        ),
        confirmed_by=staff if confirmed_on else None,
    )


def complaint(unit: Unit, on: dt.date, category: str, **fields: Any) -> Complaint:
    return ComplaintFactory.create(
        unit=unit,
        received_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
        category=category,
        **fields,
    )


def mediated(unit: Unit, on: dt.date, category: str, **fields: Any) -> Complaint:
    """Concluded by staff with 调解成功 a month after it was received."""
    return complaint(
        unit,
        on,
        category,
        status="concluded",
        outcome="mediated",
        accepted_on=on,
        concluded_on=on + dt.timedelta(days=30),
        **fields,
    )


@dataclass
class ScoringWorld:
    period: periods.Period
    today: dt.date
    as_of: dt.date
    rubric: Rubric
    units: dict[str, Unit]
    records: dict[str, Any] = field(default_factory=dict)

    def score(self, **kwargs: Any) -> dict[str, Any]:
        return engine.score_units(self.period, today=self.today, **kwargs)


# name: (quality, safety, price, service, rights, total, raw grade, grade, capped_by, vetoes)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "clean": ("19", "18", "18", "18", "19", "92", "A", "A", "", []),
    "bare": ("17", "18", "18", "16", "12", "81", "B", "B", "", []),
    "retest": ("18", "18", "20", "16", "14", "86", "B", "B", "", []),
    "capped": ("11", "18", "18", "18", "19", "84", "B", "C", "quality", []),
    "incident": ("17", "18", "18", "16", "12", "81", "B", "D", "", ["s_major_veto"]),
    "listed": ("17", "18", "18", "16", "15", "84", "B", "D", "", ["r_dishonest_veto"]),
    "complaints": ("17", "18", "16", "16", "13", "80", "B", "B", "", []),
    "findings": ("14", "14", "18", "15", "12", "73", "C", "C", "", []),
    "fraud": ("19", "18", "18", "18", "19", "92", "A", "D", "", ["p_fraud_veto"]),
    "harmed": ("17", "12", "18", "16", "12", "75", "B", "D", "", ["q_harm_veto"]),
}


@pytest.fixture
def scoring_world(
    district_staff: User,
    operator: User,
    other_operator: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
) -> ScoringWorld:
    staff = district_staff
    rubric = default_rubric()
    units = {
        "clean": make_unit(
            "清风超市", dengfeng, owner=other_operator, commitments=ALL_COMMITMENTS, station=True
        ),
        "bare": make_unit("无承诺小卖部", dengfeng),
        "retest": make_unit("复检粮油店", desheng, commitments=("first_ask",)),
        "capped": make_unit(
            "旅顺老街海鲜馆",
            dengfeng,
            owner=operator,
            industry="catering",
            commitments=ALL_COMMITMENTS,
            station=True,
        ),
        "incident": make_unit("事故酒店", desheng, industry="lodging"),
        "listed": make_unit("失信商行", dengfeng, station=True),
        "complaints": make_unit("投诉多的餐馆", dengfeng, commitments=("first_ask",)),
        "findings": make_unit("检查发现问题的药店", desheng, industry="pharmacy"),
        "fraud": make_unit("价格欺诈海鲜排档", dengfeng, commitments=ALL_COMMITMENTS, station=True),
        "harmed": make_unit("致害熟食店", dengfeng),
        "suspended": make_unit(
            "停业的店", dengfeng, business_status="suspended", commitments=ALL_COMMITMENTS
        ),
    }
    u, r = units, dict[str, Any]()
    # bare: a failure from before the window does not count.
    r["old_failure"] = batch(u["bare"], BEFORE_WINDOW, "fail")
    # retest: a failure overturned by the re-test counts as a pass, with another pass; a price
    # marking check with every item passed.
    r["overturned"] = batch(u["retest"], IN_WINDOW, "fail", retest="pass")
    r["passed"] = batch(u["retest"], dt.date(2026, 8, 1), "pass")
    r["price_check"] = check(u["retest"], staff, IN_WINDOW, "price_marking")
    # capped: two failures (one confirmed by the re-test) drag quality below 12.
    r["failure_1"] = batch(u["capped"], IN_WINDOW, "fail")
    r["failure_2"] = batch(u["capped"], dt.date(2026, 9, 1), "fail", retest="fail")
    # incident: a major safety incident (no one harmed).
    r["major_incident"] = SafetyIncident.objects.create(
        unit=u["incident"], occurred_on=IN_WINDOW, severity="major", description="燃气爆炸"
    )
    # listed: on the dishonest list since long before the window, never removed.
    r["listing"] = DishonestListing.objects.create(
        unit=u["listed"], listed_on=LONG_AGO, authority="大连市市场监督管理局", reason="严重违法"
    )
    # complaints: settled by the operator through ODR (then closed as mediated: not
    # substantiated), a substantiated price complaint, an ODR complaint the operator let lapse
    # (mediation failed), a substantiated one from before the window, and a report (举报).
    r["odr_settled"] = mediated(
        u["complaints"],
        IN_WINDOW,
        "quality",
        odr_forwarded_on=IN_WINDOW,
        odr_response="settled",
        odr_response_text="已与消费者协商退款。",
        odr_responded_at=dt.datetime(2026, 6, 18, 9, tzinfo=timezone.get_current_timezone()),
    )
    r["substantiated"] = mediated(u["complaints"], dt.date(2026, 7, 1), "price")
    r["escalated"] = complaint(
        u["complaints"],
        dt.date(2026, 8, 3),
        "service",
        status="concluded",
        outcome="failed",
        odr_forwarded_on=dt.date(2026, 8, 3),
        odr_escalated=True,
        concluded_on=dt.date(2026, 9, 20),
    )
    r["old_complaint"] = mediated(u["complaints"], BEFORE_WINDOW, "price")
    r["report"] = complaint(u["complaints"], IN_WINDOW, "price", kind="report")
    # findings: an unconfirmed quality finding, a confirmed service finding, a safety check
    # with every item passed, a price check with a failed item, a general incident.
    r["open_finding"] = finding(u["findings"], staff, IN_WINDOW, "quality")
    r["confirmed_finding"] = finding(
        u["findings"], staff, IN_WINDOW, "service", confirmed_on=dt.date(2026, 7, 1)
    )
    r["safety_check"] = check(u["findings"], staff, IN_WINDOW, "safety")
    r["failed_price_check"] = check(u["findings"], staff, IN_WINDOW, "price_marking", "价签不全")
    r["general_incident"] = SafetyIncident.objects.create(
        unit=u["findings"], occurred_on=IN_WINDOW, severity="general", description="顾客滑倒"
    )
    # fraud: a price-fraud penalty.
    r["fraud_penalty"] = Penalty.objects.create(
        unit=u["fraud"],
        kind="price_fraud",
        decision_no="旅市监罚〔2026〕8号",
        decided_on=IN_WINDOW,
        amount=Decimal("50000"),
    )
    # harmed: a general incident that harmed consumers.
    r["harm_incident"] = SafetyIncident.objects.create(
        unit=u["harmed"],
        occurred_on=IN_WINDOW,
        severity="general",
        description="食物中毒",
        harmed_consumers=True,
    )
    return ScoringWorld(PERIOD, TODAY, AS_OF, rubric, units, r)


# --- The leader dashboard (tests/scoring/test_dashboard_*.py) ------------------------------------


@pytest.fixture
def no_minimum_sample(db: None) -> None:
    """Used by the dashboard tests' ``pytestmark``: their fixtures count a handful of records, the
    arithmetic and the links, without the minimum sample (tests/scoring/test_dashboard_truth.py
    covers "样本不足")."""
    Target.objects.update(min_denominator=0)


@pytest.fixture
def month_of_records(
    dengfeng: Jurisdiction, desheng: Jurisdiction, street_staff: User, district_staff: User
) -> periods.Period:
    """Records of every kind the targets count, and of every kind they leave out, evaluated."""
    return record_a_month(dengfeng, desheng, street_staff, district_staff)


# --- The periodic reports (tests/scoring/test_reports*.py) --------------------------------------


@pytest.fixture
def june_sampling(district_staff: User, dengfeng: Jurisdiction) -> list[SamplingBatch]:
    """24 supervisory food batches in June 2025, one failed: 23 / 24 = 95.8% (target ≥ 97%).
    No key consumer goods and no complaints: those figures have no data."""
    made = [
        record_batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 3)) for _ in range(23)
    ]
    made.append(
        record_batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 4), result="fail")
    )
    return made


# --- The district targets by hand (tests/scoring/test_targets_*.py) -----------------------------


@pytest.fixture
def world(
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    street_staff: User,
    district_staff: User,
) -> dict[str, Jurisdiction]:
    """October 2026 counted by hand (tests/scoring/targets_helpers.py), for the targets' tests and
    tests/scoring/test_evaluate_targets_command.py. test_rubric_v2.py and test_rubric_report.py
    have a ``world`` of their own, which overrides this one in those modules."""
    return record_october(dengfeng, desheng, street_staff, district_staff)
