"""A scoring run in chunks (issue 17 items 4–5): start, one chunk at a time, finish.

- ``start_run`` checks the rubric and fixes what every chunk shares (period, data date, rubric,
  the run's instant). A ``Run`` is plain data, sent to Celery workers as JSON.
- ``score_chunk`` grades one chunk (``scoring.grading.chunks``): reads its records, grades its
  units in Python, then in ONE transaction replaces their scores of the period, keeps the date a
  grade was given while it stands and tells the operators whose grade changed; then demonstration
  status follows (``scoring.grading.status``). It returns counts only. Run again (a retried task),
  it replaces the same rows with the same scores and tells nobody twice: idempotent.
- ``finish_run`` deletes the period's scores of units no longer operating (a run replaces the
  period's scores) and rebuilds ``GradeSummary`` from the stored scores with one SQL aggregate,
  then adds up the chunks' counts into the run's summary.

Memory is bounded by the chunk: nothing is kept from one chunk to the next but counts. Chunks of
one run may run at the same time in different worker processes (``scoring.grading.tasks``) or one
after the other in this process (``run_inline``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, reset_queries, transaction
from django.db.models import Count, Q
from django.utils import timezone

from lyushunkou.copying import copies, copy_insert
from scoring import periods
from scoring.grading import rubric as rubrics
from scoring.grading import status
from scoring.grading.chunks import Chunk, plan_chunks
from scoring.grading.engine_grade import Hit, Plan, score_one
from scoring.grading.notifications import GradeChange, tell_grade_changes
from scoring.grading.records import UnitRow, collect, corrections_by_unit, unit_score
from scoring.models import Grade, GradeSummary, Rubric, UnitScore
from scoring.periods import Period
from units.models import BusinessStatus, Unit

# Scores inserted per INSERT statement (bulk_create, elsewhere).
BATCH_SIZE = 2_000
TIMINGS = ("read", "compute", "write", "status")


@dataclass(frozen=True)
class Run:
    period: str
    as_of: dt.date
    rubric_id: int
    computed_at: dt.datetime
    tell_operators: bool = True
    # The units named by the caller (an appeal's re-score), or None: every operating unit.
    scope: tuple[int, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "rubric": self.rubric_id,
            "computed_at": self.computed_at.isoformat(),
            "tell_operators": self.tell_operators,
            "scope": None if self.scope is None else list(self.scope),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Run:
        scope = data.get("scope")
        return cls(
            period=str(data["period"]),
            as_of=dt.date.fromisoformat(data["as_of"]),
            rubric_id=int(data["rubric"]),
            computed_at=dt.datetime.fromisoformat(data["computed_at"]),
            tell_operators=bool(data.get("tell_operators", True)),
            scope=None if scope is None else tuple(int(pk) for pk in scope),
        )


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


def start_run(
    period: Period,
    *,
    unit_ids: Collection[int] | None = None,
    today: dt.date | None = None,
    rubric: Rubric | None = None,
    tell_operators: bool = True,
) -> Run:
    """The run's shared facts; raises ``ValidationError`` for a rubric with invalid indicators
    and ``Rubric.DoesNotExist`` without an active one."""
    scope = None if unit_ids is None else tuple(sorted(set(unit_ids)))
    rubric = rubric or rubric_for(period, scope)
    problems = [
        problem
        for indicator in rubric.indicators.order_by("order", "pk")
        for problem in rubrics.validate_indicator(indicator)
    ]
    if problems:
        raise ValidationError(problems)
    return Run(
        period=period.key,
        as_of=period.as_of(today),
        rubric_id=rubric.pk,
        computed_at=timezone.now(),
        tell_operators=tell_operators,
        scope=scope,
    )


def score_chunk(run: Run, chunk: Chunk) -> dict[str, Any]:
    """Grade and store one chunk; its counts (units, by grade, vetoed, warned, restored) and
    where its time went."""
    started = time.perf_counter()
    period = periods.parse(run.period)
    units = [
        UnitRow(*row)
        for row in chunk.units()
        .order_by("pk")
        .values_list("pk", "jurisdiction_id", "demonstration_status")
    ]
    if not units:
        return chunk_counts([])
    rubric = Rubric.objects.get(pk=run.rubric_id)
    indicators = list(rubric.indicators.order_by("order", "pk"))
    span = (chunk.first, chunk.last)
    with transaction.atomic():  # one snapshot for the chunk's records
        _without_jit()
        hits = collect(indicators, rubric, run.as_of, chunk.only, id_range=span)
        corrections = corrections_by_unit(run.period, chunk.only, id_range=span)

    read = time.perf_counter()
    plan = Plan.of(rubric, indicators)
    no_hits: dict[int, Hit] = {}
    scores = [
        unit_score(
            unit,
            score_one(plan, hits.get(unit.pk, no_hits), corrections.get(unit.pk, [])),
            period=period,
            as_of=run.as_of,
            rubric=rubric,
            computed_at=run.computed_at,
        )
        for unit in units
    ]
    del hits, corrections
    computed = time.perf_counter()

    with transaction.atomic():
        # Runs over the same units (a second run, an appeal's re-score) take turns: otherwise
        # a second run's DELETE could miss rows the first just inserted and its INSERT would
        # break the one-score-per-unit-and-period constraint, and the grades "before" it reads
        # would be half-replaced. The units' rows are locked for the write only (a no-key lock:
        # records referring to them can still be written); chunks of one run never overlap.
        # (SQLite writes one transaction at a time anyway and has no row locks.)
        locked = Unit.objects.filter(pk__range=span, business_status=BusinessStatus.OPERATING)
        if chunk.only is not None:
            locked = locked.filter(pk__in=chunk.only)
        list(locked.select_for_update(no_key=_no_key()).values_list("pk"))
        changed = _keep_grading_dates(scores, period, span, run.computed_at)
        replaced = UnitScore.objects.filter(period=period.key, unit__gte=span[0], unit__lte=span[1])
        if chunk.only is not None:
            replaced = replaced.filter(unit__in=chunk.only)
        replaced.delete()
        _insert(scores)
        if run.tell_operators:
            tell_grade_changes(period, changed, computed_at=run.computed_at)

    written = time.perf_counter()
    demonstration = [score for score in scores if score.demonstration]
    changes = status.follow_grades(demonstration, period=period)
    finished = time.perf_counter()
    counts = chunk_counts((score.grade, bool(score.vetoes)) for score in scores)
    counts["warned"], counts["restored"] = changes["warned"], changes["restored"]
    counts["timings"] = {
        "read": read - started,
        "compute": computed - read,
        "write": written - computed,
        "status": finished - written,
    }
    return counts


def _insert(scores: list[UnitScore]) -> None:
    """The chunk's scores, with one ``COPY`` on PostgreSQL (``lyushunkou.copying``): composing
    and binding ``bulk_create``'s INSERTs of 5,000 rows of twenty columns and their evidence was
    the larger part of a chunk's writing in Python; ``bulk_create`` elsewhere."""
    if copies(connection.alias):  # the chunk transaction's connection
        copy_insert(UnitScore, scores, using=connection.alias, ids=False)
    else:
        UnitScore.objects.bulk_create(scores, batch_size=BATCH_SIZE)


