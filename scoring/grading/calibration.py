"""The rubric's calibration report and a draft's what-if (issue 13, DESIGN.md §5).

For a period and a rubric version (the active one by default), every operating unit is graded on
the data as of the period's end, stored nowhere (``scoring.grading.engine.grade_all``): the
distribution of grades overall, per guarantee, per industry and per street, and which indicators
moved the most units. For a draft, the active rubric is graded on the same data beside it, with the
units whose grade would change. The command ``rubric_report``, the page and the admin's activation
confirmation all show this one report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from scoring.grading import rubric as rubrics
from scoring.grading.engine import UnitRow, grade_all
from scoring.grading.engine_grade import Scored
from scoring.models import Grade, Rubric
from scoring.periods import Period
from units.guarantees import Guarantee
from units.models import Unit

GRADES = tuple(Grade.values)  # A, B, C, D, then U (not graded), counted separately
# Points bands of one guarantee, best first: (label, lowest points).
POINT_BANDS = (("16–20", Decimal(16)), ("12–15.9", Decimal(12)), ("8–11.9", Decimal(8)))
BELOW = "0–7.9"
# A data key, the same in every language (the page shows it translated).
NO_EVIDENCE = "no evidence"
MOVERS = 10
CHANGES_LISTED = 200


class ReportError(ValueError):
    """A period or rubric version the report cannot use; the message is one line."""


@dataclass
class Report:
    period: str
    as_of: dt.date
    rubric: int
    rubric_status: str
    units: int
    overall: dict[str, int]
    per_guarantee: dict[str, dict[str, int]]
    per_industry: list[tuple[str, dict[str, int]]]
    per_street: list[tuple[str, dict[str, int]]]
    movers: list[dict[str, Any]]
    compared_with: int | None = None
    compared: dict[str, int] | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    changed: int = 0

    def graded(self, distribution: dict[str, int] | None = None) -> int:
        counts = self.overall if distribution is None else distribution
        return sum(n for grade, n in counts.items() if grade != Grade.UNRATED)

    def shares(self, distribution: dict[str, int] | None = None) -> dict[str, float]:
        """Each letter's share of the graded units (U's of all units), in per cent."""
        counts = self.overall if distribution is None else distribution
        graded, everyone = self.graded(counts), sum(counts.values())
        return {
            grade: round(100 * n / (everyone if grade == Grade.UNRATED else graded), 1)
            if (everyone if grade == Grade.UNRATED else graded)
            else 0.0
            for grade, n in counts.items()
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "rubric": self.rubric,
            "rubric_status": self.rubric_status,
            "units": self.units,
            "graded": self.graded(),
            "overall": self.overall,
            "shares": self.shares(),
            "per_guarantee": self.per_guarantee,
            "per_industry": dict(self.per_industry),
            "per_street": dict(self.per_street),
            "movers": self.movers,
            "compared_with": self.compared_with,
            "compared": self.compared,
            "changed": self.changed,
            "changes": self.changes,
        }


def rubric_by_version(version: str | int | None) -> Rubric:
    if version in (None, ""):
        try:
            return rubrics.active_rubric()
        except Rubric.DoesNotExist:
            raise ReportError(_("No rubric is active.")) from None
    try:
        return Rubric.objects.get(version=int(str(version)))
    except (Rubric.DoesNotExist, ValueError):
        raise ReportError(
            _("Unknown rubric version: %(version)s.") % {"version": version}
        ) from None


def rubric_choices() -> list[tuple[int, str, str]]:
    """Every version, newest first: (version, name, its status's label)."""
    versions = Rubric.objects.order_by("-version").values_list("version", "name", "status")
    return [(number, name, str(Rubric.Status(status).label)) for number, name, status in versions]


def _distribution(grades: list[str]) -> dict[str, int]:
    counts = Counter(grades)
    return {grade: counts.get(grade, 0) for grade in GRADES}


def _band(points: Decimal) -> str:
    for label, lowest in POINT_BANDS:
        if points >= lowest:
            return label
    return BELOW


def _movers(results: list[tuple[UnitRow, Scored]]) -> list[dict[str, Any]]:
    """The indicators that gave or took points at the most units, with the points in all."""
    units: Counter[str] = Counter()
    points: dict[str, Decimal] = defaultdict(Decimal)
    labels: dict[str, tuple[str, str, str]] = {}
    for _unit, scored in results:
        for entry in scored.evidence:
            if entry["kind"] in ("pending", "correction"):
                continue
            value = Decimal(entry["points"])
            if value == 0 and entry["kind"] != "veto":
                continue
            if entry["kind"] == "award" and entry["count"] == 1 and not entry["records"]:
                continue  # a baseline: every unit has it, it tells units apart in nothing
            code = entry["indicator"]
            units[code] += 1
            points[code] += value
            labels[code] = (entry["label"], entry["guarantee"], entry["kind"])
    return [
        {
            "indicator": code,
            "label": labels[code][0],
            "guarantee": labels[code][1],
            "kind": labels[code][2],
            "units": count,
            "points": str(points[code]),
        }
        for code, count in units.most_common(MOVERS)
    ]


def _grouped(
    results: list[tuple[UnitRow, Scored]], key_of: dict[int, str]
) -> list[tuple[str, dict[str, int]]]:
    grades: dict[str, list[str]] = defaultdict(list)
    for unit, scored in results:
        grades[key_of.get(unit.pk, "—")].append(scored.grade)
    return [(name, _distribution(grades[name])) for name in sorted(grades)]


def build(
    period: Period,
    rubric: Rubric,
    *,
    today: dt.date | None = None,
    scope: Q | None = None,
) -> Report:
    """The report of ``rubric`` on the data as of ``period``'s end; ``scope`` (a filter on
    units) limits the per-unit list of changes to the units the viewer may see."""
    as_of = period.as_of(today)
    results = grade_all(rubric, as_of, corrections_of=period.key)
    unit_ids = [unit.pk for unit, _scored in results]
    facts = {
        pk: (name, industry, street)
        for pk, name, industry, street in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "name", "industry", "jurisdiction__name"
        )
    }
    industries = dict(Unit._meta.get_field("industry").flatchoices)
    per_guarantee: dict[str, dict[str, int]] = {}
    for guarantee in Guarantee.values:
        counts = Counter(
            NO_EVIDENCE if guarantee in scored.unevidenced else _band(scored.guarantees[guarantee])
            for _unit, scored in results
        )
        labels = [label for label, _lowest in POINT_BANDS] + [BELOW, NO_EVIDENCE]
        per_guarantee[guarantee] = {label: counts.get(label, 0) for label in labels}
    report = Report(
        period=period.key,
        as_of=as_of,
        rubric=rubric.version,
        rubric_status=rubric.status,
        units=len(results),
        overall=_distribution([scored.grade for _unit, scored in results]),
        per_guarantee=per_guarantee,
        per_industry=_grouped(
            results,
            {pk: str(industries.get(fact[1], fact[1])) for pk, fact in facts.items()},
        ),
        per_street=_grouped(results, {pk: fact[2] for pk, fact in facts.items()}),
        movers=_movers(results),
    )
    if rubric.status != Rubric.Status.ACTIVE:
        _compare(report, results, period, as_of, facts, scope)
    return report


