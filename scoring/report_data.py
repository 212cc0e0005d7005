"""The data a periodic report shows (DESIGN.md §6–§8), gathered into plain Python values before
any layout starts: a fixed number of aggregate queries whatever the size of the data.

``gather`` returns everything ``scoring.report_render`` lays out: the target table (from the
``TargetResult`` summary rows, evaluated first if missing), complaints, sampling, the
demonstration programme, the survey with its confidence intervals, the jurisdictions ranked by
targets missed and the methodology. Personal data never enters it: complaints are counted,
respondents are businesses, and no complainant, phone number or address is read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.figures import survey_figures
from complaints.models import OPEN_STATUSES, Channel, Complaint, Kind, Outcome, Status
from complaints.models import Category as ComplaintCategory
from inspections.figures import pass_rate_types, per_thousand_types, sampling_figures
from inspections.models import (
    DisposalKind,
    ProductCategory,
    RetestResult,
    SamplingBatch,
    SamplingResult,
    SamplingType,
)
from lyushunkou.access import within
from lyushunkou.models import AuditEvent, Jurisdiction
from scoring import periods
from scoring.models import (
    ChecklistItem,
    Grade,
    GradeSummary,
    Report,
    Rubric,
    Target,
    TargetResult,
    UnitScore,
)
from scoring.periods import Period
from scoring.report_sections import gather_sections
from scoring.report_summary_data import summary_inputs
from units.models import ApplicationStatus, DemonstrationApplication, DemonstrationStatus, Unit

DISTRICT = "district"
TOP_RESPONDENTS = 10
FAILED_BATCH_ROWS = 40
Z_95 = 1.959964

NO_DATA = gettext_lazy("No data")


class ReportRequestError(ValueError):
    """A request the portal refuses; the message is one line, for a form or a command."""


# --- Gathering --------------------------------------------------------------------------------


def scope_jurisdiction(scope_code: str) -> Jurisdiction | None:
    """None for the district; the jurisdiction of a per-jurisdiction report."""
    if scope_code == DISTRICT:
        return None
    jurisdiction = Jurisdiction.objects.filter(code=scope_code).first()
    if jurisdiction is None or jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        raise ReportRequestError(
            _("Unknown jurisdiction %(code)r.") % {"code": scope_code}
        ) from None
    return jurisdiction


def top_level_jurisdictions() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(
        parent__kind=Jurisdiction.Kind.DISTRICT, active=True
    ).order_by("sort_order", "code")


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Scope:
    code: str
    name: str
    jurisdiction: Jurisdiction | None


def _pct(value: Decimal | float | None, digits: int = 1) -> str:
    if value is None:
        return str(NO_DATA)
    return f"{Decimal(str(value)) * 100:.{digits}f}%"


def _number(value: Decimal | float | int | None, digits: int = 2) -> str:
    if value is None:
        return str(NO_DATA)
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.{digits}f}"


def _is_rate(unit_label: str) -> bool:
    return unit_label.strip() == "%"


def format_value(value: Decimal | float | None, unit_label: str) -> str:
    """A target's value as shown: rates in percent, other figures as numbers; "no data" for None
    (never 0% or 100%)."""
    if value is None:
        return str(NO_DATA)
    if _is_rate(unit_label):
        return _pct(value)
    return f"{Decimal(str(value)):.2f}"


def format_threshold(comparator: str, threshold: Decimal | None, unit_label: str) -> str:
    if comparator == Target.Comparator.DECREASE:
        return str(Target.Comparator.DECREASE.label)
    if threshold is None:
        return "—"
    sign = dict(Target.Comparator.choices).get(comparator, comparator)
    return f"{sign} {format_value(threshold, unit_label)}"


def format_change(current: Decimal | None, previous: Decimal | None, unit_label: str) -> str:
    if current is None or previous is None:
        return "—"
    delta = Decimal(str(current)) - Decimal(str(previous))
    if _is_rate(unit_label):
        return _("%(delta)s pp") % {"delta": f"{delta * 100:+.1f}"}
    return f"{delta:+.2f}"


def format_met(met: bool | None) -> str:
    if met is None:
        return str(NO_DATA)
    return _("Met") if met else _("Not met")


@dataclass(frozen=True)
class TargetFigure:
    """One evaluated target for a period and scope, as the report uses it."""

    key: str
    label: str
    order: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    comparator: str
    threshold: Decimal | None
    met: bool | None
    detail: dict[str, Any]


def _figure_from_result(row: TargetResult) -> TargetFigure:
    return TargetFigure(
        key=row.key,
        label=row.label,
        order=row.order,
        value=row.value,
        numerator=row.numerator,
        denominator=row.denominator,
        comparator=row.comparator,
        threshold=row.threshold,
        met=row.met,
        detail=row.detail or {},
    )


def prepare_targets(period: Period) -> None:
    """Bring the TargetResult summary of the period up to date, and of the period before it when
    it has none yet (the change column compares with it). The targets module owns how."""
    from scoring import targets

    refresh = getattr(targets, "refresh", None)
    if not callable(refresh):
        return
    refresh(period)
    previous = period.previous()
    if not TargetResult.objects.filter(period=previous.key).exists():
        refresh(previous)


def target_figures(
    period: Period, scope_codes: Iterable[str]
) -> dict[tuple[str, str], list[TargetFigure]]:
    """Evaluated targets by (period key, scope code) for this period and the one before, read from
    the TargetResult summary table in one query."""
    keys = [period.key, period.previous().key]
    rows = TargetResult.objects.filter(period__in=keys, scope_code__in=list(scope_codes)).order_by(
        "order", "key"
    )
    figures: dict[tuple[str, str], list[TargetFigure]] = defaultdict(list)
    for row in rows:
        figures[(row.period, row.scope_code)].append(_figure_from_result(row))
    return figures


def _target_table(
    current: list[TargetFigure], previous: list[TargetFigure], units: dict[str, str]
) -> list[dict[str, Any]]:
    before = {figure.key: figure for figure in previous}
    table = []
    for figure in current:
        unit_label = units.get(figure.key) or figure.detail.get("unit_label") or "%"
        earlier = before.get(figure.key)
        table.append(
            {
                "key": figure.key,
                "label": figure.label,
                "unit_label": unit_label,
                "value": figure.value,
                "value_text": format_value(figure.value, unit_label),
                "threshold_text": format_threshold(figure.comparator, figure.threshold, unit_label),
                "fraction_text": (
                    f"{_number(figure.numerator)} / {_number(figure.denominator)}"
                    if figure.denominator
                    else f"{_number(figure.numerator or 0)} / 0"
                ),
                "met": figure.met,
                "met_text": format_met(figure.met),
                "change_text": format_change(
                    figure.value, earlier.value if earlier else None, unit_label
                ),
                "detail": figure.detail,
            }
        )
    return table


def _summary(table: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "total": len(table),
        "met": sum(1 for row in table if row["met"] is True),
        "missed": sum(1 for row in table if row["met"] is False),
        "no_data": sum(1 for row in table if row["met"] is None),
    }


def _counts(rows: Iterable[dict[str, Any]], field: str, choices: Any) -> list[dict[str, Any]]:
    found = {row[field]: row["n"] for row in rows}
    return [{"label": str(label), "n": found.get(value, 0)} for value, label in choices]


def _share(part: int, whole: int) -> str:
    return _pct(part / whole) if whole else str(NO_DATA)


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (95% by default); None without respondents."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _complaints(
    period: Period, jurisdiction: Jurisdiction | None, as_of: dt.date, top: dict[int, Jurisdiction]
) -> dict[str, Any]:
    scoped = Complaint.objects.filter(within(jurisdiction))
    received = scoped.filter(
        received_at__gte=_aware(period.start), received_at__lt=_aware(period.end + dt.timedelta(1))
    )
    complaints = received.filter(kind=Kind.COMPLAINT)
    by_channel = _counts(
        complaints.values("channel").annotate(n=Count("id")).order_by(), "channel", Channel.choices
    )
    by_category = _counts(
        complaints.values("category").annotate(n=Count("id")).order_by(),
        "category",
        ComplaintCategory.choices,
    )
    totals = received.aggregate(
        complaints=Count("id", filter=Q(kind=Kind.COMPLAINT)),
        reports=Count("id", filter=Q(kind=Kind.REPORT)),
        overdue=Count(
            "id",
            filter=Q(kind=Kind.COMPLAINT, status__in=OPEN_STATUSES, current_due__lt=as_of),
        ),
        still_open=Count("id", filter=Q(kind=Kind.COMPLAINT, status__in=OPEN_STATUSES)),
    )
    concluded = scoped.filter(
        kind=Kind.COMPLAINT,
        status=Status.CONCLUDED,
        concluded_on__gte=period.start,
        concluded_on__lte=period.end,
    )
    outcomes = _counts(
        concluded.values("outcome").annotate(n=Count("id")).order_by(),
        "outcome",
        [(value, label) for value, label in Outcome.choices if value != Outcome.REFUSED],
    )
    recovered = concluded.aggregate(total=Sum("amount_recovered"))["total"] or Decimal(0)
    # Respondents are businesses; a complaint mediated successfully is one whose claim the
    # business conceded: "substantiated" in this report.
    top_rows = (
        concluded.filter(outcome=Outcome.MEDIATED)
        .values("respondent_name")
        .annotate(n=Count("id"))
        .order_by("-n", "respondent_name")[:TOP_RESPONDENTS]
    )
    by_jurisdiction: Counter[int] = Counter()
    if jurisdiction is None:
        for row in (
            complaints.values("jurisdiction_id", "jurisdiction__parent_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (
                row["jurisdiction_id"]
                if row["jurisdiction_id"] in top
                else row["jurisdiction__parent_id"]
            )
            by_jurisdiction[key] += row["n"]
    return {
        "received": totals["complaints"],
        "reports": totals["reports"],
        "overdue": totals["overdue"],
        "still_open": totals["still_open"],
        "by_channel": by_channel,
        "by_category": by_category,
        "outcomes": outcomes,
        "concluded": sum(row["n"] for row in outcomes),
        "amount_recovered": recovered,
        "amount_recovered_text": f"{recovered:,.2f}",
        "top_respondents": [{"name": row["respondent_name"], "n": row["n"]} for row in top_rows],
        "by_jurisdiction": by_jurisdiction,
    }


def _sampling(
    period: Period, jurisdiction: Jurisdiction | None, top: dict[int, Jurisdiction]
) -> dict[str, Any]:
    scoped = SamplingBatch.objects.filter(within(jurisdiction))
    batches = scoped.filter(sampled_on__gte=period.start, sampled_on__lte=period.end)
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in (
        batches.values("category", "sampling_type", "final_result")
        .annotate(n=Count("id"))
        .order_by()
    ):
        cells[(row["category"], row["sampling_type"])][row["final_result"]] += row["n"]
    counted = set(pass_rate_types())
    by_category = []
    for category, category_label in ProductCategory.choices:
        row_cells = []
        passed = final = 0
        for sampling_type, _label in SamplingType.choices:
            counter = cells.get((category, sampling_type), Counter())
            row_cells.append(sum(counter.values()))
            if sampling_type in counted:
                passed += counter[SamplingResult.PASS]
                final += counter[SamplingResult.PASS] + counter[SamplingResult.FAIL]
        by_category.append(
            {
                "label": str(category_label),
                "cells": row_cells,
                "total": sum(row_cells),
                "passed": passed,
                "final": final,
                "pass_rate_text": _pct(passed / final) if final else str(NO_DATA),
            }
        )
    by_type = []
    for sampling_type, type_label in SamplingType.choices:
        counter = Counter[str]()
        for (_category, of_type), cell in cells.items():
            if of_type == sampling_type:
                counter.update(cell)
        final = counter[SamplingResult.PASS] + counter[SamplingResult.FAIL]
        by_type.append(
            {
                "label": str(type_label),
                "total": sum(counter.values()),
                "passed": counter[SamplingResult.PASS],
                "failed": counter[SamplingResult.FAIL],
                "pending": counter[SamplingResult.PENDING],
                "pass_rate_text": _share(counter[SamplingResult.PASS], final),
            }
        )
    failed_qs = batches.filter(final_result=SamplingResult.FAIL)
    failed_total = failed_qs.count()
    failed_rows = list(
        failed_qs.select_related("jurisdiction")
        .prefetch_related("disposals")
        .only(
            "sample_no",
            "sampled_on",
            "product_name",
            "sampled_unit_name",
            "failed_items",
            "sampling_type",
            "category",
            "retest_result",
            "jurisdiction__name",
        )
        .order_by("sampled_on", "id")[:FAILED_BATCH_ROWS]
    )
    disposal_counts: Counter[str | None] = Counter(  # None: a batch without disposal
        row["disposals__kind"]
        for row in failed_qs.values("id", "disposals__kind").distinct().order_by()
    )
    disposals = _counts(
        [{"kind": k, "n": n} for k, n in disposal_counts.items()], "kind", DisposalKind.choices
    )
    undisposed = disposal_counts.get(None, 0)
    kind_labels = dict(DisposalKind.choices)
    failures = [
        {
            "sample_no": batch.sample_no,
            "sampled_on": batch.sampled_on,
            "product": batch.product_name,
            "unit": batch.sampled_unit_name,
            "jurisdiction": batch.jurisdiction.name,
            "items": batch.failed_items,
            "type": batch.get_sampling_type_display(),
            "disposal": "、".join(
                str(kind_labels.get(d.kind, d.kind)) for d in batch.disposals.all()
            )
            or "—",
        }
        for batch in failed_rows
    ]
    retests = scoped.filter(
        retest_applied_on__gte=period.start, retest_applied_on__lte=period.end
    ).aggregate(
        applied=Count("id"),
        passed=Count("id", filter=Q(retest_result=RetestResult.PASS)),
        failed=Count("id", filter=Q(retest_result=RetestResult.FAIL)),
        pending=Count("id", filter=Q(retest_result="")),
    )
    per_thousand: Counter[int] = Counter()
    totals_by_jurisdiction: Counter[int] = Counter()
    if jurisdiction is None:
        food_types = set(per_thousand_types())
        for row in (
            batches.values(
                "jurisdiction_id", "jurisdiction__parent_id", "category", "sampling_type"
            )
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (
                row["jurisdiction_id"]
                if row["jurisdiction_id"] in top
                else row["jurisdiction__parent_id"]
            )
            totals_by_jurisdiction[key] += row["n"]
            if row["category"] == ProductCategory.FOOD and row["sampling_type"] in food_types:
                per_thousand[key] += row["n"]
    figures = sampling_figures(start=period.start, end=period.end, jurisdiction=jurisdiction)
    detection = []
    for sampling_type, type_label in SamplingType.choices:
        entry = figures["problem_detection_rate"][sampling_type]
        current, previous = entry["current"], entry["previous"]
        trend = "—"
        if current["value"] is not None and previous["value"] is not None:
            if current["value"] < previous["value"]:
                trend = _("Falls")
            elif current["value"] > previous["value"]:
                trend = _("Rises")
            else:
                trend = _("Unchanged")
        detection.append(
            {
                "label": str(type_label),
                "current_text": _pct(current["value"]),
                "current_fraction": f"{current['numerator']} / {current['denominator']}",
                "previous_text": _pct(previous["value"]),
                "previous_fraction": f"{previous['numerator']} / {previous['denominator']}",
                "trend": trend,
            }
        )
    return {
        "types": [str(label) for _value, label in SamplingType.choices],
        "by_category": by_category,
        "by_type": by_type,
        "total": sum(row["total"] for row in by_category),
        "failed_total": failed_total,
        "failures": failures,
        "failures_more": max(0, failed_total - len(failures)),
        "disposals": disposals,
        "undisposed": undisposed,
        "retests": retests,
        "per_thousand": per_thousand,
        "by_jurisdiction": totals_by_jurisdiction,
        "detection": detection,
        "per_thousand_figure": figures["food_sampling_per_thousand"],
    }


def _grade_period(period: Period) -> list[str]:
    """Which score periods stand for this report period, most specific first: the period itself,
    then its months from the last (scores may be kept monthly only)."""
    keys = [period.key]
    if period.kind != periods.MONTH:
        month = periods.containing(period.end, periods.MONTH)
        while month.start >= period.start:
            keys.append(month.key)
            month = month.previous()
    return keys


def _programme(
    period: Period,
    jurisdiction: Jurisdiction | None,
    as_of: dt.date,
    top: dict[int, Jurisdiction],
) -> dict[str, Any]:
    units = Unit.objects.filter(within(jurisdiction))
    status_counts = {
        row["demonstration_status"]: row["n"]
        for row in units.exclude(demonstration_status=DemonstrationStatus.NONE)
        .values("demonstration_status")
        .annotate(n=Count("id"))
        .order_by()
    }
    expired = units.filter(
        demonstration_status=DemonstrationStatus.APPROVED, certified_until__lt=as_of
    ).count()
    by_status = [
        {"label": str(label), "n": status_counts.get(value, 0)}
        for value, label in DemonstrationStatus.choices
        if value != DemonstrationStatus.NONE
    ]
    demo_by_jurisdiction: Counter[int] = Counter()
    if jurisdiction is None:
        for row in (
            units.filter(
                demonstration_status__in=(DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)
            )
            .values("jurisdiction_id", "jurisdiction__parent_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (
                row["jurisdiction_id"]
                if row["jurisdiction_id"] in top
                else row["jurisdiction__parent_id"]
            )
            demo_by_jurisdiction[key] += row["n"]
    approvals = DemonstrationApplication.objects.filter(
        within(jurisdiction, "unit__jurisdiction"),
        status=ApplicationStatus.APPROVED,
        decided_at__gte=_aware(period.start),
        decided_at__lt=_aware(period.end + dt.timedelta(1)),
    ).count()
    # Warnings and revocations are state transitions, recorded in the audit log only.
    events = list(
        AuditEvent.objects.filter(
            action__in=("unit.demonstration_warning", "unit.demonstration_revoked"),
            object_type="units.unit",
            created_at__gte=_aware(period.start),
            created_at__lt=_aware(period.end + dt.timedelta(1)),
        ).values_list("action", "object_id")
    )
    unit_ids = {int(object_id) for _action, object_id in events if object_id.isdigit()}
    in_scope = (
        set(units.filter(pk__in=unit_ids).values_list("pk", flat=True)) if unit_ids else set()
    )
    warnings = sum(
        1
        for action, object_id in events
        if action == "unit.demonstration_warning"
        and object_id.isdigit()
        and int(object_id) in in_scope
    )
    revocations = sum(
        1
        for action, object_id in events
        if action == "unit.demonstration_revoked"
        and object_id.isdigit()
        and int(object_id) in in_scope
    )
    candidates = _grade_period(period)
    grades: dict[str, dict[tuple[str, bool], int]] = defaultdict(dict)
    vetoed: dict[str, int] = Counter()
    summaries = GradeSummary.objects.filter(within(jurisdiction), period__in=candidates)
    for row in (
        summaries.values("period", "grade", "demonstration")
        .annotate(n=Sum("units"), v=Sum("vetoed"))
        .order_by()
    ):
        grades[row["period"]][(row["grade"], row["demonstration"])] = row["n"] or 0
        vetoed[row["period"]] += row["v"] or 0
    grade_period = next((key for key in candidates if grades.get(key)), None)
    distribution: list[dict[str, Any]] = []
    if grade_period is not None:
        cells = grades[grade_period]
        for grade in Grade.values:
            all_units = cells.get((grade, False), 0) + cells.get((grade, True), 0)
            distribution.append(
                {"label": grade, "n": all_units, "demonstration": cells.get((grade, True), 0)}
            )
    graded = sum(row["n"] for row in distribution)
    graded_demo = sum(row["demonstration"] for row in distribution)
    for row in distribution:
        row["share_text"] = _share(row["n"], graded)
        row["demonstration_share_text"] = _share(row["demonstration"], graded_demo)
    rubrics = []
    if grade_period is not None:
        rubrics = list(
            UnitScore.objects.filter(period=grade_period)
            .values_list("rubric__version", "rubric__name")
            .distinct()
            .order_by("rubric__version")
        )
    if not rubrics:
        active = Rubric.objects.filter(status=Rubric.Status.ACTIVE).first()
        if active is not None:
            rubrics = [(active.version, active.name)]
    checklist = list(
        ChecklistItem.objects.filter(within(jurisdiction))
        .values("jurisdiction__name", "jurisdiction__sort_order", "jurisdiction__code")
        .annotate(done=Count("id", filter=Q(done=True)), items=Count("id"))
        .order_by("jurisdiction__sort_order", "jurisdiction__code")
    )
    return {
        "by_status": by_status,
        "expired": expired,
        "demonstration_units": status_counts.get(DemonstrationStatus.APPROVED, 0)
        + status_counts.get(DemonstrationStatus.WARNING, 0),
        "approvals": approvals,
        "warnings": warnings,
        "revocations": revocations,
        "grade_period": grade_period,
        "distribution": distribution,
        "graded": graded,
        "graded_demonstration": graded_demo,
        "vetoed": vetoed.get(grade_period, 0) if grade_period else 0,
        "rubrics": [{"version": version, "name": name} for version, name in rubrics],
        "checklist": [
            {
                "name": row["jurisdiction__name"],
                "done": row["done"],
                "items": len(ChecklistItem.Item.values),
            }
            for row in checklist
        ],
        "by_jurisdiction": demo_by_jurisdiction,
    }


def _survey(period: Period, jurisdiction: Jurisdiction | None) -> list[dict[str, Any]]:
    figures = survey_figures(start=period.start, end=period.end, jurisdiction=jurisdiction)
    labels = {
        "programme_awareness_rate": _("Aware of the programme (of all respondents)"),
        "programme_recognition_rate": _("Approve of the programme (of aware respondents)"),
        "life_services_satisfaction": _("Satisfied with life services (of all respondents)"),
    }
    rows = []
    for key, label in labels.items():
        figure = figures[key]
        interval = wilson_interval(figure["numerator"], figure["denominator"])
        rows.append(
            {
                "label": label,
                "n": figure["denominator"],
                "k": figure["numerator"],
                "value_text": _pct(figure["value"]),
                "interval_text": (
                    f"{_pct(interval[0])} – {_pct(interval[1])}" if interval else str(NO_DATA)
                ),
            }
        )
    return rows


def methodology_formulas(targets: Iterable[Target]) -> list[dict[str, str]]:
    """How each target is computed, for the appendix: the definition administrators keep with
    the target (its label and text), else the formula of DESIGN.md §6."""
    builtin: dict[str, dict[str, str]] = {
        "key_goods_sampling_pass_rate": {
            "label": _("Key consumer goods sampling pass rate"),
            "formula": _(
                "passed ÷ batches with a final result, key consumer goods, counted sampling types"
            ),
        },
        "food_sampling_per_thousand": {
            "label": _("Food batches per thousand residents"),
            "formula": _(
                "food batches sampled (pending results included) ÷ (population ÷ 1000), "
                "pro-rated by the days of the period ÷ 365"
            ),
        },
        "food_sampling_pass_rate": {
            "label": _("Food sampling pass rate"),
            "formula": _("passed ÷ food batches with a final result, counted sampling types"),
        },
        "life_services_satisfaction": {
            "label": _("Life-services satisfaction"),
            "formula": _("satisfied + basically satisfied ÷ survey respondents"),
        },
        "complaint_handling_rate": {
            "label": _("Complaint handling rate"),
            "formula": _(
                "concluded ÷ (received − still open and within their legal time limit), "
                "complaints received in the period"
            ),
        },
        "complaint_resolution_rate": {
            "label": _("Complaint resolution rate"),
            "formula": _(
                "mediated successfully ÷ (mediated successfully + failed + terminated), "
                "complaints concluded in the period"
            ),
        },
        "complaint_satisfaction_rate": {
            "label": _("Complaint satisfaction rate"),
            "formula": _("satisfied + basically satisfied ÷ answered callbacks"),
        },
        "station_coverage": {
            "label": _("12315 station coverage"),
            "formula": _("demonstration units with an active 12315 station ÷ demonstration units"),
        },
        "programme_awareness_rate": {
            "label": _("Programme awareness rate"),
            "formula": _("respondents aware of the programme ÷ respondents"),
        },
        "programme_recognition_rate": {
            "label": _("Programme recognition rate"),
            "formula": _("respondents who approve ÷ aware respondents"),
        },
        "problem_detection_rate": {
            "label": _("Problem detection rate"),
            "formula": _(
                "failed ÷ batches with a final result, per sampling type, against the same "
                "period a year earlier; met when it falls"
            ),
        },
    }
    rows = []
    seen = set()
    for target in targets:
        fallback = builtin.get(target.key, {"label": target.label, "formula": ""})
        rows.append(
            {
                "label": target.label or fallback["label"],
                "formula": target.definition or fallback["formula"],
                "threshold": format_threshold(
                    target.comparator, target.threshold, target.unit_label
                ),
            }
        )
        seen.add(target.key)
    rows += [{**row, "threshold": ""} for key, row in builtin.items() if key not in seen]
    return rows


def gather(
    *, kind: str, period: Period, scope_code: str = DISTRICT, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything one report shows, as plain values (labels already in the report's language):
    no query runs after this returns."""
    from scoring.report_render import REPORT_LANGUAGE

    with translation.override(REPORT_LANGUAGE):
        return _gather(kind=kind, period=period, scope_code=scope_code, now=now)