def _without_jit() -> None:
    """PostgreSQL compiles a query whose estimated cost passes ``jit_above_cost``; the verified
    kinds' correlated sub-queries do, and compiling one took 3.6 s of its 3.8 s at district
    scale — paid once per indicator and chunk. Off for the rest of this transaction (the
    operations guide turns it off for the portal's role; this holds wherever that was missed)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _no_key() -> bool:
    return bool(connection.features.has_select_for_no_key_update)


def _keep_grading_dates(
    scores: list[UnitScore], period: Period, span: tuple[int, int], computed_at: dt.datetime
) -> list[GradeChange]:
    """Set each new score's ``graded_at`` (kept while the grade stands) and list the units whose
    grade changed: from the period's grade before this run, or — the period's first run — the
    grade of the period before. One query for both."""
    earlier = UnitScore.objects.filter(
        period__in=[period.key, period.previous().key], unit__gte=span[0], unit__lte=span[1]
    ).values_list("unit_id", "period", "grade", "graded_at", "computed_at")
    graded: dict[int, tuple[str, dt.datetime]] = {}
    before: dict[int, str] = {}
    for unit_id, key, grade, graded_at, computed in earlier:
        if key == period.key:
            graded[unit_id] = (grade, graded_at or computed)
        else:
            before[unit_id] = grade
    changed: list[GradeChange] = []
    for score in scores:
        previous = graded.get(score.unit_id)
        score.graded_at = previous[1] if previous and previous[0] == score.grade else computed_at
        was = previous[0] if previous else before.get(score.unit_id)
        if was is not None and was != score.grade:
            changed.append(GradeChange(score.unit_id, was, score.grade))
    return changed


def chunk_counts(rows: Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """Counts of (grade, vetoed) pairs, in the shape ``score_chunk`` returns."""
    by_grade: Counter[str] = Counter()
    vetoed = 0
    for grade, veto in rows:
        by_grade[grade] += 1
        vetoed += veto
    return {
        "units": sum(by_grade.values()),
        "by_grade": dict(by_grade),
        "vetoed": vetoed,
        "warned": 0,
        "restored": 0,
        "timings": dict.fromkeys(TIMINGS, 0.0),
    }


def finish_run(run: Run, results: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """After every chunk: drop the scores of units that no longer operate, rebuild the period's
    grade summary from the stored scores, and return the run's summary."""
    started = time.perf_counter()
    with transaction.atomic():
        gone = UnitScore.objects.filter(period=run.period).exclude(
            unit__business_status=BusinessStatus.OPERATING
        )
        if run.scope is not None:
            gone = gone.filter(unit__in=run.scope)
        gone.delete()
        refresh_grade_summary(run.period)
    summary_seconds = time.perf_counter() - started
    by_grade: Counter[str] = Counter()
    totals = {"units": 0, "vetoed": 0, "warned": 0, "restored": 0}
    timings = dict.fromkeys(TIMINGS, 0.0)
    chunks = 0
    for result in results:
        chunks += 1
        by_grade.update(result["by_grade"])
        for key in totals:
            totals[key] += int(result[key])
        for key in TIMINGS:
            timings[key] += float(result["timings"][key])
    timings["write"] += summary_seconds
    return {
        "period": run.period,
        "as_of": run.as_of.isoformat(),
        "rubric": Rubric.objects.values_list("version", flat=True).get(pk=run.rubric_id),
        "units": totals["units"],
        "by_grade": {grade: by_grade.get(grade, 0) for grade in Grade.values},
        "vetoed": totals["vetoed"],
        "warned": totals["warned"],
        "restored": totals["restored"],
        "chunks": chunks,
        # From the run's start to its end, wherever the chunks ran.
        "seconds": round(max(0.0, (timezone.now() - run.computed_at).total_seconds()), 2),
        # Where the time went, added up over the chunks (more than ``seconds`` when chunks ran
        # side by side): reading records, grading in Python, storing, status following.
        "timings": {key: round(value, 2) for key, value in timings.items()},
    }


