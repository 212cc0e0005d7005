"""Grading one unit from its records (DESIGN.md §5): the pure part of the engine, shared by the
scoring run (``scoring.grading.engine``) and the calibration report's what-if
(``scoring.grading.calibration``).

Per unit and guarantee: awards add ``points`` per record up to their cap, deductions take
``points`` per record down to their floor, the sum is clamped to 0–20. The total picks the grade
band; the worst guarantee may cap the grade (``capped_by``); any veto forces D. Pending
indicators list self-declared records awaiting verification and earn nothing.

No evidence, no grade: a guarantee has evidence when a rule other than a baseline or a pending
list matched a record of it. When the rubric says so (``unrated_without_evidence``), a unit with
that many guarantees without evidence is "not graded" (U) instead of a letter — unless a veto
forces D, which is evidence enough.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.grading import rubric as rubrics
from scoring.models import (
    LETTERS,
    MAX_GUARANTEE_POINTS,
    Grade,
    Indicator,
    Rubric,
    ScoreCorrection,
)
from units.guarantees import Guarantee

ZERO = Decimal(0)
TENTH = Decimal("0.1")
GRADE_ORDER = list(LETTERS)  # A, B, C, D: a higher index is a worse grade
# Read once: ``TextChoices.values`` builds a new list on every access, 3 times a unit otherwise.
GUARANTEES = tuple(Guarantee.values)


@functools.lru_cache(maxsize=256)  # few distinct values, formatted ~300,000 times a run
def points_text(points: Decimal) -> str:
    return str(points.quantize(TENTH))


@dataclass
class Hit:
    """The records of one indicator at one unit."""

    count: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Scored:
    guarantees: dict[str, Decimal]
    total: Decimal
    raw_grade: str
    grade: str
    capped_by: str
    vetoes: list[str]
    evidence: list[dict[str, Any]]
    unevidenced: list[str] = field(default_factory=list)


# --- Grading ------------------------------------------------------------------------------------

AWARD, DEDUCTION, VETO, PENDING = (str(kind.value) for kind in Indicator.Kind)


@dataclass(frozen=True)
class Rule:
    """An indicator, read once per run (model and enum attribute access is slow in a loop)."""

    position: int
    code: str
    label: str
    guarantee: str
    kind: str
    points: Decimal
    limit: Decimal
    per_unit: bool


@dataclass(frozen=True)
class Plan:
    """What grading a unit needs from the rubric: its rules, bands (best first) and caps."""

    rules: list[Rule]
    bands: list[tuple[Decimal, str]]
    caps: list[tuple[Decimal, str]]
    # Guarantees without evidence that make a unit "not graded"; 0: never.
    unrated_without_evidence: int = 0

    @classmethod
    def of(cls, rubric: Rubric, indicators: Sequence[Indicator]) -> Plan:
        rules = [
            Rule(
                position,
                indicator.code,
                indicator.label,
                indicator.guarantee,
                str(indicator.kind),
                indicator.points,
                indicator.limit,
                rubrics.RECORD_KINDS[indicator.record_kind].per_unit,
            )
            for position, indicator in enumerate(indicators)
        ]
        bands = sorted(
            ((Decimal(str(band["min"])), str(band["grade"])) for band in rubric.grade_bands),
            reverse=True,
        )
        caps = [(Decimal(str(cap["below"])), str(cap["cap"])) for cap in rubric.caps]
        return cls(rules, bands, caps, rubric.unrated_without_evidence)


def grade_for(total: Decimal, bands: Iterable[tuple[Decimal, str]]) -> str:
    """The first band (best first) whose minimum the total reaches."""
    for minimum, grade in bands:
        if total >= minimum:
            return grade
    return Grade.D


def worse(a: str, b: str) -> str:
    return a if GRADE_ORDER.index(a) >= GRADE_ORDER.index(b) else b


def apply_caps(
    raw: str, guarantees: dict[str, Decimal], caps: Iterable[tuple[Decimal, str]]
) -> tuple[str, str]:
    """(grade, capped_by): the worst guarantee below a cap's threshold lowers the grade."""
    weakest = min(GUARANTEES, key=lambda g: guarantees[g])  # ties: first in order
    grade = raw
    for below, cap in caps:
        if guarantees[weakest] < below:
            grade = worse(grade, cap)
    return grade, (weakest if grade != raw else "")