def _gather(
    *, kind: str, period: Period, scope_code: str, now: dt.datetime | None
) -> dict[str, Any]:
    now = now or timezone.now()
    jurisdiction = scope_jurisdiction(scope_code)
    as_of = period.as_of(timezone.localdate(now))
    top = {j.pk: j for j in top_level_jurisdictions()}
    if jurisdiction is not None:
        scope = Scope(jurisdiction.code, jurisdiction.name, jurisdiction)
        children = [j for j in top.values() if j.parent_id == jurisdiction.pk]
        ranked_scopes = children
    else:
        district = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).first()
        scope = Scope(DISTRICT, district.name if district else _("District"), None)
        ranked_scopes = list(top.values())
    scope_codes = [scope.code, *(j.code for j in ranked_scopes)]
    figures = target_figures(period, scope_codes)
    district_targets = list(
        Target.objects.filter(scope=Target.Scope.DISTRICT, active=True).order_by("order", "key")
    )
    units = {target.key: target.unit_label for target in district_targets}
    previous = period.previous()
    table = _target_table(
        figures.get((period.key, scope.code), []),
        figures.get((previous.key, scope.code), []),
        units,
    )
    complaints = _complaints(period, jurisdiction, as_of, top)
    sampling = _sampling(period, jurisdiction, top)
    programme = _programme(period, jurisdiction, as_of, top)

    days = period.days
    jurisdictions = []
    for j in ranked_scopes:
        rows = _target_table(
            figures.get((period.key, j.code), []), figures.get((previous.key, j.code), []), units
        )
        summary = _summary(rows)
        residents = j.population / 1000 * days / 365 if j.population else None
        food = sampling["per_thousand"].get(j.pk, 0)
        jurisdictions.append(
            {
                "code": j.code,
                "name": j.name,
                "targets": rows,
                "summary": summary,
                "complaints": complaints["by_jurisdiction"].get(j.pk, 0),
                "batches": sampling["by_jurisdiction"].get(j.pk, 0),
                "food_batches": food,
                "per_thousand_text": (f"{food / residents:.2f}" if residents else str(NO_DATA)),
                "population_text": _number(j.population) if j.population else str(NO_DATA),
                "demonstration_units": programme["by_jurisdiction"].get(j.pk, 0),
            }
        )
    ranking = sorted(
        jurisdictions,
        key=lambda row: (-row["summary"]["missed"], -row["summary"]["no_data"], row["name"]),
    )
    titles = {
        Report.Kind.MONTHLY: _("Lyushunkou District Assured Consumption Programme Monthly Report"),
        Report.Kind.QUARTERLY: _(
            "Lyushunkou District Assured Consumption Programme Quarterly Report"
        ),
        Report.Kind.ANNUAL: _("Lyushunkou District Assured Consumption Programme Annual Report"),
    }
    title = titles[Report.Kind(kind)]
    return {
        "kind": kind,
        "kind_label": str(Report.Kind(kind).label),
        "period": period,
        "period_label": period.label,
        "period_range": f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}",
        "previous_label": previous.label,
        "complete": period.is_complete(timezone.localdate(now)),
        "scope": {"code": scope.code, "name": scope.name, "district": jurisdiction is None},
        "title": title,
        "generated_at": timezone.localtime(now),
        "data_as_of": now,
        "as_of": as_of,
        "targets": table,
        "summary": _summary(table),
        "complaints": complaints,
        "sampling": sampling,
        "programme": programme,
        "jurisdictions": jurisdictions,
        "ranking": ranking,
        "survey": _survey(period, jurisdiction),
        # Sections of the apps above scoring (scoring.report_sections), gathered here too.
        "extra_sections": gather_sections(kind, period, scope.code),
        # For the written summary on the first page (scoring.report_summary).
        "summary_inputs": summary_inputs(period, jurisdiction, scope_codes),
        "formulas": methodology_formulas(district_targets),
        "pass_rate_types": [
            str(SamplingType(value).label)
            for value in pass_rate_types()
            if value in SamplingType.values
        ],
        "per_thousand_types": [
            str(SamplingType(value).label)
            for value in per_thousand_types()
            if value in SamplingType.values
        ],
        "population_source": (
            jurisdiction.population_source if jurisdiction else _district_population_source()
        ),
    }


def _district_population_source() -> str:
    district = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).first()
    return district.population_source if district else ""
