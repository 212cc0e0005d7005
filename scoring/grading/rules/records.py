"""Record kinds (DESIGN.md §5): what an indicator of the rubric may count.

Each kind turns (window start, as-of date, parameters) into ONE query over all units yielding
``(unit_id, record_id, label)`` of the matching records, so the engine runs one query per
indicator whatever the number of units. Labels are data (numbers, dates, names, excerpts), never
translated words: they are stored in the evidence and shown as they were.

Kind names are a contract: evidence entries carry them ({"kind": ..., "id": ...}) and the score
pages link each record by them. The kinds that need staff verification (commitments, the 12315
station) and the complaint-handling rates live in ``scoring.grading.rules.verified``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Concat, Substr, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Category, Complaint, FaultFinding, Kind, OdrResponse, Outcome, Status
from inspections.models import (
    CheckItem,
    CheckType,
    DishonestListing,
    Finding,
    IncidentSeverity,
    OnSiteCheck,
    Penalty,
    PenaltyKind,
    ProductCategory,
    SafetyIncident,
    SamplingBatch,
    SamplingResult,
    SamplingType,
    Severity,
)
from units.guarantees import Guarantee
from units.models import BusinessStatus, Unit

if TYPE_CHECKING:
    from scoring.models import Indicator, Rubric

# What the engine reads from a record kind's query: (unit id, record id or None, short label).
Row = tuple[int, int | None, str]
LABEL_LENGTH = 40


# --- Parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a record kind: a single value, a list of values, or a JSON boolean."""

    type: str  # "choice" | "choices" | "bool" | "number"
    values: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:
        """None when ``value`` fits, else what is wrong with it (English, translatable)."""
        if self.type == "bool":
            return None if isinstance(value, bool) else _("must be true or false")
        if self.type == "number":
            number = as_number(value)
            if number is None or not 0 <= number <= 1000:
                return _("must be a number from 0 to 1000")
            return None
        allowed = ", ".join(self.values)
        if self.type == "choice":
            if isinstance(value, str) and value in self.values:
                return None
            return _("must be one of: %(allowed)s") % {"allowed": allowed}
        if (
            isinstance(value, list)
            and value
            and all(isinstance(item, str) and item in self.values for item in value)
        ):
            return None
        return _("must be a non-empty list of: %(allowed)s") % {"allowed": allowed}


