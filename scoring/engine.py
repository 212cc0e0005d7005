"""Grade units against the rubric (DESIGN.md §5), set-based.

For each indicator the engine runs ONE query over all units (``scoring.rubric.RECORD_KINDS``),
groups the matching records by unit in Python, then computes every unit's five guarantees, total,
grade, caps and vetoes, applies the staff corrections of the period, and replaces the period's
``UnitScore`` rows in one transaction (delete, then bulk inserts a batch of units at a time). The
number of queries depends on the number of indicators, never on the number of units.

How one unit is graded from its records is ``scoring.engine_grade``; ``grade_all`` computes every
unit's grade without storing it, for the run here and for the calibration report's what-if.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scoring import rubric as rubrics
from scoring import status
from scoring.engine_grade import Hit, Plan, Scored, score_one
from scoring.grade_notifications import GradeChange, tell_grade_changes
from scoring.models import Grade, GradeSummary, Indicator, Rubric, ScoreCorrection, UnitScore
from scoring.periods import Period
from units.models import BusinessStatus, DemonstrationStatus, Unit

# Records listed per indicator in a unit's evidence; the count stays exact.
MAX_RECORDS = 20
BATCH_SIZE = 2_000
DEMONSTRATION = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)


@dataclass(frozen=True)
class UnitRow:
    pk: int
    jurisdiction_id: int
    demonstration_status: str


# --- Reading the records ------------------------------------------------------------------------


def collect(
    indicators: Sequence[Indicator],
    rubric: Rubric,
    as_of: dt.date,
    scope: Collection[int] | None,
) -> dict[int, dict[int, Hit]]:
    """{unit id: {indicator position: Hit}} with one query per (non-baseline) indicator."""
    hits: dict[int, dict[int, Hit]] = defaultdict(dict)
    for position, indicator in enumerate(indicators):
        kind = rubrics.RECORD_KINDS[indicator.record_kind]
        if kind.per_unit:
            continue  # every scored unit matches once; no query needed
        start = rubrics.window_start(indicator, rubric, as_of)
        query = kind.query(start, as_of, indicator.params)
        if scope is not None:
            query = query.filter(unit__in=list(scope))
        # Newest records first; an explicit order also avoids the models' default orderings,
        # some of which join other tables.
        # (Aggregated kinds yield one row per unit: ordering by the record would split groups.)
        order = "unit_id" if kind.aggregated else "-pk"
        for unit_id, record_id, label in query.order_by(order).iterator(chunk_size=5_000):
            hit = hits[unit_id].get(position)
            if hit is None:
                hit = hits[unit_id][position] = Hit()
            hit.count += 1
            if len(hit.records) < MAX_RECORDS:
                hit.records.append(
                    {"kind": indicator.record_kind, "id": record_id, "label": label or ""}
                )
    return hits


def units_to_grade(scope: Collection[int] | None) -> list[UnitRow]:
    """The operating units (or those of ``scope``), in id order."""
    units_query = Unit.objects.filter(business_status=BusinessStatus.OPERATING)
    if scope is not None:
        units_query = units_query.filter(pk__in=scope)
    return [
        UnitRow(*row)
        for row in units_query.order_by("pk").values_list(
            "pk", "jurisdiction_id", "demonstration_status"
        )
    ]


def grade_all(
    rubric: Rubric, as_of: dt.date, *, corrections_of: str | None = None
) -> list[tuple[UnitRow, Scored]]:
    """Every operating unit graded with ``rubric`` on the data as of ``as_of``, stored nowhere:
    the calibration report and a draft's what-if. ``corrections_of`` applies the staff
    corrections of that period, as a scoring run would."""
    indicators = list(rubric.indicators.order_by("order", "pk"))
    plan = Plan.of(rubric, indicators)
    hits = collect(indicators, rubric, as_of, None)
    corrections: dict[int, list[ScoreCorrection]] = defaultdict(list)
    if corrections_of:
        query = ScoreCorrection.objects.filter(period=corrections_of).order_by("created_at", "pk")
        for correction in query:
            corrections[correction.unit_id].append(correction)
    no_hits: dict[int, Hit] = {}
    return [
        (unit, score_one(plan, hits.get(unit.pk, no_hits), corrections.get(unit.pk, [])))
        for unit in units_to_grade(None)
    ]


# --- The run ------------------------------------------------------------------------------------


def rubric_for(period: Period, scope: Collection[int] | None) -> Rubric:
    """The active rubric; for a subset of units, the rubric the period was already scored with,
    so that re-scoring after an appeal keeps one rubric per period."""
    if scope is not None:
        existing = (
            UnitScore.objects.filter(period=period.key)
            .order_by("-computed_at", "-pk")
            .select_related("rubric")
            .first()
        )
        if existing is not None:
            return existing.rubric
    return rubrics.active_rubric()


def score_units(
    period: Period,
    *,
    unit_ids: Collection[int] | None = None,
    today: dt.date | None = None,
    rubric: Rubric | None = None,
    tell_operators: bool = True,
) -> dict[str, Any]:
    """Score every active unit (or the given ones) for ``period`` and store the scores,
    replacing that period's rows for those units; then let demonstration status follow.
    ``tell_operators``: notify the operators whose grade changed (``grade_notifications``).

    Returns a summary: period, as_of, rubric version, units scored, units by grade, vetoed,
    demonstration status changes (warned, restored), seconds taken and their split (timings).
    """
    started = time.perf_counter()
    as_of = period.as_of(today)
    scope = None if unit_ids is None else sorted(set(unit_ids))
    rubric = rubric or rubric_for(period, scope)
    indicators = list(rubric.indicators.order_by("order", "pk"))
    problems = [problem for i in indicators for problem in rubrics.validate_indicator(i)]
    if problems:
        raise ValidationError(problems)

    units = units_to_grade(scope)
    hits = collect(indicators, rubric, as_of, scope)
    corrections: dict[int, list[ScoreCorrection]] = defaultdict(list)
    correction_query = ScoreCorrection.objects.filter(period=period.key)
    if scope is not None:
        correction_query = correction_query.filter(unit__in=scope)
    for correction in correction_query.order_by("created_at", "pk"):
        corrections[correction.unit_id].append(correction)

    read = time.perf_counter()
    computed_at = timezone.now()
    plan = Plan.of(rubric, indicators)
    no_hits: dict[int, Hit] = {}
    summary_rows: list[tuple[int, bool, str, list[str]]] = []
    demonstration: list[UnitScore] = []  # what status following needs; the rest is dropped
    compute_seconds = 0.0
    # Graded and stored a batch at a time inside one transaction, so memory holds one batch of
    # scores and their evidence, not the whole register.
    with transaction.atomic():
        # Runs with the same rubric (the nightly job, the command, a re-score after an appeal)
        # take turns: otherwise a second run's DELETE could miss rows the first just inserted
        # and its INSERT would break the one-score-per-unit-and-period constraint.
        list(Rubric.objects.select_for_update().filter(pk=rubric.pk).values_list("pk"))
        # The period's grades before this run, and the period before's (what a unit scored
        # for the first time this period is compared with), in one query.
        earlier = UnitScore.objects.filter(period__in=[period.key, period.previous().key])
        if scope is not None:
            earlier = earlier.filter(unit__in=scope)
        graded: dict[int, tuple[str, dt.datetime]] = {}
        before: dict[int, str] = {}
        for unit_id, key, grade, graded_at, computed in earlier.values_list(
            "unit_id", "period", "grade", "graded_at", "computed_at"
        ):
            if key == period.key:
                graded[unit_id] = (grade, graded_at or computed)
            else:
                before[unit_id] = grade
        changed: list[GradeChange] = []
        old = UnitScore.objects.filter(period=period.key)
        if scope is not None:
            old = old.filter(unit__in=scope)
        old.delete()
        for first in range(0, len(units), BATCH_SIZE):
            batch_started = time.perf_counter()
            scores = [
                unit_score(
                    unit,
                    score_one(plan, hits.get(unit.pk, no_hits), corrections.get(unit.pk, [])),
                    period=period,
                    as_of=as_of,
                    rubric=rubric,
                    computed_at=computed_at,
                )
                for unit in units[first : first + BATCH_SIZE]
            ]
            for score in scores:
                previous = graded.get(score.unit_id)
                score.graded_at = (
                    previous[1] if previous and previous[0] == score.grade else computed_at
                )
                was = previous[0] if previous else before.get(score.unit_id)
                if was is not None and was != score.grade:
                    changed.append(GradeChange(score.unit_id, was, score.grade))
            compute_seconds += time.perf_counter() - batch_started
            UnitScore.objects.bulk_create(scores)
            summary_rows += [
                (s.jurisdiction_id, s.demonstration, s.grade, s.vetoes) for s in scores
            ]
            demonstration += [score for score in scores if score.demonstration]
        if scope is None:
            refresh_grade_summary(period.key, summary_rows)
        else:
            refresh_grade_summary(
                period.key,
                UnitScore.objects.filter(period=period.key).values_list(
                    "jurisdiction_id", "demonstration", "grade", "vetoes"
                ),
            )
        if tell_operators:
            tell_grade_changes(period, changed, computed_at=computed_at)

    written = time.perf_counter()
    changes = status.follow_grades(demonstration, period=period)
    finished = time.perf_counter()
    by_grade = Counter(grade for _, _, grade, _ in summary_rows)
    return {
        "period": period.key,
        "as_of": as_of.isoformat(),
        "rubric": rubric.version,
        "units": len(summary_rows),
        "by_grade": {grade: by_grade.get(grade, 0) for grade in Grade.values},
        "vetoed": sum(1 for *_, vetoes in summary_rows if vetoes),
        "warned": changes["warned"],
        "restored": changes["restored"],
        "seconds": round(finished - started, 2),
        # Where the time went: reading records, grading in Python, storing, status following.
        "timings": {
            "read": round(read - started, 2),
            "compute": round(compute_seconds, 2),
            "write": round(written - read - compute_seconds, 2),
            "status": round(finished - written, 2),
        },
    }


def unit_score(
    unit: UnitRow,
    result: Scored,
    *,
    period: Period,
    as_of: dt.date,
    rubric: Rubric,
    computed_at: dt.datetime,
) -> UnitScore:
    return UnitScore(
        unit_id=unit.pk,
        period=period.key,
        as_of=as_of,
        rubric=rubric,
        jurisdiction_id=unit.jurisdiction_id,
        demonstration=unit.demonstration_status in DEMONSTRATION,
        total=result.total,
        raw_grade=result.raw_grade,
        grade=result.grade,
        capped_by=result.capped_by,
        vetoes=result.vetoes,
        unevidenced=result.unevidenced,
        evidence=result.evidence,
        computed_at=computed_at,
        **result.guarantees,
    )


def refresh_grade_summary(
    period_key: str, rows: Iterable[tuple[int, bool, str, list[str]]]
) -> None:
    """Replace the period's GradeSummary rows: units per jurisdiction, demonstration flag and
    grade, with how many of them were vetoed."""
    units: Counter[tuple[int, bool, str]] = Counter()
    vetoed: Counter[tuple[int, bool, str]] = Counter()
    for jurisdiction_id, demonstration, grade, vetoes in rows:
        key = (jurisdiction_id, demonstration, grade)
        units[key] += 1
        if vetoes:
            vetoed[key] += 1
    GradeSummary.objects.filter(period=period_key).delete()
    GradeSummary.objects.bulk_create(
        GradeSummary(
            period=period_key,
            jurisdiction_id=jurisdiction_id,
            demonstration=demonstration,
            grade=grade,
            units=count,
            vetoed=vetoed[(jurisdiction_id, demonstration, grade)],
        )
        for (jurisdiction_id, demonstration, grade), count in sorted(units.items())
    )
