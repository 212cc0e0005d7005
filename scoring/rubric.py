"""The rubric as data (DESIGN.md §5): the record kinds an indicator may count, validation of a
draft, and the lifecycle of versions (copy as a draft, activate).

An indicator names a *record kind* from ``RECORD_KINDS`` and gives it parameters. Each kind turns
(window start, as-of date, parameters) into ONE query over all units yielding
``(unit_id, record_id, label)`` of the matching records, so the engine runs one query per
indicator whatever the number of units. Labels are data (numbers, dates, names, excerpts), never
translated words: they are stored in the evidence and shown as they were.

Kind names are a contract: evidence entries carry them ({"kind": ..., "id": ...}) and the score
pages link each record by them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
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
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Category, Complaint, Kind, OdrResponse, Outcome, Status
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
from lyushunkou import audit
from lyushunkou.models import User
from scoring.models import MAX_GUARANTEE_POINTS, Grade, Indicator, Rubric
from units.guarantees import Guarantee
from units.models import BusinessStatus, Commitment, ServiceStation, Unit

# What the engine reads from a record kind's query: (unit id, record id or None, short label).
Row = tuple[int, int | None, str]
LABEL_LENGTH = 40


# --- Parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a record kind: a single value, a list of values, or a JSON boolean."""

    type: str  # "choice" | "choices" | "bool"
    values: tuple[str, ...] = ()

    def check(self, value: Any) -> str | None:
        """None when ``value`` fits, else what is wrong with it (English, translatable)."""
        if self.type == "bool":
            return None if isinstance(value, bool) else _("must be true or false")
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


def _choices(values: list[str]) -> Param:
    return Param("choices", tuple(values))


def _choice(values: list[str]) -> Param:
    return Param("choice", tuple(values))


BOOL = Param("bool")


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
    return qs.values_list("unit_id", "pk", _label(F("record_no")))


def _commitments(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = Commitment.objects.filter(active=True, committed_on__lte=as_of)
    if "kinds" in params:
        qs = qs.filter(kind__in=params["kinds"])
    return qs.values_list("unit_id", "pk", _label(_excerpt("content")))


def _stations(start: dt.date, as_of: dt.date, params: Mapping[str, Any]) -> QuerySet[Any, Row]:
    qs = ServiceStation.objects.filter(active=True, registered_on__lte=as_of)
    return qs.values_list("unit_id", "pk", _label(_excerpt("location")))


RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
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
            {"check_type": _choice(CheckType.values), "all_items_passed": BOOL},
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
            },
        ),
        RecordKind(
            "commitment",
            gettext_lazy("Self-discipline commitments in force"),
            _commitments,
            {"kinds": _choices(Commitment.Kind.values)},
            windowed=False,
        ),
        RecordKind(
            "station",
            gettext_lazy("Active 12315 service station"),
            _stations,
            windowed=False,
        ),
    )
}


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


# --- Validation ---------------------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def validate_bands(bands: Any) -> list[str]:
    """Grade bands: each grade A–D once, better grades with higher minimums, the lowest at 0."""
    if not isinstance(bands, list) or not all(isinstance(band, dict) for band in bands):
        return [_('Grade bands: give a list like [{"grade": "A", "min": 90}, …].')]
    errors: list[str] = []
    minimums: dict[str, Decimal] = {}
    for band in bands:
        grade, minimum = band.get("grade"), _number(band.get("min"))
        if grade not in Grade.values:
            errors.append(_("Grade bands: unknown grade %(grade)r.") % {"grade": grade})
        elif grade in minimums:
            errors.append(_("Grade bands: grade %(grade)s appears twice.") % {"grade": grade})
        elif minimum is None or not 0 <= minimum <= 100:
            errors.append(
                _("Grade bands: the minimum of grade %(grade)s must be a number from 0 to 100.")
                % {"grade": grade}
            )
        else:
            minimums[grade] = minimum
    if errors:
        return errors
    missing = [grade for grade in Grade.values if grade not in minimums]
    if missing:
        errors.append(
            _("Grade bands: no band for grade %(grades)s.") % {"grades": ", ".join(missing)}
        )
    ordered = [grade for grade in Grade.values if grade in minimums]  # A, B, C, D
    for better, worse in itertools.pairwise(ordered):
        if minimums[better] <= minimums[worse]:
            errors.append(
                _(
                    "Grade bands: grades %(better)s (from %(a)s) and %(worse)s (from %(b)s) "
                    "overlap: a better grade needs a higher minimum."
                )
                % {"better": better, "a": minimums[better], "worse": worse, "b": minimums[worse]}
            )
    if minimums and min(minimums.values()) != 0:
        lowest = min(minimums, key=lambda grade: minimums[grade])
        errors.append(
            _("Grade bands: totals below %(min)s get no grade: grade %(grade)s must start at 0.")
            % {"min": minimums[lowest], "grade": lowest}
        )
    return errors