def score_one(plan: Plan, hits: dict[int, Hit], corrections: Sequence[ScoreCorrection]) -> Scored:
    sums = dict.fromkeys(GUARANTEES, ZERO)
    evidence: list[dict[str, Any]] = []
    vetoes: list[str] = []
    evidenced: set[str] = set()
    applied: dict[str, tuple[dict[str, Any] | None, Decimal]] = {}
    for rule in plan.rules:
        if rule.per_unit:
            count, records = 1, []
        else:
            hit = hits.get(rule.position)
            if hit is None:
                continue
            count, records = hit.count, hit.records
            if rule.kind != PENDING:
                evidenced.add(rule.guarantee)
        if rule.kind == AWARD:
            points = min(rule.points * count, rule.limit)
        elif rule.kind == DEDUCTION:
            points = -min(rule.points * count, rule.limit)
        elif rule.kind == PENDING:
            points = ZERO
        else:
            points = ZERO
            vetoes.append(rule.code)
        sums[rule.guarantee] += points
        entry = {
            "indicator": rule.code,
            "label": rule.label,
            "guarantee": rule.guarantee,
            "kind": rule.kind,
            "count": count,
            "points": points_text(points),
            "records": records,
        }
        evidence.append(entry)
        applied[rule.code] = (entry, points)
    if corrections:
        rules = {rule.code: rule for rule in plan.rules}
        for correction in corrections:
            evidence.append(_apply_correction(correction, sums, vetoes, rules, applied))
    guarantees = {g: max(ZERO, min(MAX_GUARANTEE_POINTS, sums[g])) for g in GUARANTEES}
    total = sum(guarantees.values(), ZERO)
    raw = grade_for(total, plan.bands)
    grade, capped_by = apply_caps(raw, guarantees, plan.caps)
    unevidenced = [g for g in GUARANTEES if g not in evidenced]
    if vetoes:
        grade = Grade.D
    elif plan.unrated_without_evidence and len(unevidenced) >= plan.unrated_without_evidence:
        grade, capped_by = Grade.UNRATED, ""
    return Scored(guarantees, total, raw, grade, capped_by, vetoes, evidence, unevidenced)


def _apply_correction(
    correction: ScoreCorrection,
    sums: dict[str, Decimal],
    vetoes: list[str],
    rules: dict[str, Rule],
    applied: dict[str, tuple[dict[str, Any] | None, Decimal]],
) -> dict[str, Any]:
    """An upheld appeal's correction: it replaces the named indicator's points (or adds to the
    guarantee when it names none) and may lift a veto. Its evidence entry carries the net change,
    so a guarantee's evidence still adds up to its points."""
    rule = rules.get(correction.indicator_code) if correction.indicator_code else None
    guarantee = correction.guarantee
    lifted: list[str] = []
    if rule is not None:
        guarantee = rule.guarantee
        entry, current = applied.get(rule.code, (None, ZERO))
        delta = correction.points - current
        if entry is not None:
            entry["corrected"] = True
        applied[rule.code] = (entry, correction.points)  # a later correction replaces this one
        if correction.lift_veto and rule.code in vetoes:
            lifted = [rule.code]
    else:
        delta = correction.points
    if correction.lift_veto and not lifted:
        lifted = [code for code in vetoes if rules[code].guarantee == correction.guarantee]
    for code in lifted:
        vetoes.remove(code)
    sums[guarantee] += delta
    return {
        "indicator": correction.indicator_code,
        "label": correction.reason[:200],
        "guarantee": guarantee,
        "kind": "correction",
        "count": 1,
        "points": points_text(delta),
        "records": [{"kind": "correction", "id": correction.pk, "label": correction.reason[:40]}],
        "replaces": correction.indicator_code if rule is not None else "",
        "set_to": points_text(correction.points) if rule is not None else "",
        "lifts_veto": lifted,
        "appeal": correction.appeal_id,
    }
