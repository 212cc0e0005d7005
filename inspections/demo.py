"""Synthetic sampling, on-site checks and enforcement records for ``seed_demo``.

A year of sampling at the units the ``units`` seeder created (it runs first): about 1,500 batches
at district scale with pass rates around 96–98% (catering food and children's products worse), a
few re-tests that overturn a failure, disposals, some failures left overdue; on-site checks with
findings, penalties, a few safety incidents and one dishonest listing. Deterministic for a seed
(dates are relative to today, as in ``units.demo``); saved with ``bulk_create`` ``CHUNK`` records
at a time, so memory does not grow with the scale; idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import reset_queries, transaction
from django.utils import timezone

from inspections.models import (
    CheckItem,
    CheckType,
    DishonestListing,
    Disposal,
    DisposalKind,
    Finding,
    Guarantee,
    IncidentSeverity,
    OnSiteCheck,
    Penalty,
    PenaltyKind,
    ProductCategory,
    ProductSubcategory,
    SafetyIncident,
    SamplingBatch,
    SamplingResult,
    SamplingType,
    Severity,
)
from inspections.services import DISPOSAL_WORKDAYS, RETEST_APPLICATION_WORKDAYS
from inspections.services_checks import DEFAULT_CHECKLISTS, RECTIFICATION_WORKDAYS
from lyushunkou import audit
from lyushunkou.models import Role, User
from lyushunkou.workdays import add_workdays
from units.models import Industry, Unit

BATCHES = {"district": 1_500, "city": 30_000, "province": 150_000}
CHECKS_PER_BATCH = 0.2
UNIT_POOL = 20_000
CHUNK = 5_000  # sampling batches or on-site checks planned, written and dropped at a time
SAMPLED_INDUSTRIES = (
    Industry.RETAIL,
    Industry.CATERING,
    Industry.MALL,
    Industry.FARMERS_MARKET,
    Industry.PHARMACY,
)
CATEGORY_WEIGHTS = {
    ProductCategory.FOOD: 70,
    ProductCategory.KEY_GOODS: 18,
    ProductCategory.OTHER_GOODS: 12,
}
TYPE_WEIGHTS = {
    SamplingType.SUPERVISORY: 50,
    SamplingType.EVALUATIVE: 15,
    SamplingType.RISK_MONITORING: 10,
    SamplingType.RAPID: 25,
}
# Failure rates by sub-category: most goods pass 97–98%; catering food and children's goods worse.
FAILURE_RATES = {
    ProductSubcategory.FOOD_CATERING: 0.07,
    ProductSubcategory.KEY_CHILDREN: 0.06,
    ProductSubcategory.FOOD_VEGETABLES: 0.04,
}
DEFAULT_FAILURE_RATE = 0.022
PRODUCTS = {
    ProductSubcategory.FOOD_GRAIN: (("大米", "总汞"), ("挂面", "脱氢乙酸")),
    ProductSubcategory.FOOD_OIL: (("花生油", "黄曲霉毒素B1"), ("大豆油", "酸价")),
    ProductSubcategory.FOOD_MEAT: (("猪肉", "克伦特罗"), ("熟牛肉", "菌落总数")),
    ProductSubcategory.FOOD_DAIRY: (("纯牛奶", "蛋白质"), ("酸奶", "大肠菌群")),
    ProductSubcategory.FOOD_AQUATIC: (("海参", "孔雀石绿"), ("鲜虾", "恩诺沙星")),
    ProductSubcategory.FOOD_VEGETABLES: (("韭菜", "腐霉利"), ("大樱桃", "多菌灵")),
    ProductSubcategory.FOOD_BEVERAGES: (("饮用纯净水", "溴酸盐"), ("白酒", "甜蜜素")),
    ProductSubcategory.FOOD_CATERING: (("复用餐饮具", "阴离子合成洗涤剂"), ("凉拌菜", "大肠菌群")),
    ProductSubcategory.KEY_ELECTRICAL: (("电热水壶", "发热"), ("插座", "防触电保护")),
    ProductSubcategory.KEY_CHILDREN: (("儿童服装", "绳带"), ("玩具", "小零件")),
    ProductSubcategory.KEY_TEXTILES: (("床上用品", "纤维含量"), ("T恤衫", "pH值")),
    ProductSubcategory.OTHER_GOODS: (("一次性塑料餐盒", "迁移量"), ("文具", "可迁移元素")),
}
LABS = ("大连市产品质量检验检测研究院", "辽宁省食品检验检测院", "大连市食品检验所")
SUBCATEGORIES = {
    ProductCategory.FOOD: [s for s in PRODUCTS if s.startswith("food")],
    ProductCategory.KEY_GOODS: [s for s in PRODUCTS if s.startswith("key_goods")],
    ProductCategory.OTHER_GOODS: [ProductSubcategory.OTHER_GOODS],
}
CHECK_GUARANTEE: dict[str, str] = {
    CheckType.PRICE_MARKING: Guarantee.PRICE,
    CheckType.SAFETY: Guarantee.SAFETY,
    CheckType.SERVICE: Guarantee.SERVICE,
    CheckType.COMMITMENTS: Guarantee.RIGHTS,
    CheckType.STATION: Guarantee.RIGHTS,
}


def _pick(rng: random.Random, weights: Any) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Workdays:
    """Working-day deadlines, memoised: a year of failures has at most 365 notification days."""

    def __init__(self) -> None:
        self.cache: dict[tuple[dt.date, int], dt.date] = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        if (day, n) not in self.cache:
            self.cache[(day, n)] = add_workdays(day, n)
        return self.cache[(day, n)]


def seed_inspections(
    *, rng: random.Random, scale: str, stdout: Any, count: int | None = None
) -> None:
    total = count if count is not None else BATCHES[scale]
    prefix = f"YS{rng.randrange(10_000, 99_999)}"
    if SamplingBatch.objects.filter(sample_no__startswith=prefix).exists():
        stdout.write("inspections: demo sampling already seeded; nothing to do")
        return
    units = list(
        Unit.objects.filter(industry__in=SAMPLED_INDUSTRIES)
        .order_by("id")
        .values_list("id", "name", "credit_code", "address", "jurisdiction_id")[:UNIT_POOL]
    )
    staff = User.objects.filter(role=Role.STAFF, jurisdiction__isnull=True, is_active=True).first()
    if not units or staff is None:
        stdout.write("inspections: no units or no district-wide staff account; skipped")
        return
    started = timezone.now()
    today = timezone.localdate()
    workdays = _Workdays()
    with transaction.atomic():
        batches, disposals = _sampling(rng, total, units, staff, today, prefix, workdays)
        checks = _checks(rng, max(5, int(total * CHECKS_PER_BATCH)), units, staff, today, workdays)
        _records(rng, units, today, max(1, total // 75), prefix)
        audit.record(
            "demo.inspections_seeded",
            scale=scale,
            batches=batches,
            disposals=disposals,
            checks=checks,
        )
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"inspections: seeded {batches} sampling batches, {disposals} disposals, "
        f"{checks} on-site checks in {seconds:.1f} s"
    )


def _sampling(
    rng: random.Random,
    total: int,
    units: list[tuple[Any, ...]],
    staff: User,
    today: dt.date,
    prefix: str,
    workdays: _Workdays,
) -> tuple[int, int]:
    """The sampling batches and their disposals, planned, written and dropped ``CHUNK`` at a
    time."""
    written = disposed = 0
    for start in range(0, total, CHUNK):
        planned: list[SamplingBatch] = []
        disposal_plans: list[tuple[int, str, dt.date]] = []
        for index in range(start, min(start + CHUNK, total)):
            planned.append(
                _batch(rng, index, units, staff, today, prefix, workdays, disposal_plans, start)
            )
        SamplingBatch.objects.bulk_create(planned, batch_size=2000)
        disposals = [
            Disposal(batch=planned[i], kind=kind, done_on=day, responsible=staff)
            for i, kind, day in disposal_plans
        ]
        Disposal.objects.bulk_create(disposals, batch_size=2000)
        written += len(planned)
        disposed += len(disposals)
        reset_queries()  # with DEBUG on, Django keeps the SQL of every chunk otherwise
    return written, disposed


def _batch(
    rng: random.Random,
    index: int,
    units: list[tuple[Any, ...]],
    staff: User,
    today: dt.date,
    prefix: str,
    workdays: _Workdays,
    disposal_plans: list[tuple[int, str, dt.date]],
    offset: int,
) -> SamplingBatch:
    """One sampling batch; a disposal it needs goes to ``disposal_plans``, numbered from
    ``offset`` (the first batch of the chunk)."""
    unit_id, name, code, address, jurisdiction_id = rng.choice(units)
    sampled_on = today - dt.timedelta(days=rng.randrange(1, 366))
    category = _pick(rng, CATEGORY_WEIGHTS)
    subcategory = rng.choice(SUBCATEGORIES[category])
    product, failed_item = rng.choice(PRODUCTS[subcategory])
    batch = SamplingBatch(
        sample_no=f"{prefix}{index:07d}",
        sampled_on=sampled_on,
        sampling_type=_pick(rng, TYPE_WEIGHTS),
        category=category,
        subcategory=subcategory,
        product_name=product,
        batch_or_production_date=(sampled_on - dt.timedelta(days=rng.randrange(3, 60))).isoformat(),
        unit_id=unit_id,
        sampled_unit_name=name,
        sampled_unit_credit_code=code,
        sampled_unit_address=address,
        jurisdiction_id=jurisdiction_id,
        lab=rng.choice(LABS),
        created_by=staff,
    )
    failure = rng.random() < FAILURE_RATES.get(subcategory, DEFAULT_FAILURE_RATE)
    recent = (today - sampled_on).days < 20
    if recent and rng.random() < 0.6:
        batch.result = SamplingResult.PENDING
    elif failure:
        batch.result = SamplingResult.FAIL
        batch.failed_items = failed_item
        _after_failure(rng, batch, today, workdays, disposal_plans, index - offset)
    else:
        batch.result = SamplingResult.PASS
    batch.final_result = SamplingBatch.final_of(batch.result, batch.retest_result)
    return batch


def _after_failure(
    rng: random.Random,
    batch: SamplingBatch,
    today: dt.date,
    workdays: _Workdays,
    disposal_plans: list[tuple[int, str, dt.date]],
    index: int,
) -> None:
    notified = batch.sampled_on + dt.timedelta(days=rng.randrange(7, 15))
    if notified >= today:
        return
    batch.notified_on = notified
    batch.retest_due = workdays.add(notified, RETEST_APPLICATION_WORKDAYS)
    batch.disposal_due = workdays.add(notified, DISPOSAL_WORKDAYS)
    if rng.random() < 0.15 and batch.retest_due < today:
        batch.retest_applied_on = notified + dt.timedelta(days=rng.randrange(1, 5))
        batch.retest_lab = rng.choice(LABS)
        decided = batch.retest_applied_on + dt.timedelta(days=rng.randrange(10, 20))
        if decided < today:
            batch.retest_decided_on = decided
            batch.retest_result = rng.choice((SamplingResult.PASS, SamplingResult.FAIL))
    if batch.retest_result == SamplingResult.PASS:
        return
    if rng.random() < 0.85 or batch.disposal_due >= today:
        done_on = min(today, notified + dt.timedelta(days=rng.randrange(1, 12)))
        kind = rng.choices(
            (
                DisposalKind.DELISTED,
                DisposalKind.CASE_OPENED,
                DisposalKind.RECTIFIED,
                DisposalKind.RECALLED,
            ),
            weights=(50, 25, 20, 5),
        )[0]
        if done_on < today:
            disposal_plans.append((index, kind, done_on))


def _check(
    rng: random.Random, units: list[tuple[Any, ...]], staff: User, today: dt.date
) -> tuple[OnSiteCheck, list[bool]]:
    """One on-site check and which of its checklist's items passed."""
    unit_id = rng.choice(units)[0]
    check_type = rng.choices(list(CheckType.values), weights=(40, 25, 15, 12, 8))[0]
    check = OnSiteCheck(
        unit_id=unit_id,
        checked_on=today - dt.timedelta(days=rng.randrange(1, 366)),
        check_type=check_type,
        inspectors="区局执法人员（演示）",
        staff=staff,
    )
    return check, [rng.random() > 0.06 for _item in DEFAULT_CHECKLISTS[check_type]]


