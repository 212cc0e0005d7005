"""Grade units against the rubric (DESIGN.md §5), set-based and in chunks.

A run is cut into chunks of units, a jurisdiction and an id range at a time
(``scoring.grading.chunks``). For each chunk the engine runs ONE query per indicator over the
chunk's units (``scoring.grading.rubric.RECORD_KINDS``), groups the matching records by unit in
Python, computes every unit's five guarantees, total, grade, caps and vetoes, applies the staff
corrections of the period, and replaces the chunk's ``UnitScore`` rows in one transaction
(``scoring.grading.run``). At the end the period's grade summary is rebuilt from the stored scores
with one SQL aggregate. The number of queries grows with the number of chunks, never with the
number of units in a chunk; memory holds one chunk.

``score_units`` runs the chunks one after the other in this process; ``scoring.grading.tasks``
fans them out over Celery workers. How one unit is graded from its records is
``scoring.grading.engine_grade``; ``grade_all`` computes every unit's grade without storing it, for
the calibration report's what-if.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from scoring.grading.engine_grade import Hit, Plan, Scored, score_one
from scoring.grading.records import (
    DEMONSTRATION,
    MAX_RECORDS,
    UnitRow,
    collect,
    unit_score,
    units_to_grade,
)
from scoring.grading.run import (
    BATCH_SIZE,
    refresh_grade_summary,
    rubric_for,
    run_inline,
    start_run,
)
from scoring.models import Rubric, ScoreCorrection
from scoring.periods import Period

__all__ = [
    "BATCH_SIZE",
    "DEMONSTRATION",
    "MAX_RECORDS",
    "UnitRow",
    "collect",
    "grade_all",
    "refresh_grade_summary",
    "rubric_for",
    "score_units",
    "unit_score",
    "units_to_grade",
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
    Chunk after chunk in this process (``settings.SCORING_CHUNK_SIZE`` units at most each).

    Returns a summary: period, as_of, rubric version, units scored, units by grade, vetoed,
    demonstration status changes (warned, restored), chunks, seconds taken and their split
    (timings).
    """
    run = start_run(
        period, unit_ids=unit_ids, today=today, rubric=rubric, tell_operators=tell_operators
    )
    return run_inline(run)
