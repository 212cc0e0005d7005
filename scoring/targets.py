"""The district targets (DESIGN.md §6): their evaluation for a period and a scope, the summary table
the dashboard and the reports read, and the demonstration-area checklist.

``evaluate(period, jurisdiction)`` returns the object of DESIGN.md §7::

    {"period": "2026-10", "scope": "district" | "<jurisdiction code>",
     "evaluated_at": "2026-11-03T09:15:00+08:00",
     "targets": [{"key", "label", "value", "numerator", "denominator", "comparator",
                  "threshold", "met", "detail"}, ...]}

JSON types, always the same: ``value`` and ``threshold`` are numbers (rates as fractions, 0.96 for
96%, rounded to 6 places) or null; ``numerator`` and ``denominator`` are integer counts, except the
per-thousand figure whose denominator is thousands of residents pro-rated to the period (a number
with up to 6 decimals, null without a population); ``met`` is true / false / null. ``value`` and
``met`` are null when there is no data (a zero denominator), never 0% or 100%. ``detail`` is an
addition to §7: an object with the facts behind the figure (which threshold applied, the
year-on-year comparison of the problem detection rate, the population used …).

The figures come from the apps' selectors only — ``complaints.figures.complaint_figures`` and
``survey_figures``, ``inspections.figures.sampling_figures`` — plus the 12315 station coverage of
demonstration units, computed here with one aggregate. Data counts up to the period's end, or up to
today while the period runs (``Period.as_of``); a period not started yet has no data.

Thresholds: for a jurisdiction, its own jurisdiction-scoped target wins, then the demonstration-area
target if the jurisdiction was designated a demonstration area on or before the period's end, then
the district target. docs/targets.md describes every target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.figures import complaint_figures, survey_figures
from inspections.figures import sampling_figures
from inspections.models import SamplingType
from lyushunkou import audit
from lyushunkou.access import jurisdictions_for_user, scope_by_jurisdiction, within
from lyushunkou.models import Jurisdiction, Role, User
from scoring.models import ChecklistItem, DemonstrationArea, Target, TargetResult
from scoring.periods import Period
from scoring.targets_judge import below_minimum, detection_sufficient, judge
from units.models import DemonstrationStatus, Unit
from units.services import StaleObject
from units.uploads import check_upload

DISTRICT_SCOPE = "district"

# The keys of DESIGN.md §6, in the order the dashboard and the reports show them.
TARGET_KEYS = (
    "key_goods_sampling_pass_rate",
    "food_sampling_per_thousand",
    "food_sampling_pass_rate",
    "life_services_satisfaction",
    "complaint_handling_rate",
    "complaint_resolution_rate",
    "complaint_satisfaction_rate",
    "station_coverage",
    "programme_awareness_rate",
    "programme_recognition_rate",
    "problem_detection_rate",
)

# The problem detection rate is compared year on year per sampling type, never mixed (DESIGN.md
# §5): the headline value and ``met`` are those of supervisory sampling (监督抽检), the programme's
# main instrument; every other type's comparison is in ``detail["by_type"]``.
DETECTION_HEADLINE_TYPE = SamplingType.SUPERVISORY

# Figures are fractions of integer counts, or a count over a pro-rated population: a tolerance far
# below the 6 decimals shown keeps 24/25 ≥ 0.96 from failing on a floating-point last bit.
TOLERANCE = 1e-9
_SCOPE_RANK: dict[str, int] = {
    Target.Scope.JURISDICTION: 0,
    Target.Scope.DEMO_AREA: 1,
    Target.Scope.DISTRICT: 2,
}
DEMONSTRATION_STATUSES = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)


# --- Thresholds -----------------------------------------------------------------------------------


def applicable_targets(
    targets: Iterable[Target], jurisdiction: Jurisdiction | None, *, demo_area: bool
) -> list[Target]:
    """The active target of each key that applies to the scope: the jurisdiction's own, else the
    demonstration area's (when ``demo_area``), else the district's; in display order."""
    chosen: dict[str, Target] = {}
    for target in targets:
        if not target.active or target.key not in TARGET_KEYS:
            continue
        if target.scope == Target.Scope.JURISDICTION and (
            jurisdiction is None or target.jurisdiction_id != jurisdiction.pk
        ):
            continue
        if target.scope == Target.Scope.DEMO_AREA and not demo_area:
            continue
        current = chosen.get(target.key)
        if current is None or _SCOPE_RANK[target.scope] < _SCOPE_RANK[current.scope]:
            chosen[target.key] = target
    return sorted(chosen.values(), key=lambda t: (t.order, TARGET_KEYS.index(t.key)))


def is_demo_area(
    jurisdiction: Jurisdiction | None, designated: dict[int, dt.date], end: dt.date
) -> bool:
    if jurisdiction is None:
        return False
    designated_on = designated.get(jurisdiction.pk)
    return designated_on is not None and designated_on <= end


def compare(value: float | None, comparator: str, threshold: Decimal | None) -> bool | None:
    """Whether a value meets its threshold; None when there is no data or no threshold."""
    if value is None or threshold is None:
        return None
    limit = float(threshold)
    if comparator == Target.Comparator.GTE:
        return value >= limit - TOLERANCE
    if comparator == Target.Comparator.LTE:
        return value <= limit + TOLERANCE
    if comparator == Target.Comparator.EQ:
        return abs(value - limit) <= TOLERANCE
    return None


# --- Figures --------------------------------------------------------------------------------------


def station_figures(*, as_of: dt.date, jurisdiction: Jurisdiction | None) -> dict[str, Any]:
    """Valid demonstration units (approved or in warning, not revoked, their certificate valid on
    ``as_of``: issued by then and not expired) with an active 12315 station registered by
    ``as_of`` ÷ valid demonstration units, in one aggregate.

    The demonstration status is today's: a unit revoked since then no longer counts for a past
    period, and one certified after the period's end does not count for it either.
    """
    row = (
        Unit.objects.filter(within(jurisdiction))
        .filter(demonstration_status__in=DEMONSTRATION_STATUSES)
        .filter(Q(certified_from__isnull=True) | Q(certified_from__lte=as_of))
        .filter(Q(certified_until__isnull=True) | Q(certified_until__gte=as_of))
        .aggregate(
            units=Count("pk"),
            stations=Count("pk", filter=Q(station__active=True, station__registered_on__lte=as_of)),
        )
    )
    return _figure(row["stations"], row["units"])


def _figure(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator / denominator if denominator else None,
    }


def _no_data_figures() -> dict[str, Any]:
    """The figures of a period that has not started: every denominator is zero."""
    empty = {key: _figure(0, 0) for key in TARGET_KEYS}
    empty["food_sampling_per_thousand"] = {"numerator": 0, "denominator": None, "value": None}
    empty["problem_detection_rate"] = {
        sampling_type: {"current": _figure(0, 0), "previous": _figure(0, 0)}
        for sampling_type in SamplingType.values
    }
    return empty


def collect_figures(
    period: Period, jurisdiction: Jurisdiction | None, *, today: dt.date
) -> dict[str, Any]:
    """Every figure of the scope for the period, keyed by target key; a constant number of
    queries (two for complaints, one for the survey, one or two for sampling, one for stations)."""
    as_of = period.as_of(today)
    if as_of < period.start:
        return _no_data_figures()
    window: dict[str, Any] = {"start": period.start, "end": as_of, "jurisdiction": jurisdiction}
    figures: dict[str, Any] = {}
    figures.update(complaint_figures(**window, today=today))
    figures.update(survey_figures(**window))
    figures.update(sampling_figures(**window))
    figures["station_coverage"] = station_figures(as_of=as_of, jurisdiction=jurisdiction)
    return figures


# --- Evaluation -----------------------------------------------------------------------------------


def _number(value: float | Decimal | None, places: int = 6) -> float | None:
    return None if value is None else round(float(value), places)


def _count(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _plain(figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "numerator": _count(figure["numerator"]),
        "denominator": _count(figure["denominator"]),
        "value": _number(figure["value"]),
    }


def _detection_row(
    figures: dict[str, Any], minimum: int
) -> tuple[dict[str, Any], bool | None, dict[str, Any]]:
    by_type: dict[str, Any] = {}
    for sampling_type, comparison in figures.items():
        if sampling_type not in SamplingType.values:
            continue
        current, previous = comparison["current"], comparison["previous"]
        sufficient = detection_sufficient(current, previous, minimum)
        fell = (
            None
            if current["value"] is None or previous["value"] is None or not sufficient
            else current["value"] < previous["value"] - TOLERANCE
        )
        by_type[sampling_type] = {
            "current": _plain(current),
            "previous": _plain(previous),
            "fell": fell,
            "sufficient": sufficient,
        }
    headline = by_type[DETECTION_HEADLINE_TYPE]
    some = next(iter(figures.values()))
    detail: dict[str, Any] = {
        "sampling_type": DETECTION_HEADLINE_TYPE,
        "previous": headline["previous"],
        "by_type": by_type,
    }
    if "previous_start" in some:
        detail["previous_start"] = some["previous_start"].isoformat()
        detail["previous_end"] = some["previous_end"].isoformat()
    return headline["current"], headline["fell"], detail


def _target_row(
    target: Target, figures: dict[str, Any], period: Period, today: dt.date
) -> dict[str, Any]:
    as_of = period.as_of(today)
    detail: dict[str, Any] = {"threshold_scope": target.scope, "unit_label": target.unit_label}
    if target.key == "problem_detection_rate":
        figure, met, extra = _detection_row(figures[target.key], target.min_denominator)
        detail.update(extra)
        headline = extra["by_type"][DETECTION_HEADLINE_TYPE]
        # With no data at all there is nothing to call a small sample.
        insufficient = figure["value"] is not None and not headline["sufficient"]
        if target.comparator != Target.Comparator.DECREASE:
            met = compare(figure["value"], target.comparator, target.threshold)
    else:
        raw = figures[target.key]
        figure = _plain(raw)
        met = compare(raw["value"], target.comparator, target.threshold)
        insufficient = below_minimum(raw["denominator"], target.min_denominator)
        if target.key == "food_sampling_per_thousand":
            detail.update(population=raw.get("population"), days=raw.get("days"))
        elif target.key == "station_coverage":
            detail["as_of"] = as_of.isoformat()
        elif target.key == "complaint_handling_rate" and "received" in figures:
            detail["received"] = figures["received"]
    met, flags = judge(
        target,
        value=figure["value"],
        met=met,
        insufficient=insufficient,
        period=period,
        today=today,
    )
    detail.update(flags)
    return {
        "key": target.key,
        "label": target.label,
        "value": figure["value"],
        "numerator": figure["numerator"],
        "denominator": figure["denominator"],
        "comparator": target.comparator,
        "threshold": _number(target.threshold, 4) if target.threshold is not None else None,
        "met": met,
        "detail": detail,
    }


def scope_code(jurisdiction: Jurisdiction | None) -> str:
    return DISTRICT_SCOPE if jurisdiction is None else jurisdiction.code


def _as_scope(jurisdiction: Jurisdiction | None) -> Jurisdiction | None:
    """The district itself is the scope ``None``: all records, the district's population."""
    if jurisdiction is not None and jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        return None
    return jurisdiction