def validate_caps(caps: Any, grades: set[str]) -> list[str]:
    if not isinstance(caps, list) or not all(isinstance(cap, dict) for cap in caps):
        return [_('Caps: give a list like [{"below": 12, "cap": "C"}, …].')]
    errors: list[str] = []
    for cap in caps:
        below, grade = _number(cap.get("below")), cap.get("cap")
        if grade not in grades:
            errors.append(
                _("Cap below %(below)s: unknown grade %(grade)r.")
                % {"below": cap.get("below"), "grade": grade}
            )
        if below is None or not 0 < below <= MAX_GUARANTEE_POINTS:
            errors.append(
                _("Cap to grade %(grade)s: “below” must be a number of points from 0 to 20.")
                % {"grade": grade}
            )
    return errors


def validate_indicator(indicator: Indicator) -> list[str]:
    name = indicator.code or indicator.label
    errors: list[str] = []
    kind = RECORD_KINDS.get(indicator.record_kind)
    if kind is None:
        errors.append(
            _("Indicator %(code)s: unknown record kind %(kind)r (known: %(known)s).")
            % {"code": name, "kind": indicator.record_kind, "known": ", ".join(RECORD_KINDS)}
        )
    elif not isinstance(indicator.params, dict):
        errors.append(_("Indicator %(code)s: parameters must be an object.") % {"code": name})
    else:
        for key, value in indicator.params.items():
            spec = kind.params.get(key)
            if spec is None:
                known = ", ".join(kind.params) or _("none")
                errors.append(
                    _(
                        "Indicator %(code)s: record kind %(kind)s has no parameter %(key)r "
                        "(known: %(known)s)."
                    )
                    % {"code": name, "kind": kind.name, "key": key, "known": known}
                )
                continue
            problem = spec.check(value)
            if problem:
                errors.append(
                    _("Indicator %(code)s: parameter %(key)s %(problem)s.")
                    % {"code": name, "key": key, "problem": problem}
                )
    if indicator.guarantee not in Guarantee.values:
        errors.append(
            _("Indicator %(code)s: unknown guarantee %(guarantee)r.")
            % {"code": name, "guarantee": indicator.guarantee}
        )
    if indicator.kind not in Indicator.Kind.values:
        errors.append(
            _("Indicator %(code)s: unknown kind %(kind)r.") % {"code": name, "kind": indicator.kind}
        )
    elif indicator.kind != Indicator.Kind.VETO:
        if indicator.points is None or indicator.points <= 0:
            errors.append(
                _("Indicator %(code)s: the points per record must be more than 0.") % {"code": name}
            )
        if indicator.limit is None or indicator.limit <= 0:
            errors.append(
                _("Indicator %(code)s: the cap or floor must be more than 0.") % {"code": name}
            )
    if indicator.window_months is not None and indicator.window_months < 1:
        errors.append(
            _("Indicator %(code)s: the window must be at least 1 month.") % {"code": name}
        )
    return errors