def refresh_grade_summary(period_key: str) -> None:
    """Replace the period's GradeSummary rows with units per jurisdiction, demonstration flag and
    grade, and how many of them were vetoed: one aggregate over the stored scores."""
    rows = (
        UnitScore.objects.filter(period=period_key)
        .order_by()
        .values("jurisdiction_id", "demonstration", "grade")
        .annotate(count=Count("pk"), vetoed_count=Count("pk", filter=~Q(vetoes=[])))
        .order_by("jurisdiction_id", "demonstration", "grade")
    )
    summaries = [
        GradeSummary(
            period=period_key,
            jurisdiction_id=row["jurisdiction_id"],
            demonstration=row["demonstration"],
            grade=row["grade"],
            units=row["count"],
            vetoed=row["vetoed_count"],
        )
        for row in rows
    ]
    GradeSummary.objects.filter(period=period_key).delete()
    GradeSummary.objects.bulk_create(summaries)


def run_inline(run: Run, chunks: Iterable[Chunk] | None = None) -> dict[str, Any]:
    """Every chunk one after the other in this process, then the finish."""
    if chunks is None:
        chunks = plan_chunks(run.scope)
    results = []
    for chunk in chunks:
        results.append(score_chunk(run, chunk))
        _forget_queries()
    return finish_run(run, results)


def _forget_queries() -> None:
    """With DEBUG on, Django keeps the SQL of the last 9,000 queries — the evidence JSON of
    every INSERT among them, gigabytes at city scale. Dropped between chunks, unless something
    is counting queries (a test's CaptureQueriesContext forces the debug cursor)."""
    if not connection.force_debug_cursor:
        reset_queries()
