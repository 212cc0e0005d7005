"""The report's demonstration programme section: units by status, approvals, warnings and
revocations, and the grade distribution with the rubrics behind it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Sum

from lyushunkou.access import within
from lyushunkou.models import AuditEvent, Jurisdiction
from scoring import periods
from scoring.models import Grade, GradeSummary, Rubric, UnitScore
from scoring.periods import Period
from scoring.reports.data.formatting import _share
from scoring.reports.data.scope import _aware
from units.models import ApplicationStatus, DemonstrationApplication, DemonstrationStatus, Unit


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
        "by_jurisdiction": demo_by_jurisdiction,
    }
