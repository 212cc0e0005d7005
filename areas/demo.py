"""Demonstration-area demo data for ``seed_demo`` (issue 21 item 5), run after scoring's seeder.

Every active street and park gets its communities and villages (codes under the street's 12-digit
division code: 001… for communities, 201… for villages); most of them get a consumer-rights
liaison point, and the district one consumer-association office. The active 12315 service stations
of demonstration units (seeded by the units' seeder) join the network as points of the kind
"unit's 12315 station", each in one of its street's urban communities (shops are in communities
rather than villages, so coverage still differs from street to street) and at its unit's
coordinates where the unit has them; read and written in chunks, since ``--scale city`` has a
million units. The demo street (登峰街道) records most items of this year's standard — four items
confirmed with an evidence file, one in place awaiting confirmation, its three kinds of activity
logged — and submits its self-assessment, which waits for the district's review.

Idempotent: a street that has communities is left as it is, a unit whose station is a point
already is skipped, and a self-assessment already submitted for the year is kept.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from areas import services, services_assessment
from areas.models import AreaActivity, AreaConfirmation, AreaCriterion, Community, NetworkPoint
from areas.models_assessment import AreaAssessment
from lyushunkou.demo import DEMO_STREET_CODE
from lyushunkou.models import Jurisdiction, Role, User
from units.models import DemonstrationStatus, ServiceStation

COMMUNITY_NAMES = ["黄河路", "长江路", "太阳沟", "白玉山", "友谊", "新华", "光荣", "和平"]
VILLAGE_NAMES = ["王家", "刘家", "北海", "南山", "东沟", "西沟", "小孤山", "大房身"]
COVERED_SHARE = 0.8  # about this share of communities and villages has a liaison point
HOURS = ["周一至周五 8:30-17:00", "周一至周六 9:00-16:30", "每日 8:00-18:00"]
CENTRE = (Decimal("38.8120"), Decimal("121.2630"))  # 旅顺口区 (WGS 84)
CHUNK = 2_000  # stations read and points written at a time: bounded memory at city scale
VILLAGE_FROM = 200  # community codes end in 001… for communities and 201… for villages
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Confirmed with a file; risk_warning stays recorded in place without a confirmation.
CONFIRMED = {
    "joint_conference": "旅政办发〔{year}〕3号 消费维权联席会议制度",
    "leadership": "街道放心消费创建领导小组及实施方案",
    "safety_emergency": "安全管理责任制及公共安全突发事件应急预案",
    "organisations": "街道消费者协会分会，专职人员2名",
}
ACTIVITIES = [
    ("publicity", "3·15 国际消费者权益日主题宣传", "", (3, 15)),
    ("campaign", "农贸市场计量器具专项整治", "检查商户46户，发现问题秤3台，已责令整改", (5, 20)),
    ("legal_education", "《消费者权益保护法》进社区", "", (9, 10)),
]


def _staff() -> User | None:
    staff = User.objects.filter(role=Role.STAFF, is_active=True, jurisdiction__isnull=True)
    return staff.filter(username="staff").first() or staff.order_by("pk").first()


def _prefix(street: Jurisdiction) -> str:
    code = street.code
    return code[:9] if len(code) == 12 and code.isdigit() else f"{code}-"


def _phone(rng: random.Random) -> str:
    return f"139{rng.randrange(10**8):08d}"


def _coordinate(rng: random.Random) -> tuple[Decimal, Decimal]:
    lat, lon = CENTRE
    jitter = Decimal(rng.randrange(-50000, 50001)) / Decimal(10**6)
    return lat + jitter, lon + Decimal(rng.randrange(-80000, 80001)) / Decimal(10**6)


@transaction.atomic
def seed_network(*, rng: random.Random, staff: User) -> tuple[int, int]:
    """Communities and points for every street without communities; returns how many of each."""
    streets = list(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )
    seeded = set(Community.objects.values_list("street_id", flat=True).distinct())
    communities: list[Community] = []
    for street in streets:
        if street.pk in seeded:
            continue
        prefix = _prefix(street)
        names = rng.sample(COMMUNITY_NAMES, rng.randint(3, 5))
        villages = rng.sample(VILLAGE_NAMES, rng.randint(2, 4))
        communities += [
            Community(code=f"{prefix}{n:03d}", name=f"{name}社区", street=street)
            for n, name in enumerate(names, start=1)
        ]
        communities += [
            Community(code=f"{prefix}{200 + n:03d}", name=f"{name}村", street=street)
            for n, name in enumerate(villages, start=1)
        ]
    Community.objects.bulk_create(communities)
    points: list[NetworkPoint] = []
    for community in Community.objects.filter(code__in=[c.code for c in communities]).order_by(
        "code"
    ):
        if rng.random() >= COVERED_SHARE:
            continue
        latitude, longitude = _coordinate(rng)
        points.append(
            NetworkPoint(
                kind=NetworkPoint.Kind.LIAISON,
                name=f"{community.name}消费维权联络站",
                community=community,
                address=f"{community.name}居民服务中心",
                contact_person=f"{community.name[:2]}联络员（演示）",
                contact_phone=_phone(rng),
                opening_hours=rng.choice(HOURS),
                latitude=latitude,
                longitude=longitude,
                created_by=staff,
            )
        )
    if communities and not NetworkPoint.objects.filter(kind=NetworkPoint.Kind.ASSOCIATION).exists():
        seat = min(communities, key=lambda c: c.code)
        points.append(
            NetworkPoint(
                kind=NetworkPoint.Kind.ASSOCIATION,
                name="旅顺口区消费者协会",
                community=Community.objects.get(code=seat.code),
                address="旅顺口区黄河路（演示）",
                contact_person="消协值班员（演示）",
                contact_phone=_phone(rng),
                opening_hours=HOURS[0],
                created_by=staff,
            )
        )
    NetworkPoint.objects.bulk_create(points)
    return len(communities), len(points)


def _urban_communities() -> dict[int, list[int]]:
    """The active communities (not villages) of each street, by street id, in code order."""
    by_street: dict[int, list[int]] = {}
    for pk, street_id, code in (
        Community.objects.filter(active=True)
        .order_by("code")
        .values_list("pk", "street_id", "code")
    ):
        suffix = code[-3:]
        if not (suffix.isdigit() and int(suffix) > VILLAGE_FROM):
            by_street.setdefault(street_id, []).append(pk)
    return by_street


def _station_point(row: Mapping[str, Any], community_id: int, staff: User) -> NetworkPoint:
    placed = row["unit__latitude"] is not None and row["unit__longitude"] is not None
    return NetworkPoint(
        kind=NetworkPoint.Kind.STATION,
        name=f"{row['unit__name'][:86]}12315消费维权服务站",
        community_id=community_id,
        unit_id=row["unit_id"],
        address=(row["location"] or row["unit__address"])[:200],
        contact_person=row["contact_person"][:50],
        contact_phone=row["phone"][:20],
        opening_hours=row["hours"][:100],
        latitude=row["unit__latitude"] if placed else None,
        longitude=row["unit__longitude"] if placed else None,
        created_by=staff,
    )


@transaction.atomic
def seed_stations(*, staff: User) -> int:
    """The active 12315 stations of demonstration units (approved or in warning) as network
    points, each in an urban community of the unit's street (the unit's primary key picks which,
    so seeding is deterministic); a unit whose street has no communities, or whose station is a
    point already, is skipped. Returns how many points were added."""
    communities = _urban_communities()
    if not communities:
        return 0
    stations = (
        ServiceStation.objects.filter(
            active=True,
            unit__demonstration_status__in=[
                DemonstrationStatus.APPROVED,
                DemonstrationStatus.WARNING,
            ],
            unit__jurisdiction_id__in=list(communities),
        )
        .exclude(
            Exists(
                NetworkPoint.objects.filter(
                    unit_id=OuterRef("unit_id"), kind=NetworkPoint.Kind.STATION
                )
            )
        )
        .order_by("unit_id")
        .values(
            "unit_id",
            "unit__name",
            "unit__address",
            "unit__jurisdiction_id",
            "unit__latitude",
            "unit__longitude",
            "contact_person",
            "phone",
            "hours",
            "location",
        )
    )
    added = 0
    batch: list[NetworkPoint] = []
    for row in stations.iterator(chunk_size=CHUNK):
        choices = communities[row["unit__jurisdiction_id"]]
        batch.append(_station_point(row, choices[row["unit_id"] % len(choices)], staff))
        if len(batch) >= CHUNK:
            NetworkPoint.objects.bulk_create(batch)
            added += len(batch)
            batch = []
    NetworkPoint.objects.bulk_create(batch)
    return added + len(batch)


@transaction.atomic
def seed_assessment(*, street: Jurisdiction, staff: User, today: dt.date) -> bool:
    """The demo street's records of this year and its submitted self-assessment; False when it
    was submitted already."""
    year = today.year
    if AreaAssessment.objects.filter(place=street, year=year).exists():
        return False
    criteria = {c.code: c for c in AreaCriterion.objects.filter(active=True)}
    recorded = set(
        AreaConfirmation.objects.filter(place=street, year=year).values_list(
            "criterion__code", flat=True
        )
    )
    for code, note in [*CONFIRMED.items(), ("risk_warning", "消费风险排查台账（待确认）")]:
        if code in criteria and code not in recorded:
            services.confirmation_save(
                place=street,
                year=year,
                criterion=criteria[code],
                record=None,
                by=staff,
                version=0,
                in_place=True,
                note=note.format(year=year),
                upload=SimpleUploadedFile(f"{code}.pdf", PDF, "application/pdf")
                if code in CONFIRMED
                else None,
                confirm=code in CONFIRMED,
            )
    logged = set(
        AreaActivity.objects.filter(place=street, held_on__year=year).values_list("kind", flat=True)
    )
    for kind, title, findings, (month, day) in ACTIVITIES:
        if kind not in logged:
            services.activity_record(
                place=street,
                by=staff,
                kind=kind,
                title=title,
                held_on=min(dt.date(year, month, day), today),
                venue=f"{street.name}文化广场",
                reach=300,
                findings=findings,
                today=today,
            )
    services_assessment.assessment_submit(
        place=street,
        year=year,
        by=staff,
        statement=f"{street.name}{year}年度放心消费示范区创建自评：联席会议、领导机构、"
        "应急预案和维权组织已落实，宣传、整治和普法活动已开展；风险预警材料待区局确认。",
        record=None,
        version=0,
    )
    return True


def seed_areas(*, rng: random.Random, scale: str, stdout: Any, **_: Any) -> None:
    staff = _staff()
    if staff is None:
        stdout.write("areas: no district-wide staff account; nothing seeded")
        return
    communities, points = seed_network(rng=rng, staff=staff)
    stations = seed_stations(staff=staff)
    street = Jurisdiction.objects.filter(code=DEMO_STREET_CODE, active=True).first()
    submitted = False
    if street is not None:
        submitter = (
            User.objects.filter(role=Role.STAFF, is_active=True, jurisdiction=street).first()
            or staff
        )
        submitted = seed_assessment(street=street, staff=submitter, today=timezone.localdate())
    stdout.write(
        f"areas: {communities} new communities and villages, {points} network points, "
        f"{stations} units' 12315 stations added to the network"
        + (f"; {street.name if street else ''} submitted its self-assessment" if submitted else "")
    )