def _evaluate(
    period: Period,
    jurisdiction: Jurisdiction | None,
    *,
    targets: list[Target],
    designated: dict[int, dt.date],
    today: dt.date,
    now: dt.datetime,
) -> dict[str, Any]:
    demo_area = is_demo_area(jurisdiction, designated, period.end)
    applicable = applicable_targets(targets, jurisdiction, demo_area=demo_area)
    figures = collect_figures(period, jurisdiction, today=today)
    return {
        "period": period.key,
        "scope": scope_code(jurisdiction),
        "evaluated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "targets": [_target_row(target, figures, period, today) for target in applicable],
    }


def evaluate(
    period: Period, jurisdiction: Jurisdiction | None = None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Every active target for the period and scope (the district when ``jurisdiction`` is None
    or the district itself), in the JSON-serialisable shape of DESIGN.md §7."""
    jurisdiction = _as_scope(jurisdiction)
    designated: dict[int, dt.date] = {}
    if jurisdiction is not None:
        designated = dict(
            DemonstrationArea.objects.filter(jurisdiction=jurisdiction).values_list(
                "jurisdiction_id", "designated_on"
            )
        )
    return _evaluate(
        period,
        jurisdiction,
        targets=list(Target.objects.filter(active=True)),
        designated=designated,
        today=today or timezone.localdate(),
        now=timezone.now(),
    )


# --- The summary table ----------------------------------------------------------------------------


def _decimal(value: Any, places: int) -> Decimal | None:
    if value is None:
        return None
    return round(Decimal(str(value)), places)


def _result_rows(result: dict[str, Any], evaluated_at: dt.datetime) -> list[TargetResult]:
    return [
        TargetResult(
            period=result["period"],
            scope_code=result["scope"],
            key=row["key"],
            label=row["label"],
            numerator=_decimal(row["numerator"], 4),
            denominator=_decimal(row["denominator"], 4),
            value=_decimal(row["value"], 6),
            comparator=row["comparator"],
            threshold=_decimal(row["threshold"], 4),
            met=row["met"],
            detail=row["detail"],
            order=order,
            evaluated_at=evaluated_at,
        )
        for order, row in enumerate(result["targets"], 1)
    ]


RESULT_FIELDS = [
    "label",
    "numerator",
    "denominator",
    "value",
    "comparator",
    "threshold",
    "met",
    "detail",
    "order",
    "evaluated_at",
]


@transaction.atomic
def _upsert(period_key: str, results: list[dict[str, Any]], evaluated_at: dt.datetime) -> int:
    """Insert or update the rows of the results; delete rows of those scopes and the period whose
    target no longer applies (deactivated, or a demonstration-area target of a former area)."""
    rows = [row for result in results for row in _result_rows(result, evaluated_at)]
    TargetResult.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["period", "scope_code", "key"],
        update_fields=RESULT_FIELDS,
    )
    kept = {(row.scope_code, row.key) for row in rows}
    existing = TargetResult.objects.filter(
        period=period_key, scope_code__in=[result["scope"] for result in results]
    ).values_list("pk", "scope_code", "key")
    stale = [pk for pk, code, key in existing if (code, key) not in kept]
    if stale:
        TargetResult.objects.filter(pk__in=stale).delete()
    return len(rows)


def store(result: dict[str, Any]) -> int:
    """Write one result of ``evaluate`` to ``TargetResult``; returns the number of rows written."""
    evaluated_at = dt.datetime.fromisoformat(result["evaluated_at"])
    return _upsert(result["period"], [result], evaluated_at)


def refresh(period: Period, *, today: dt.date | None = None) -> int:
    """Evaluate the district and every active jurisdiction for the period and upsert their
    ``TargetResult`` rows; returns the number of rows written. Two queries for the targets and
    the demonstration areas, then a constant number per scope, then the write."""
    today = today or timezone.localdate()
    now = timezone.now()
    targets = list(Target.objects.filter(active=True))
    designated = dict(DemonstrationArea.objects.values_list("jurisdiction_id", "designated_on"))
    scopes: list[Jurisdiction | None] = [None]
    scopes += list(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )
    results = [
        _evaluate(period, scope, targets=targets, designated=designated, today=today, now=now)
        for scope in scopes
    ]
    return _upsert(period.key, results, now)


# --- The demonstration-area checklist ------------------------------------------------------------

Item = ChecklistItem.Item


def checklist_places_for_user(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose checklist the user may read: staff their scope, leaders all."""
    if user.role not in (Role.STAFF, Role.LEADER):
        return Jurisdiction.objects.none()
    return (
        jurisdictions_for_user(user)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def checklist_items_for_user(user: User) -> QuerySet[ChecklistItem]:
    if user.role not in (Role.STAFF, Role.LEADER):
        return ChecklistItem.objects.none()
    return scope_by_jurisdiction(ChecklistItem.objects.all(), user).select_related(
        "jurisdiction", "confirmed_by"
    )


def _deny(user: User, requested: str, *, write: bool = False) -> None:
    audit.record(
        "access.denied",
        actor=user if user.is_authenticated else None,
        outcome=audit.Outcome.DENIED,
        model="scoring.checklistitem",
        requested=requested,
        write=write,
    )


def checklist_place_for_user(user: User, code: str, *, write: bool = False) -> Jurisdiction:
    """The jurisdiction of a checklist, for this user: 404 outside their scope; writing is for
    staff only (leaders read), 403 otherwise."""
    try:
        place = checklist_places_for_user(user).get(code=code)
    except Jurisdiction.DoesNotExist:
        _deny(user, code, write=write)
        raise Http404("No such jurisdiction.") from None
    if write and user.role != Role.STAFF:
        _deny(user, code, write=True)
        raise PermissionDenied
    return place


def checklist_item_for_user(
    user: User, code: str, item: str, *, write: bool = False
) -> ChecklistItem:
    """One item of a jurisdiction's checklist; an item not recorded yet comes back unsaved
    (``pk`` None, version 0) so the first save creates it."""
    if item not in Item.values:
        _deny(user, f"{code}/{item}", write=write)
        raise Http404("No such checklist item.")
    place = checklist_place_for_user(user, code, write=write)
    found = checklist_items_for_user(user).filter(jurisdiction=place, item=item).first()
    if found is None:
        found = ChecklistItem(jurisdiction=place, item=item, version=0)
    return found


def checklist_file_for_user(user: User, pk: int) -> ChecklistItem:
    try:
        return checklist_items_for_user(user).exclude(evidence_file="").get(pk=pk)
    except ChecklistItem.DoesNotExist:
        _deny(user, str(pk))
        raise Http404("No such file.") from None


def checklist_table(user: User) -> list[dict[str, Any]]:
    """Every jurisdiction the user reads × the five items, in three queries."""
    places = list(checklist_places_for_user(user))
    items = {(i.jurisdiction_id, i.item): i for i in checklist_items_for_user(user)}
    areas = dict(
        DemonstrationArea.objects.filter(jurisdiction__in=[p.pk for p in places]).values_list(
            "jurisdiction_id", "designated_on"
        )
    )
    table: list[dict[str, Any]] = []
    for place in places:
        records = [items.get((place.pk, key)) for key in Item.values]
        table.append(
            {
                "place": place,
                "designated_on": areas.get(place.pk),
                "cells": [
                    {"item": key, "label": label, "record": record}
                    for (key, label), record in zip(Item.choices, records, strict=True)
                ],
                "done": sum(1 for r in records if r is not None and r.done),
                "confirmed": sum(1 for r in records if r is not None and r.confirmed_at),
            }
        )
    return table


@transaction.atomic
def checklist_item_save(
    *,
    record: ChecklistItem,
    by: User,
    version: int,
    done: bool,
    note: str,
    upload: Any = None,
    confirm: bool = False,
) -> ChecklistItem:
    """Record an item of the demonstration-area standard with its evidence, and confirm it.

    ``version`` is the version the editor's form was based on (0 for an item not recorded yet):
    a save based on an older version is refused (``StaleObject``), so two editors never
    overwrite each other. An item in place needs evidence (a note or a file); only an item in
    place can be confirmed; confirming records who and when, and saving without confirming
    withdraws an earlier confirmation.
    """
    if by.role != Role.STAFF:
        raise PermissionDenied
    note = note.strip()
    if upload:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise ValidationError(
                {"evidence_file": error.message_dict.get("file", error.messages)}
            ) from None
    has_file = bool(upload) or bool(record.pk and record.evidence_file)
    if done and not (note or has_file):
        raise ValidationError(
            {"evidence_note": _("An item in place needs evidence: describe it or attach a file.")}
        )
    if confirm and not done:
        raise ValidationError({"confirm": _("Only an item in place can be confirmed.")})
    now = timezone.now()
    confirmed_by = by if confirm else None
    confirmed_at = now if confirm else None
    if record.pk is None:
        if version != 0:
            raise StaleObject()
        record = ChecklistItem(
            jurisdiction=record.jurisdiction,
            item=record.item,
            done=done,
            evidence_note=note,
            confirmed_by=confirmed_by,
            confirmed_at=confirmed_at,
            version=1,
        )
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # someone recorded the item first
            raise StaleObject() from None
        created = True
    else:
        updated = ChecklistItem.objects.filter(pk=record.pk, version=version).update(
            done=done,
            evidence_note=note,
            confirmed_by=confirmed_by,
            confirmed_at=confirmed_at,
            version=F("version") + 1,
        )
        if updated != 1:
            raise StaleObject()
        record.refresh_from_db()
        created = False
    if upload:
        record.evidence_file.save(upload.name, upload, save=False)
        record.save(update_fields=["evidence_file"])
    audit.record(
        "scoring.checklist_recorded" if created else "scoring.checklist_updated",
        actor=by,
        obj=record,
        jurisdiction=record.jurisdiction.code,
        item=record.item,
        done=done,
        confirmed=confirm,
        file=bool(upload),
    )
    return record


# --- Display --------------------------------------------------------------------------------------


def format_value(value: float | Decimal | None, unit_label: str) -> str:
    """A figure as people read it: rates in percent with one decimal, other figures with two
    decimals and their unit; "" for no data. The command's and the dashboard's."""
    if value is None:
        return ""
    if unit_label == "%":
        return f"{value * 100:.1f}%"
    return f"{value:.2f} {unit_label}".rstrip()
