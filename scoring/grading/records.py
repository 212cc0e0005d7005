"""What grading a set of units reads: the units themselves and, per indicator, the records that
match them (DESIGN.md §5), and the ``UnitScore`` row a grade becomes.

``collect`` runs ONE query per indicator over the units it is given (or over every unit), groups
the matching records by unit in Python and keeps at most ``MAX_RECORDS`` of them per indicator as
evidence (the count stays exact). A scoring run calls it once per chunk of units
(``scoring.grading.run``), so what it holds is bounded by the chunk, not by the register.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from scoring.grading import rubric as rubrics
from scoring.grading.engine_grade import Hit, Scored
from scoring.models import Indicator, Rubric, ScoreCorrection, UnitScore
from scoring.periods import Period
from units.models import BusinessStatus, DemonstrationStatus, Unit

# Records listed per indicator in a unit's evidence; the count stays exact.
MAX_RECORDS = 20
DEMONSTRATION = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)


@dataclass(frozen=True)
class UnitRow:
    pk: int
    jurisdiction_id: int
    demonstration_status: str


def collect(
    indicators: Sequence[Indicator],
    rubric: Rubric,
    as_of: dt.date,
    scope: Collection[int] | None,
    *,
    id_range: tuple[int, int] | None = None,
) -> dict[int, dict[int, Hit]]:
    """{unit id: {indicator position: Hit}} with one query per (non-baseline) indicator, over
    the units of ``scope``, or of ``id_range`` (first and last id: the callers ignore units in
    between that they do not grade), or over every unit."""
    hits: dict[int, dict[int, Hit]] = defaultdict(dict)
    for position, indicator in enumerate(indicators):
        kind = rubrics.RECORD_KINDS[indicator.record_kind]
        if kind.per_unit:
            continue  # every scored unit matches once; no query needed
        start = rubrics.window_start(indicator, rubric, as_of)
        query = kind.query(start, as_of, indicator.params)
        if scope is not None:
            query = query.filter(unit__in=list(scope))
        if id_range is not None:
            # A BETWEEN on the indexed unit id, which PostgreSQL tests before the costlier
            # conditions of a kind (the verified kinds' correlated sub-queries).
            query = query.filter(unit__gte=id_range[0], unit__lte=id_range[1])
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


def corrections_by_unit(
    period_key: str,
    scope: Collection[int] | None,
    *,
    id_range: tuple[int, int] | None = None,
) -> dict[int, list[ScoreCorrection]]:
    """The staff corrections of the period (of ``scope``'s units, or ``id_range``'s), oldest
    first per unit."""
    corrections: dict[int, list[ScoreCorrection]] = defaultdict(list)
    query = ScoreCorrection.objects.filter(period=period_key)
    if scope is not None:
        query = query.filter(unit__in=list(scope))
    if id_range is not None:
        query = query.filter(unit__gte=id_range[0], unit__lte=id_range[1])
    for correction in query.order_by("created_at", "pk"):
        corrections[correction.unit_id].append(correction)
    return corrections


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