def _checks(
    rng: random.Random,
    total: int,
    units: list[tuple[Any, ...]],
    staff: User,
    today: dt.date,
    workdays: _Workdays,
) -> int:
    """On-site checks with their items and findings, ``CHUNK`` checks at a time.

    The first version planned every check, then drew the findings of all of them: the checks
    are drawn from a copy of ``rng`` and the findings from ``rng`` itself, advanced past the
    checks' draws by a dry run, so the same seed gives the same records chunk by chunk.
    """
    planning = random.Random()
    planning.setstate(rng.getstate())
    for _index in range(total):  # dry run
        _check(rng, units, staff, today)
    for start in range(0, total, CHUNK):
        planned = [_check(planning, units, staff, today) for _ in range(min(CHUNK, total - start))]
        checks = [check for check, _passed in planned]
        OnSiteCheck.objects.bulk_create(checks, batch_size=2000)
        items: list[CheckItem] = []
        findings: list[Finding] = []
        for check, passed in planned:
            for item, ok in zip(DEFAULT_CHECKLISTS[check.check_type], passed, strict=True):
                items.append(CheckItem(check_record=check, item=item, passed=ok))
                if not ok:
                    findings.append(_finding(rng, check, item, staff, today, workdays))
        CheckItem.objects.bulk_create(items, batch_size=5000)
        Finding.objects.bulk_create(findings, batch_size=2000)
        reset_queries()
    return total


