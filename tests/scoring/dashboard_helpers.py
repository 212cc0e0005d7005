"""Plain helpers of the leader dashboard's tests (tests/scoring/test_dashboard_*.py): a known
set of TargetResult rows, the records behind a month of figures, and readers of the page's cells
and links."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints import services_followup
from lyushunkou.models import Jurisdiction, User
from scoring import periods, targets
from scoring.models import GradeSummary, TargetResult
from tests.complaints.helpers import register
from tests.helpers import make_unit
from tests.inspections.helpers import batch as record_batch
from units.models import ServiceStation, Unit

URL = reverse("dashboard")
PERIOD = "2026-10"
EVALUATED = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
# The lists behind a figure show the records recorded by the instant it was counted.
AS_OF = {"recorded_to": [timezone.localtime(EVALUATED).isoformat()]}

# key, label, numerator, denominator, value, comparator, threshold, met
DISTRICT_RESULTS = [
    ("complaint_handling_rate", "投诉处理率", 45, 50, "0.9", "eq", "1", False),
    ("food_sampling_pass_rate", "食品抽检合格率", 97, 100, "0.97", "gte", "0.97", True),
    ("key_goods_sampling_pass_rate", "重点消费品抽检合格率", 0, 0, None, "gte", "0.96", None),
    (
        "food_sampling_per_thousand",
        "食品抽检千人批次",
        21,
        "29.5833",
        "0.709859",
        "gte",
        "2",
        False,
    ),
    ("programme_awareness_rate", "知晓率", 85, 100, "0.85", "gte", "0.8", True),
    ("station_coverage", "12315站点覆盖率", 9, 10, "0.9", "gte", "0.9", True),
    ("problem_detection_rate", "抽检问题发现率", 3, 120, "0.025", "decrease", None, True),
]


def result(period: str, scope: str, order: int, row: tuple[Any, ...]) -> TargetResult:
    key, label, numerator, denominator, value, comparator, threshold, met = row
    return TargetResult.objects.create(
        period=period,
        scope_code=scope,
        key=key,
        label=label,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        value=None if value is None else Decimal(value),
        comparator=comparator,
        threshold=None if threshold is None else Decimal(threshold),
        met=met,
        order=order,
        evaluated_at=EVALUATED,
        # As scoring.targets.refresh stores it: how the target is shown.
        detail={"unit_label": "批次/千人" if key.endswith("per_thousand") else "%"},
    )


def district_results(period: str = PERIOD) -> None:
    for order, row in enumerate(DISTRICT_RESULTS):
        result(period, "district", order, row)


def street_results(code: str, missed: int, period: str = PERIOD) -> None:
    """``missed`` of the first three district targets missed for a street, the rest met."""
    for order, row in enumerate(DISTRICT_RESULTS[:3]):
        key, label, *_ = row
        met = order >= missed
        result(period, code, order, (key, label, 1, 2, "0.5", "gte", "0.4", met))


def cell_text(html: str, name: str) -> str:
    """The text inside the element with data-testid=name (tags stripped)."""
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)</t[dh]>', html, re.S)
    assert match, f"no element {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def href(html: str, name: str) -> str:
    match = re.search(rf'<a href="([^"]+)" data-testid="{re.escape(name)}"', html)
    assert match, f"no link {name}"
    return match.group(1).replace("&amp;", "&")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def warning_unit(jurisdiction: Jurisdiction, seed: int) -> Unit:
    return make_unit(
        jurisdiction,
        seed,
        demonstration_status="warning",
        status_reason="评分降至C级",
        certificate_no=f"LSK-2026-{seed:04d}",
        certified_from=dt.date(2026, 1, 1),
        certified_until=dt.date(2026, 12, 31),
    )


def concluded_complaint(
    place: Jurisdiction, by: User, on: dt.date, outcome: str, answer: str = "", **extra: Any
) -> None:
    complaint = register(place, on=on)
    complaint = complaint_services.complaint_accept(
        complaint=complaint, by=by, version=complaint.version, on=on
    )
    complaint = complaint_services.complaint_conclude(
        complaint=complaint,
        by=by,
        version=complaint.version,
        outcome=outcome,
        on=on + dt.timedelta(days=8),
        **extra,
    )
    if answer:
        services_followup.complaint_record_satisfaction(complaint=complaint, by=by, answer=answer)


def demo_unit(
    place: Jurisdiction,
    seed: int,
    status: str,
    *,
    certified: dt.date,
    station: dt.date | None = None,
    active: bool = True,
) -> None:
    unit = make_unit(
        place,
        seed,
        demonstration_status=status,
        certificate_no="" if status == "none" else f"LSK-T-{seed:04d}",
        certified_from=None if status == "none" else certified,
        certified_until=None if status == "none" else certified + dt.timedelta(days=365),
    )
    if station is not None:
        ServiceStation.objects.create(
            unit=unit,
            contact_person="李四",
            phone="0411-86612315",
            hours="9:00-17:00",
            location="服务台",
            active=active,
            registered_on=station,
        )


def survey(place: Jurisdiction, on: dt.date, aware: bool, approves: bool | None, life: str) -> None:
    services_followup.survey_record(
        jurisdiction=place, answered_on=on, aware=aware, approves=approves, life_services=life
    )


def listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def grade_summaries(period: str, jurisdiction: Jurisdiction, scale: int = 1) -> None:
    for grade, units, demo in (("A", 5, 2), ("B", 10, 1), ("C", 3, 0), ("D", 2, 0)):
        GradeSummary.objects.create(
            period=period,
            jurisdiction=jurisdiction,
            demonstration=False,
            grade=grade,
            units=units * scale,
            vetoed=1 if grade == "D" else 0,
        )
        if demo:
            GradeSummary.objects.create(
                period=period,
                jurisdiction=jurisdiction,
                demonstration=True,
                grade=grade,
                units=demo * scale,
            )


def record_a_month(
    dengfeng: Jurisdiction, desheng: Jurisdiction, street_staff: User, district_staff: User
) -> periods.Period:
    """Records of every kind the targets count, and of every kind they leave out."""
    month = periods.last_complete()

    def day(n: int) -> dt.date:
        return month.start + dt.timedelta(days=n)

    park = Jurisdiction.objects.create(
        code="210212001900", name="登峰测试园区", kind="park", parent=dengfeng, population=900
    )
    dengfeng.population = 18_250
    dengfeng.save(update_fields=["population"])
    bob, alice = street_staff, district_staff

    # Complaints.
    concluded_complaint(dengfeng, bob, day(1), "mediated", "satisfied")
    concluded_complaint(dengfeng, bob, day(2), "mediated", "basically")
    concluded_complaint(dengfeng, bob, day(3), "failed", "dissatisfied")
    concluded_complaint(
        dengfeng, bob, day(4), "terminated", "no_answer", termination_ground="absent"
    )
    concluded_complaint(dengfeng, bob, day(5), "withdrawn")  # handled; no resolution, no answer
    concluded_complaint(park, alice, day(6), "mediated", "satisfied")  # below 登峰: counted there
    # Received the month before, concluded in this one: resolution yes, handling no.
    concluded_complaint(dengfeng, bob, month.start - dt.timedelta(days=3), "failed", "basically")
    refused = register(dengfeng, on=day(7))
    complaint_services.complaint_refuse(
        complaint=refused, by=bob, version=refused.version, ground="elsewhere", on=day(8)
    )
    register(dengfeng, on=day(1))  # open, acceptance overdue: in the handling denominator
    late = register(dengfeng, on=day(25))
    complaint_services.complaint_accept(  # open, mediation due in 45 working days: left out
        complaint=late, by=bob, version=late.version, on=day(25)
    )
    register(dengfeng, on=day(9), kind="report")  # reports count nowhere
    register(dengfeng, on=month.start - dt.timedelta(days=1))  # received before the month
    concluded_complaint(desheng, alice, day(2), "mediated", "satisfied")

    # Sampling.
    sampled = day(14)
    for result in ("pass", "pass", "fail"):
        record_batch(
            bob,
            dengfeng,
            category="key_goods",
            product_name="电热水壶",
            result=result,
            sampled_on=sampled,
        )
    record_batch(
        bob, dengfeng, category="key_goods", sampling_type="evaluative", sampled_on=sampled
    )
    record_batch(
        bob,
        dengfeng,
        category="key_goods",
        sampling_type="risk_monitoring",
        result="fail",
        sampled_on=sampled,
    )
    record_batch(bob, dengfeng, category="key_goods", result="pending", sampled_on=sampled)
    for result in ("pass", "fail", "pass"):
        record_batch(bob, dengfeng, result=result, sampled_on=sampled)  # food, supervisory
    record_batch(bob, dengfeng, sampling_type="evaluative", result="fail", sampled_on=sampled)
    record_batch(
        bob, dengfeng, sampling_type="risk_monitoring", result="pending", sampled_on=sampled
    )
    record_batch(bob, dengfeng, sampling_type="rapid", result="fail", sampled_on=sampled)  # 快检
    record_batch(bob, dengfeng, result="pending", sampled_on=sampled)
    record_batch(alice, park, result="fail", sampled_on=day(20))
    record_batch(alice, desheng, category="key_goods", product_name="玩具", sampled_on=sampled)
    record_batch(bob, dengfeng, result="fail", sampled_on=month.start - dt.timedelta(days=2))
    record_batch(
        bob, dengfeng, result="fail", sampled_on=periods.parse(str(month.start.year - 1)).start
    )

    # Demonstration units and their 12315 stations.
    certified, registered = month.start - dt.timedelta(days=40), month.start - dt.timedelta(days=30)
    after = month.end + dt.timedelta(days=1)
    demo_unit(dengfeng, 1, "approved", certified=certified, station=registered)
    demo_unit(dengfeng, 2, "warning", certified=certified, station=registered)
    demo_unit(dengfeng, 3, "approved", certified=certified)
    demo_unit(dengfeng, 4, "approved", certified=certified, station=registered, active=False)
    demo_unit(dengfeng, 5, "approved", certified=certified, station=after)  # station too late
    demo_unit(dengfeng, 6, "approved", certified=after, station=registered)  # certified too late
    demo_unit(dengfeng, 7, "none", certified=certified, station=registered)
    demo_unit(dengfeng, 8, "revoked", certified=certified, station=registered)
    demo_unit(park, 9, "approved", certified=certified, station=registered)
    demo_unit(desheng, 10, "warning", certified=certified)

    # The consumer survey.
    for aware, approves, life in (
        (True, True, "satisfied"),
        (True, False, "basically"),
        (True, True, "dissatisfied"),
        (False, None, "neutral"),
        (False, None, "satisfied"),
    ):
        survey(dengfeng, day(10), aware, approves, life)
    survey(park, day(11), True, True, "basically")
    survey(desheng, day(10), True, True, "satisfied")
    survey(dengfeng, month.start - dt.timedelta(days=1), True, True, "satisfied")

    targets.refresh(month)
    return month
