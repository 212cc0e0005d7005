"""Scoring demo data for ``seed_demo``, run after the units, complaints and inspections seeders.

It designates two jurisdictions as demonstration areas (登峰街道, the demo street staff's, for
over a year; 水师营街道 since a few months ago, so the trend shows the stricter threshold
starting) with their checklist items — some confirmed, some awaiting confirmation, some not
recorded — then grades every unit for the last few months with ``scoring.engine.score_units``
(oldest first, so the current month's grades decide demonstration status) and refreshes the
targets' summary table for the last 12 months, 4 quarters and 2 years, so the leader dashboard
has a trend.

Idempotent: areas and checklist items that exist are left as they are (staff may have edited
them), grades of a period are replaced, summary rows are upserted.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from lyushunkou import audit
from lyushunkou.models import Jurisdiction, Role, User
from scoring import targets
from scoring.models import ChecklistItem, DemonstrationArea
from scoring.periods import MONTH, QUARTER, YEAR, current

Item = ChecklistItem.Item

# code, days since designation, {item: (done, confirmed, evidence)}
DEMO_AREAS: list[tuple[str, int, dict[str, tuple[bool, bool, str]]]] = [
    (
        "210212001000",  # 登峰街道
        420,
        {
            Item.JOINT_CONFERENCE: (
                True,
                True,
                "登峰街道放心消费创建联席会议制度（登政办〔2025〕8号），每季度召开一次。",
            ),
            Item.LEADERSHIP_GROUP: (
                True,
                True,
                "成立以街道办事处主任为组长的放心消费创建工作领导小组（登政发〔2025〕11号）。",
            ),
            Item.IMPLEMENTATION_PLAN: (
                True,
                True,
                "《登峰街道放心消费示范区创建实施方案》已印发，明确任务分工和时间节点。",
            ),
            Item.EMERGENCY_PLAN: (
                True,
                True,
                "《消费领域突发事件应急预案》已制定，2025年11月组织了一次应急演练。",
            ),
            Item.PUBLICITY: (
                True,
                False,
                "黄河路商圈设立宣传栏6处，“3·15”期间开展进社区宣传活动4场。",
            ),
        },
    ),
    (
        "210212005000",  # 水师营街道
        120,
        {
            Item.LEADERSHIP_GROUP: (
                True,
                True,
                "成立放心消费创建工作领导小组，办公室设在市场监管所。",
            ),
            Item.IMPLEMENTATION_PLAN: (
                True,
                False,
                "实施方案已起草，待街道党工委会议审议。",
            ),
            Item.JOINT_CONFERENCE: (False, False, ""),
        },
    ),
]
SCORED_MONTHS = {"district": 3, "city": 1, "province": 1}
# Rubric v2 earns points by verified evidence. In the field, verification and inspection go
# together: staff verify a unit's systems on the visits they make, and units that keep their systems
# in force are the ones inspected and re-inspected. So an *engaged* share of ordinary units has its
# systems verified and is inspected more often; the rest are inspected now and then, by industry
# (food, markets and lodging more than the others), and mostly stay "not graded".
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
TREND = ((MONTH, 12), (QUARTER, 4), (YEAR, 2))


def _confirmer() -> User | None:
    staff = User.objects.filter(role=Role.STAFF, is_active=True, jurisdiction__isnull=True)
    return staff.filter(username="staff").first() or staff.order_by("pk").first()


@transaction.atomic
def designate_areas(*, today: dt.date, confirmer: User | None) -> tuple[int, int]:
    """Demonstration areas and their checklist items; returns how many of each were created."""
    places = {
        j.code: j for j in Jurisdiction.objects.filter(code__in=[code for code, _, _ in DEMO_AREAS])
    }
    existing = {
        (jurisdiction_id, item)
        for jurisdiction_id, item in ChecklistItem.objects.filter(
            jurisdiction__in=places.values()
        ).values_list("jurisdiction_id", "item")
    }
    now = timezone.now()
    areas = 0
    items: list[ChecklistItem] = []
    for code, days, checklist in DEMO_AREAS:
        place = places.get(code)
        if place is None:
            continue
        _, created = DemonstrationArea.objects.get_or_create(
            jurisdiction=place,
            defaults={
                "designated_on": today - dt.timedelta(days=days),
                "note": "放心消费示范区（演示数据）",
            },
        )
        areas += created
        for item, (done, confirmed, evidence) in checklist.items():
            if (place.pk, item) in existing:
                continue
            confirmed = confirmed and confirmer is not None
            items.append(
                ChecklistItem(
                    jurisdiction=place,
                    item=item,
                    done=done,
                    evidence_note=evidence,
                    confirmed_by=confirmer if confirmed else None,
                    confirmed_at=now - dt.timedelta(days=days // 2) if confirmed else None,
                )
            )
    ChecklistItem.objects.bulk_create(items)
    return areas, len(items)


@transaction.atomic
def seed_grading_evidence(*, rng: random.Random, today: dt.date, staff: User | None) -> int:
    """Verifications and checks that rubric v2 reads, so the demo's grades vary: demonstration
    units have their commitments and station verified and a passed safety, price-marking and
    commitments check in the last year (they meet the standard: mostly A); a share of the other
    units (the engaged ones) keep verified systems and are inspected more often; catering,
    markets and lodging are inspected more often than the rest. Returns the number of records
    changed or created. Idempotent: verified records and units already checked of a type in the
    window are left alone."""
    from inspections.models import CheckItem, OnSiteCheck
    from inspections.services_checks import DEFAULT_CHECKLISTS
    from units.models import Commitment, ServiceStation, Unit

    if staff is None:
        return 0
    since = today - dt.timedelta(days=330)
    verified_at = timezone.now() - dt.timedelta(days=60)
    operating = Unit.objects.filter(business_status="operating")
    showcase = set(
        operating.filter(demonstration_status__in=("approved", "warning")).values_list(
            "pk", flat=True
        )
    )
    units = list(operating.order_by("pk").values_list("pk", "industry"))
    engaged = {pk for pk, _industry in units if pk in showcase or rng.random() < ENGAGED_SHARE}
    staffed = set(
        ServiceStation.objects.filter(active=True)
        .exclude(contact_person="")
        .values_list("unit_id", flat=True)
    )
    exemplary = {
        pk for pk in sorted((engaged & staffed) - showcase) if rng.random() < EXEMPLARY_SHARE
    }
    stations = [
        pk
        for pk, _industry in units
        if pk in showcase | exemplary or rng.random() < STATION_VERIFIED[pk in engaged]
    ]
    # Engaged units keep their systems in force: the three the rubric verifies most, declared where
    # the units seeder left them out (one commitment per kind and unit), and half of them a public
    # service commitment.
    wanted = [
        (pk, kind, text)
        for pk in sorted(engaged)
        for kind, text in SYSTEMS
        + (
            (SERVICE_SYSTEM, RETURN_SYSTEM)
            if pk in exemplary
            else (SERVICE_SYSTEM,)
            if rng.random() < SERVICE_COMMITMENT_VERIFIED
            else ()
        )
    ]
    have = set(Commitment.objects.filter(unit__in=engaged).values_list("unit_id", "kind"))
    Commitment.objects.bulk_create(
        (
            Commitment(
                unit_id=pk,
                kind=kind,
                content=text,
                committed_on=since,
                return_days=RETURN_DAYS if kind == "return" else None,
            )
            for pk, kind, text in wanted
            if (pk, kind) not in have
        ),
        batch_size=5000,
    )
    changed = Commitment.objects.filter(
        unit__in=engaged, active=True, verified_at__isnull=True
    ).update(verified_at=verified_at, verified_by=staff, verification_note=DEMO_NOTE)
    changed += (
        ServiceStation.objects.filter(unit__in=stations, active=True, verified_at__isnull=True)
        .exclude(contact_person="")
        .update(verified_at=verified_at, verified_by=staff)
    )
    checked = set(
        OnSiteCheck.objects.filter(checked_on__gte=since).values_list("unit_id", "check_type")
    )
    planned: list[tuple[int, str]] = []
    for pk, industry in units:
        if pk in showcase or pk in exemplary:
            planned += [(pk, kind) for kind, _item in DEMONSTRATION_CHECKS]
            continue
        extra = ENGAGED_EXTRA_CHECK if pk in engaged else 0.0
        if rng.random() < SAFETY_CHECK.get(industry, OTHER_INDUSTRIES) + extra:
            planned.append((pk, "safety"))
        if rng.random() < PRICE_CHECK.get(industry, OTHER_INDUSTRIES) + extra:
            planned.append((pk, "price_marking"))
        if rng.random() < COMMITMENTS_CHECK[pk in engaged]:
            planned.append((pk, "commitments"))
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
        (
            CheckItem(check_record=check, item=item, passed=True)
            for check in checks
            for item in DEFAULT_CHECKLISTS[check.check_type]
        ),
        batch_size=5000,
    )
    return changed + len(checks)


def seed_scoring(*, rng: random.Random, scale: str, stdout: Any) -> None:
    """The ``scoring`` seeder (see ``lyushunkou.demo``): the evidence rubric v2 reads
    (verifications, checks of demonstration units), then grades and targets."""
    from scoring.engine import score_units

    started = time.perf_counter()
    today = timezone.localdate()
    areas, items = designate_areas(today=today, confirmer=_confirmer())
    evidence = seed_grading_evidence(rng=rng, today=today, staff=_confirmer())
    graded = []
    for period in current(MONTH, today).last(SCORED_MONTHS.get(scale, 1)):
        summary = score_units(period, today=today)
        graded.append(f"{period.key}: {summary['units']}")
    scored = time.perf_counter()
    periods = [period for kind, n in TREND for period in current(kind, today).last(n)]
    rows = sum(targets.refresh(period, today=today) for period in periods)
    audit.record(
        "demo.scoring_seeded",
        scale=scale,
        areas=areas,
        checklist_items=items,
        grading_evidence=evidence,
        graded=graded,
        target_results=rows,
    )
    stdout.write(
        f"scoring: {areas} new demonstration areas, {items} checklist items; units graded "
        f"({', '.join(graded)}) in {scored - started:.1f} s; {rows} target results for "
        f"{len(periods)} periods in {time.perf_counter() - scored:.1f} s"
    )