def validate(rubric: Rubric, indicators: list[Indicator] | None = None) -> list[str]:
    """Everything wrong with a rubric, each message naming the item; empty when it may be
    activated. ``indicators`` defaults to the rubric's saved ones."""
    if indicators is None:
        indicators = list(rubric.indicators.all())
    errors: list[str] = []
    if rubric.lookback_months < 1:
        errors.append(_("Look-back window: at least 1 month."))
    errors += validate_bands(rubric.grade_bands)
    grades = {band.get("grade") for band in rubric.grade_bands if isinstance(band, dict)}
    errors += validate_caps(rubric.caps, {g for g in grades if g in Grade.values})
    for indicator in indicators:
        errors += validate_indicator(indicator)
    reachable = dict.fromkeys(Guarantee.values, Decimal(0))
    for indicator in indicators:
        if indicator.kind == Indicator.Kind.AWARD and indicator.guarantee in reachable:
            reachable[indicator.guarantee] += indicator.limit or Decimal(0)
    for guarantee, label in Guarantee.choices:
        if reachable[guarantee] != MAX_GUARANTEE_POINTS:
            errors.append(
                _(
                    "Guarantee %(guarantee)s: its awards can reach %(points)s points; they must "
                    "reach exactly 20 (add up the caps of its award indicators)."
                )
                % {"guarantee": label, "points": reachable[guarantee]}
            )
    return errors


# --- Versions -----------------------------------------------------------------------------------


def active_rubric() -> Rubric:
    """The rubric in force; raises Rubric.DoesNotExist when none is (a fresh, unmigrated DB)."""
    return Rubric.objects.get(status=Rubric.Status.ACTIVE)


@transaction.atomic
def copy_as_draft(rubric: Rubric, by: User | None) -> Rubric:
    """A new draft version with the same settings and indicators, to edit then activate."""
    last = Rubric.objects.select_for_update().order_by("-version").first()
    draft = Rubric.objects.create(
        version=(last.version if last else 0) + 1,
        name=rubric.name,
        status=Rubric.Status.DRAFT,
        lookback_months=rubric.lookback_months,
        grade_bands=rubric.grade_bands,
        caps=rubric.caps,
        notes=rubric.notes,
        created_by=by,
    )
    Indicator.objects.bulk_create(
        Indicator(
            rubric=draft,
            code=indicator.code,
            label=indicator.label,
            guarantee=indicator.guarantee,
            kind=indicator.kind,
            record_kind=indicator.record_kind,
            params=indicator.params,
            points=indicator.points,
            limit=indicator.limit,
            window_months=indicator.window_months,
            order=indicator.order,
        )
        for indicator in rubric.indicators.all()
    )
    audit.record("rubric.drafted", actor=by, obj=draft, copied_from=rubric.version)
    return draft


@transaction.atomic
def activate(rubric: Rubric, by: User | None) -> Rubric:
    """Validate a draft and put it in force, retiring the active version. Raises
    ValidationError with every problem when the draft is not fit to grade with."""
    draft = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if draft.status != Rubric.Status.DRAFT:
        raise ValidationError(
            _("Rubric v%(version)s is not a draft; only a draft can be activated.")
            % {"version": draft.version}
        )
    errors = validate(draft)
    if errors:
        raise ValidationError(errors)
    retired = list(
        Rubric.objects.select_for_update()
        .filter(status=Rubric.Status.ACTIVE)
        .values_list("version", flat=True)
    )
    Rubric.objects.filter(status=Rubric.Status.ACTIVE).update(status=Rubric.Status.RETIRED)
    now = timezone.now()
    claimed = Rubric.objects.filter(pk=draft.pk, status=Rubric.Status.DRAFT).update(
        status=Rubric.Status.ACTIVE, activated_at=now, activated_by=by
    )
    if claimed != 1:  # pragma: no cover - the row lock above makes this impossible
        raise ValidationError(_("Someone else changed this rubric; nothing was activated."))
    rubric.refresh_from_db()
    audit.record("rubric.activated", actor=by, obj=rubric, version=rubric.version, retired=retired)
    return rubric
