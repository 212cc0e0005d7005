"""Record kinds whose points need staff verification, and the unit's own complaint handling
(DESIGN.md §5, rubric version 2).

A self-discipline commitment or the 12315 station counts as verified when staff recorded a
verification on or before the as-of date (reviewing its evidence files: ``verified_at``) or an
on-site check item within the window that names the system passed; a failed item of a later date
than both outweighs them. ``"verified": false`` selects the self-declared rest, shown on the grade
page as 待核实 (awaiting verification) by a ``pending`` indicator that earns nothing.

The rates (handling 100 %, reconciliation above 90 %) are computed over the complaints forwarded
to the unit through ODR in the window, as the demonstration-unit standard does; a complaint still
within its response period is not counted yet, and below ``min_complaints`` there is no evidence
either way (no record at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext_lazy

from complaints.models import Complaint, Kind, OdrResponse, Status
from inspections.models import CheckItem
from scoring.grading.rules.records import (
    BOOL,
    NUMBER,
    RecordKind,
    Row,
    _choice,
    _choices,
    _excerpt,
    _label,
    as_number,
)
from units.models import Commitment, ServiceStation

# The words of the on-site check items that verify each system (inspections' default checklists:
# "首问负责制度落实", "购销台账完整", "有专人负责投诉处理", ...).
CHECK_WORDS: dict[str, tuple[str, ...]] = {
    Commitment.Kind.FIRST_ASK: ("首问负责",),
    Commitment.Kind.ADVANCE_COMPENSATION: ("先行赔付",),
    Commitment.Kind.PURCHASE_INSPECTION: ("进货查验", "索证索票", "购销台账"),
    Commitment.Kind.NO_REASON_RETURN: ("无理由退货",),
    Commitment.Kind.PUBLIC_SERVICE: ("服务承诺",),
}
STATION_WORDS = ("12315", "专人")


def _latest_item(words: tuple[str, ...], passed: bool, start: dt.date, as_of: dt.date) -> Any:
    """The date of the unit's latest check item in the window naming one of ``words``."""
    items = CheckItem.objects.filter(
        reduce(or_, (Q(item__contains=word) for word in words)),
        check_record__unit=OuterRef("unit_id"),
        check_record__checked_on__range=(start, as_of),
        passed=passed,
    )
    return Subquery(
        items.order_by()
        .values("check_record__unit")
        .annotate(latest=Max("check_record__checked_on"))
        .values("latest")[:1],
        output_field=DateField(),
    )


def _verified_condition(as_of: dt.date) -> Q:
    """Over rows annotated with ``last_pass``, ``last_fail`` and ``staff_on`` (see above)."""
    by_staff = Q(staff_on__isnull=False, staff_on__lte=as_of)
    verified = by_staff | Q(last_pass__isnull=False)
    outweighed = (
        Q(last_fail__isnull=False)
        & (Q(last_pass__isnull=True) | Q(last_fail__gte=F("last_pass")))
        & (Q(staff_on__isnull=True) | Q(last_fail__gte=F("staff_on")))
    )
    return verified & ~outweighed


def _commitment_item_date(kinds: list[str], passed: bool, start: dt.date, as_of: dt.date) -> Case:
    return Case(
        *(
            When(kind=kind, then=_latest_item(CHECK_WORDS[kind], passed, start, as_of))
            for kind in kinds
        ),
        default=Value(None),
        output_field=DateField(),
    )


def _commitments(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    kinds = list(params.get("kinds") or Commitment.Kind.values)
    qs = Commitment.objects.filter(active=True, committed_on__lte=as_of, kind__in=kinds)
    if "verified" in params:
        qs = qs.annotate(
            staff_on=TruncDate("verified_at"),
            last_pass=_commitment_item_date(kinds, True, start, as_of),
            last_fail=_commitment_item_date(kinds, False, start, as_of),
        )
        condition = _verified_condition(as_of)
        qs = qs.filter(condition if params["verified"] else ~condition)
    return qs.values_list("unit_id", "pk", _label(_excerpt("content")))


def _stations(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = ServiceStation.objects.filter(active=True, registered_on__lte=as_of)
    if "named_person" in params:
        named = ~Q(contact_person="")
        qs = qs.filter(named if params["named_person"] else ~named)
    if "verified" in params:
        qs = qs.annotate(
            staff_on=TruncDate("verified_at"),
            last_pass=_latest_item(STATION_WORDS, True, start, as_of),
            last_fail=_latest_item(STATION_WORDS, False, start, as_of),
        )
        condition = _verified_condition(as_of)
        qs = qs.filter(condition if params["verified"] else ~condition)
    return qs.values_list("unit_id", "pk", _label(_excerpt("location")))


def _rates(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    """One row per unit with enough counted ODR complaints whose rate meets (``meets``) or
    misses the threshold; the label is "part/whole"."""
    waiting = Q(status=Status.ODR, odr_response="") & (
        Q(odr_due__isnull=True) | Q(odr_due__gte=as_of)
    )
    counted = Complaint.objects.filter(
        kind=Kind.COMPLAINT,
        unit__isnull=False,
        odr_forwarded_on__range=(start, as_of),
    ).exclude(waiting)
    rate = params.get("rate", "handling")
    if rate == "handling":
        part = Count("pk", filter=~Q(odr_response=""))
    else:
        part = Count("pk", filter=Q(odr_response=OdrResponse.SETTLED))
    threshold = as_number(params.get("threshold", 100 if rate == "handling" else 90)) or Decimal(0)
    minimum = int(as_number(params.get("min_complaints", 3)) or 0)
    rows = (
        counted.order_by()
        .values("unit_id")
        .annotate(whole=Count("pk"), part=part)
        .filter(whole__gte=max(minimum, 1))
    )
    # Handling: at least the threshold (100 %); reconciliation: above it (> 90 %), as the policy
    # words them. Compared in integers: part × 100 against threshold × whole.
    rows = rows.annotate(
        hundredfold=ExpressionWrapper(F("part") * 100, output_field=DecimalField()),
        scaled=ExpressionWrapper(
            F("whole") * Value(threshold, output_field=DecimalField()),
            output_field=DecimalField(),
        ),
    )
    meets = (
        Q(hundredfold__gte=F("scaled")) if rate == "handling" else Q(hundredfold__gt=F("scaled"))
    )
    rows = rows.filter(meets if params.get("meets", True) else ~meets)
    return rows.values_list(
        "unit_id",
        Value(None, output_field=IntegerField()),
        _label(
            Cast(F("part"), output_field=CharField()),
            Value("/"),
            Cast(F("whole"), output_field=CharField()),
        ),
    )


KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "commitment",
        gettext_lazy("Self-discipline commitments in force"),
        _commitments,
        {"kinds": _choices(Commitment.Kind.values), "verified": BOOL},
        windowed=False,
    ),
    RecordKind(
        "station",
        gettext_lazy("Active 12315 service station"),
        _stations,
        {"verified": BOOL, "named_person": BOOL},
        windowed=False,
    ),
    RecordKind(
        "complaint_rate",
        gettext_lazy("The unit's own ODR complaint handling or reconciliation rate"),
        _rates,
        {
            "rate": _choice(["handling", "reconciliation"]),
            "meets": BOOL,
            "threshold": NUMBER,
            "min_complaints": NUMBER,
        },
        aggregated=True,
    ),
)
