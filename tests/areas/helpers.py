"""Building the records the area standard reads, through the services where there is one.

``meet_every_item(place, year, staff)`` gives a street (or the district) every item of the
standard for ``year``: each confirmed item recorded in place and confirmed with a PDF, one activity
of each kind (the campaign with its findings), two communities each with a network point, and the
four target figures of the year above the area's thresholds with enough samples. The keyword
arguments leave an item out or change a figure, for the fixtures that must miss one.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas import services
from areas.models import AreaCriterion, Community, NetworkPoint
from areas.standard import CONFIRMED_RULE
from lyushunkou.models import Jurisdiction, User
from scoring.models import TargetResult

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40
YEAR = 2025
_codes = itertools.count(1)

# key → (label, value, denominator): the four figures of the "targets" item, all above threshold.
GOOD_TARGETS: dict[str, tuple[str, str, int]] = {
    "complaint_handling_rate": ("投诉处理率", "1", 40),
    "complaint_satisfaction_rate": ("投诉处理满意率", "0.95", 40),
    "programme_awareness_rate": ("放心消费知晓率", "0.86", 200),
    "programme_recognition_rate": ("放心消费认可率", "0.93", 170),
}


def pdf(name: str = "证明材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def confirm(place: Jurisdiction, code: str, staff: User, *, year: int = YEAR) -> Any:
    return services.confirmation_save(
        place=place,
        year=year,
        criterion=AreaCriterion.objects.get(code=code),
        record=None,
        by=staff,
        version=0,
        in_place=True,
        note=f"{place.name}{code}文件",
        upload=pdf(),
        confirm=True,
    )


def community(street: Jurisdiction, name: str = "") -> Community:
    number = next(_codes)
    return Community.objects.create(
        code=f"{street.code[:9]}{number:03d}",
        name=name or f"{street.name}第{number}社区",
        street=street,
    )


def point(
    where: Community, staff: User, *, kind: str = NetworkPoint.Kind.LIAISON, **extra: Any
) -> NetworkPoint:
    data: dict[str, Any] = {
        "kind": kind,
        "name": f"{where.name}消费维权联络站",
        "community": where,
        "contact_person": "王联络",
        "contact_phone": "13912345678",
        "opening_hours": "周一至周五 8:30-17:00",
        "address": f"{where.name}党群服务中心",
    }
    data.update(extra)
    return services.network_point_create(by=staff, **data)


def target(
    scope: str, key: str, value: str, denominator: int, *, year: int = YEAR, **detail: Any
) -> TargetResult:
    label = GOOD_TARGETS[key][0] if key in GOOD_TARGETS else key
    value_d = Decimal(value)
    return TargetResult.objects.update_or_create(
        period=str(year),
        scope_code=scope,
        key=key,
        defaults={
            "label": label,
            "numerator": value_d * denominator,
            "denominator": Decimal(denominator),
            "value": value_d,
            "comparator": "gte",
            "threshold": Decimal("0.8"),
            "met": True,
            "detail": {"threshold_scope": "district", **detail},
            "evaluated_at": timezone.now(),
        },
    )[0]


def meet_every_item(
    place: Jurisdiction,
    year: int,
    staff: User,
    *,
    skip: tuple[str, ...] = (),
    figures: dict[str, str] | None = None,
) -> None:
    """Every item of the standard for ``place`` and ``year``, except the codes in ``skip``;
    ``figures`` overrides target values (key → value)."""
    for criterion in AreaCriterion.objects.filter(rule=CONFIRMED_RULE):
        if criterion.code not in skip:
            confirm(place, criterion.code, staff, year=year)
    held_on = dt.date(year, 6, 1)
    activities: dict[str, dict[str, Any]] = {
        "publicity": {"kind": "publicity", "title": "3·15 主题宣传", "findings": ""},
        "rectification": {"kind": "campaign", "title": "农贸市场专项整治", "findings": "整改3处"},
        "legal_education": {"kind": "legal_education", "title": "消法进社区", "findings": ""},
    }
    for code, data in activities.items():
        if code not in skip:
            services.activity_record(
                place=place,
                by=staff,
                **{**data, "held_on": held_on, "venue": "街道广场", "reach": 300},
            )
    if "network_coverage" not in skip and place.kind != Jurisdiction.Kind.DISTRICT:
        for _n in range(2):
            point(community(place), staff)
    scope = "district" if place.kind == Jurisdiction.Kind.DISTRICT else place.code
    for key, (_label, value, denominator) in GOOD_TARGETS.items():
        target(scope, key, (figures or {}).get(key, value), denominator, year=year)