def _finding(
    rng: random.Random,
    check: OnSiteCheck,
    item: str,
    staff: User,
    today: dt.date,
    workdays: _Workdays,
) -> Finding:
    due = workdays.add(check.checked_on, RECTIFICATION_WORKDAYS)
    finding = Finding(
        check_record=check,
        unit_id=check.unit_id,
        guarantee=CHECK_GUARANTEE[check.check_type],
        severity=rng.choices(list(Severity.values), weights=(80, 17, 3))[0],
        description=f"{item}：未达到要求",
        rectification_due=due,
    )
    if due < today and rng.random() < 0.8:
        finding.rectified_on = due - dt.timedelta(days=rng.randrange(0, 5))
        finding.rectification_note = "已按要求整改完毕"
        if rng.random() < 0.7:
            finding.confirmed_by = staff
            finding.confirmed_at = timezone.now()
    return finding


def _records(
    rng: random.Random, units: list[tuple[Any, ...]], today: dt.date, penalties: int, prefix: str
) -> None:
    def day() -> dt.date:
        return today - dt.timedelta(days=rng.randrange(1, 366))

    Penalty.objects.bulk_create(
        Penalty(
            unit_id=rng.choice(units)[0],
            kind=rng.choices(list(PenaltyKind.values), weights=(15, 25, 35, 15, 10))[0],
            decision_no=f"旅市监处罚〔{today.year}〕{prefix}-{number:04d}号",
            decided_on=day(),
            amount=rng.choice((2000, 5000, 10000, 20000, 50000)),
        )
        for number in range(1, penalties + 1)
    )
    SafetyIncident.objects.bulk_create(
        SafetyIncident(
            unit_id=rng.choice(units)[0],
            occurred_on=day(),
            severity=severity,
            description=description,
            harmed_consumers=harmed,
        )
        for severity, description, harmed in (
            (IncidentSeverity.GENERAL, "后厨油锅起火，及时扑灭，无人员伤亡", False),
            (IncidentSeverity.GENERAL, "顾客食用凉拌菜后腹泻，经调查为个别过敏", True),
            (IncidentSeverity.LARGER, "液化气泄漏引发局部爆燃，两人轻伤", True),
        )
    )
    DishonestListing.objects.create(
        unit_id=rng.choice(units)[0],
        listed_on=day(),
        authority="大连市旅顺口区市场监督管理局",
        reason="因销售不合格食品受到较重行政处罚，拒不履行",
    )
