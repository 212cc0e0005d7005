"""The risk weight of a unit in an inspection-plan draw (docs/supervision.md, "Inspection plans").

A unit's weight is the product of one multiplier per risk factor, so a unit twice as risky on one
factor is twice as likely to be drawn first, whatever the others. Counts are capped, so that no
single unit crowds out its street:

| factor | multiplier |
|---|---|
| latest grade | A 0.5 · B 1.0 · C 1.5 · D 2.5 · not graded 1.2 |
| complaints naming the unit, last 12 months | 1 + 0.3 × n (n ≤ 10) |
| failed sampling batches (final result), last 24 months | 1 + 1.0 × n (n ≤ 5) |
| on-site check findings, last 24 months | 1 + 0.5 × n (n ≤ 6) |
| industry | catering, farmers' market, pharmacy 1.5 · mall, education, auto 1.2 · others 1.0 |
| time since the last on-site check | 1 + months ÷ 36 (≤ 2); never checked 2 |

Grades live in the scoring app, above this one: scoring registers a source of latest grades with
``register_grade_source`` (scoring/grading/supervision_providers.py); without one every unit counts
as not graded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from complaints.models import Complaint, Status
from inspections.models import Finding, OnSiteCheck, SamplingBatch, SamplingResult
from units.models import Industry, Unit

GRADE_MULTIPLIER = {"A": 0.5, "B": 1.0, "C": 1.5, "D": 2.5}
UNGRADED_MULTIPLIER = 1.2
COMPLAINT_STEP, COMPLAINT_CAP = 0.3, 10
FAILED_STEP, FAILED_CAP = 1.0, 5
FINDING_STEP, FINDING_CAP = 0.5, 6
INDUSTRY_MULTIPLIER: dict[str, float] = {
    Industry.CATERING: 1.5,
    Industry.FARMERS_MARKET: 1.5,
    Industry.PHARMACY: 1.5,
    Industry.MALL: 1.2,
    Industry.EDUCATION: 1.2,
    Industry.AUTO: 1.2,
}
MONTHS_FOR_DOUBLE = 36
NEVER_CHECKED_MULTIPLIER = 2.0

GradeSource = Callable[[QuerySet[Unit], dt.date], dict[int, str]]
_GRADE_SOURCES: list[GradeSource] = []


def register_grade_source(source: GradeSource) -> None:
    """``source(units, as_of)`` → {unit pk: latest grade letter} for those of ``units`` (a
    queryset) it knows."""
    if source not in _GRADE_SOURCES:
        _GRADE_SOURCES.append(source)


def latest_grades(units: QuerySet[Unit], as_of: dt.date) -> dict[int, str]:
    grades: dict[int, str] = {}
    for source in _GRADE_SOURCES:
        grades.update(source(units, as_of))
    return grades


@dataclass(frozen=True)
class Factors:
    grade: str  # "A"–"D", or "" when not graded
    complaints: int
    failed_batches: int
    findings: int
    industry: str
    months_since_check: int | None  # None: never checked

    def multipliers(self) -> dict[str, float]:
        since = (
            NEVER_CHECKED_MULTIPLIER
            if self.months_since_check is None
            else 1 + min(self.months_since_check, MONTHS_FOR_DOUBLE) / MONTHS_FOR_DOUBLE
        )
        return {
            "grade": GRADE_MULTIPLIER.get(self.grade, UNGRADED_MULTIPLIER),
            "complaints": 1 + COMPLAINT_STEP * min(self.complaints, COMPLAINT_CAP),
            "failed_batches": 1 + FAILED_STEP * min(self.failed_batches, FAILED_CAP),
            "findings": 1 + FINDING_STEP * min(self.findings, FINDING_CAP),
            "industry": INDUSTRY_MULTIPLIER.get(self.industry, 1.0),
            "since_check": since,
        }

    def weight(self) -> float:
        """The product of the multipliers, to 6 significant digits: the plan stores this very
        number, so a replay draws with exactly what the draw used."""
        product = 1.0
        for value in self.multipliers().values():
            product *= value
        return float(f"{product:.6g}")

    def as_json(self) -> dict[str, object]:
        return {
            "grade": self.grade,
            "complaints": self.complaints,
            "failed_batches": self.failed_batches,
            "findings": self.findings,
            "industry": self.industry,
            "months_since_check": self.months_since_check,
            "multipliers": {k: round(v, 4) for k, v in self.multipliers().items()},
        }


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


def _months_ago(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def risk_factors(units: QuerySet[Unit], as_of: dt.date) -> dict[int, Factors]:
    """The factors of each of ``units`` as of a day: six grouped queries, the units given as a
    subquery (a street may have tens of thousands)."""
    industries = dict(units.order_by().values_list("pk", "industry"))
    pks = units.order_by().values("pk")
    year_ago, two_years_ago = _months_ago(as_of, 12), _months_ago(as_of, 24)

    def per_unit(qs: QuerySet[Any]) -> dict[int, int]:
        return dict(qs.order_by().values_list("unit_id").annotate(n=Count("pk")))

    complaints = per_unit(
        Complaint.objects.filter(
            unit__in=pks, received_at__date__gt=year_ago, received_at__date__lte=as_of
        ).exclude(status=Status.REFUSED)
    )
    failed = per_unit(
        SamplingBatch.objects.filter(
            unit__in=pks,
            final_result=SamplingResult.FAIL,
            sampled_on__gt=two_years_ago,
            sampled_on__lte=as_of,
        )
    )
    findings = per_unit(
        Finding.objects.filter(
            unit__in=pks,
            check_record__checked_on__gt=two_years_ago,
            check_record__checked_on__lte=as_of,
        )
    )
    last_checks = dict(
        OnSiteCheck.objects.filter(unit__in=pks, checked_on__lte=as_of)
        .order_by()
        .values_list("unit_id")
        .annotate(last=Max("checked_on"))
    )
    grades = latest_grades(units, as_of)
    return {
        pk: Factors(
            grade=grades.get(pk, "") if grades.get(pk, "") in GRADE_MULTIPLIER else "",
            complaints=complaints.get(pk, 0),
            failed_batches=failed.get(pk, 0),
            findings=findings.get(pk, 0),
            industry=industry,
            months_since_check=(
                _months_between(last_checks[pk], as_of) if pk in last_checks else None
            ),
        )
        for pk, industry in industries.items()
    }
