"""Scoring demo data for ``seed_demo``, run after the units, complaints and inspections seeders.

It designates two jurisdictions as demonstration areas (登峰街道, the demo street staff's, for
over a year; 水师营街道 since a few months ago, so the trend shows the stricter threshold
starting) with their checklist items — some confirmed, some awaiting confirmation, some not
recorded — then grades every unit for the last few months with
``scoring.grading.engine.score_units`` (oldest first, so the current month's grades decide
demonstration status) and refreshes the targets' summary table for the last 12 months, 4 quarters
and 2 years, so the leader dashboard has a trend.

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
from lyushunkou.db_maintenance import analyzing_written_tables
from lyushunkou.models import Jurisdiction, Role, User
from scoring import targets
from scoring.demo_evidence import seed_grading_evidence
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


def seed_scoring(*, rng: random.Random, scale: str, stdout: Any) -> None:
    """The ``scoring`` seeder (see ``lyushunkou.demo``): the evidence rubric v2 reads
    (verifications, checks of demonstration units), then grades and targets."""
    from scoring.grading.engine import score_units

    started = time.perf_counter()
    today = timezone.localdate()
    areas, items = designate_areas(today=today, confirmer=_confirmer())
    # Analysed before grading reads it: a million units' checks were planned as an empty table
    # (a parallel scan of 3.8 million check items per demonstration unit, 0.7 s each).
    with analyzing_written_tables():
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