def as_number(value: Any) -> Decimal | None:
    """A finite number from JSON (not a boolean), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _choices(values: list[str]) -> Param:
    return Param("choices", tuple(values))


def _choice(values: list[str]) -> Param:
    return Param("choice", tuple(values))


BOOL = Param("bool")
NUMBER = Param("number")


# --- Record kinds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    name: str
    label: str | Promise
    query: Callable[[dt.date, dt.date, Mapping[str, Any]], QuerySet[Any, Row]]
    params: dict[str, Param] = field(default_factory=dict)
    # Dated records count within the window; undated ones (commitments, stations) count when in
    # force on the as-of date; ``per_unit`` kinds match every scored unit once, with no record.
    windowed: bool = True
    per_unit: bool = False
    # One row per unit from a GROUP BY (rates): ordered by unit, never by record.
    aggregated: bool = False


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _text(expression: Any) -> Cast:
    return Cast(expression, output_field=CharField())


def _label(*parts: Any) -> Concat:
    """A short label in SQL: the parts joined by spaces."""
    items: list[Any] = []
    for part in parts:
        if items:
            items.append(Value(" "))
        items.append(part)
    if len(items) == 1:
        items.append(Value(""))
    return Concat(*items, output_field=CharField())


def _excerpt(field_name: str) -> Substr:
    return Substr(field_name, 1, LABEL_LENGTH)


def _baseline(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    return Unit.objects.filter(business_status=BusinessStatus.OPERATING).values_list(
        "pk", Value(None, output_field=IntegerField()), Value("", output_field=CharField())
    )


def _sampling_batches(
    start: dt.date, as_of: dt.date, params: Mapping[str, Any]
) -> QuerySet[Any, Row]:
    qs = SamplingBatch.objects.filter(unit__isnull=False, sampled_on__range=(start, as_of))
    if "final_result" in params:
        # The final result: a re-test that overturned a failure counts as a pass.
        qs = qs.filter(final_result=params["final_result"])
    if "sampling_types" in params:
        qs = qs.filter(sampling_type__in=params["sampling_types"])
    if "categories" in params:
        qs = qs.filter(category__in=params["categories"])
    return qs.values_list("unit_id", "pk", _label(F("sample_no"), F("product_name")))


def _onsite_checks(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = OnSiteCheck.objects.filter(checked_on__range=(start, as_of))
    if "check_type" in params:
        qs = qs.filter(check_type=params["check_type"])
    if "check_types" in params:
        qs = qs.filter(check_type__in=params["check_types"])
    if "all_items_passed" in params:
        failed = Exists(CheckItem.objects.filter(check_record=OuterRef("pk"), passed=False))
        qs = qs.filter(~failed if params["all_items_passed"] else failed)
    return qs.values_list("unit_id", "pk", _label(_text(F("checked_on")), F("inspectors")))


def _findings(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = Finding.objects.filter(check_record__checked_on__range=(start, as_of))
    if "guarantee" in params:
        qs = qs.filter(guarantee=params["guarantee"])
    if "severities" in params:
        qs = qs.filter(severity__in=params["severities"])
    if "rectified" in params:
        # Confirmed by staff on or before the as-of date; anything else is still unconfirmed.
        confirmed = Q(confirmed_at__lt=day_start(as_of + dt.timedelta(days=1)))
        qs = qs.filter(confirmed if params["rectified"] == "confirmed" else ~confirmed)
    return qs.values_list(
        "unit_id", "pk", _label(_text(F("check_record__checked_on")), _excerpt("description"))
    )


def _penalties(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = Penalty.objects.filter(decided_on__range=(start, as_of))
    if "kinds" in params:
        qs = qs.filter(kind__in=params["kinds"])
    return qs.values_list("unit_id", "pk", _label(F("decision_no"), _text(F("decided_on"))))


def _dishonest_listings(
    start: dt.date, as_of: dt.date, params: Mapping[str, Any]
) -> QuerySet[Any, Row]:
    # On the list at some time in the window: listed by the as-of date and not removed before
    # the window began (a listing from long ago that still stands counts).
    qs = DishonestListing.objects.filter(listed_on__lte=as_of).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gte=start)
    )
    return qs.values_list("unit_id", "pk", _label(_text(F("listed_on")), F("authority")))


def _safety_incidents(
    start: dt.date, as_of: dt.date, params: Mapping[str, Any]
) -> QuerySet[Any, Row]:
    qs = SafetyIncident.objects.filter(occurred_on__range=(start, as_of))
    if "severities" in params:
        qs = qs.filter(severity__in=params["severities"])
    if "harmed_consumers" in params:
        qs = qs.filter(harmed_consumers=params["harmed_consumers"])
    return qs.values_list("unit_id", "pk", _label(_text(F("occurred_on")), _excerpt("description")))


def _complaints(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    end = day_start(as_of + dt.timedelta(days=1))
    qs = Complaint.objects.filter(
        kind=Kind.COMPLAINT,
        unit__isnull=False,
        received_at__gte=day_start(start),
        received_at__lt=end,
    )
    if "categories" in params:
        qs = qs.filter(category__in=params["categories"])
    settled_by_operator = Q(odr_response=OdrResponse.SETTLED, odr_responded_at__lt=end)
    if "substantiated" in params:
        # Substantiated: mediation by staff succeeded, i.e. the consumer had a point and the
        # operator did not settle it itself when it had the chance through ODR.
        substantiated = Q(
            status=Status.CONCLUDED, outcome=Outcome.MEDIATED, concluded_on__lte=as_of
        ) & ~Q(odr_response=OdrResponse.SETTLED)
        qs = qs.filter(substantiated if params["substantiated"] else ~substantiated)
    if "odr_settled" in params:
        qs = qs.filter(settled_by_operator if params["odr_settled"] else ~settled_by_operator)
    if "odr_escalated" in params:
        qs = qs.filter(odr_escalated=params["odr_escalated"])
    if "fault" in params:
        # Staff's finding on conclusion, whatever the outcome (version 2's "substantiated").
        qs = qs.filter(
            status=Status.CONCLUDED, concluded_on__lte=as_of, fault_finding__in=params["fault"]
        )
    if "odr_settled_in_time" in params:
        # Settled by the operator itself within its ODR response period (10 working days).
        qs = qs.annotate(responded_on=TruncDate("odr_responded_at"))
        in_time = settled_by_operator & Q(responded_on__lte=F("odr_due"))
        qs = qs.filter(in_time if params["odr_settled_in_time"] else ~in_time)
    return qs.values_list("unit_id", "pk", _label(F("record_no")))


BASE_KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "baseline",
        gettext_lazy("Every active unit"),
        _baseline,
        windowed=False,
        per_unit=True,
    ),
    RecordKind(
        "sampling_batch",
        gettext_lazy("Sampling batches at the unit (by final result)"),
        _sampling_batches,
        {
            "final_result": _choice(SamplingResult.values),
            "sampling_types": _choices(SamplingType.values),
            "categories": _choices(ProductCategory.values),
        },
    ),
    RecordKind(
        "onsite_check",
        gettext_lazy("On-site checks"),
        _onsite_checks,
        {
            "check_type": _choice(CheckType.values),
            "check_types": _choices(CheckType.values),
            "all_items_passed": BOOL,
        },
    ),
    RecordKind(
        "finding",
        gettext_lazy("Findings of on-site checks"),
        _findings,
        {
            "guarantee": _choice(Guarantee.values),
            "severities": _choices(Severity.values),
            "rectified": _choice(["confirmed", "unconfirmed"]),
        },
    ),
    RecordKind(
        "penalty",
        gettext_lazy("Administrative penalties"),
        _penalties,
        {"kinds": _choices(PenaltyKind.values)},
    ),
    RecordKind(
        "dishonest_listing",
        gettext_lazy("Serious illegal and dishonest list entries"),
        _dishonest_listings,
    ),
    RecordKind(
        "safety_incident",
        gettext_lazy("Safety incidents"),
        _safety_incidents,
        {"severities": _choices(IncidentSeverity.values), "harmed_consumers": BOOL},
    ),
    RecordKind(
        "complaint",
        gettext_lazy("Complaints against the unit"),
        _complaints,
        {
            "categories": _choices(Category.values),
            "substantiated": BOOL,
            "odr_settled": BOOL,
            "odr_escalated": BOOL,
            "fault": _choices(FaultFinding.values),
            "odr_settled_in_time": BOOL,
        },
    ),
)


# --- Windows ------------------------------------------------------------------------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, or the last day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(indicator: Indicator, rubric: Rubric, as_of: dt.date) -> dt.date:
    """Records dated in [as_of − window months, as_of] count."""
    return months_before(as_of, indicator.window_months or rubric.lookback_months)