def _compare(
    report: Report,
    results: list[tuple[UnitRow, Scored]],
    period: Period,
    as_of: dt.date,
    facts: dict[int, tuple[str, str, str]],
    scope: Q | None,
) -> None:
    """The active rubric on the same data beside ``report``'s, and the units that change."""
    try:
        active = rubrics.active_rubric()
    except Rubric.DoesNotExist:
        return
    before = {
        unit.pk: scored for unit, scored in grade_all(active, as_of, corrections_of=period.key)
    }
    report.compared_with = active.version
    report.compared = _distribution([scored.grade for scored in before.values()])
    visible = (
        None
        if scope is None
        else set(Unit.objects.filter(scope, pk__in=list(facts)).values_list("pk", flat=True))
    )
    changes = []
    for unit, scored in results:
        old = before.get(unit.pk)
        if old is None or old.grade == scored.grade:
            continue
        report.changed += 1
        if visible is not None and unit.pk not in visible:
            continue
        name, _industry, street = facts.get(unit.pk, ("", "", ""))
        changes.append(
            {
                "unit": unit.pk,
                "name": name,
                "street": street,
                "from": old.grade,
                "to": scored.grade,
                "total_from": str(old.total),
                "total_to": str(scored.total),
            }
        )
    report.changes = changes[:CHANGES_LISTED]
