"""A score's evidence as a user may see it: lines per guarantee with the rule of each line, links
to the records the user may follow (an operator is never shown a report or a complaint not
forwarded to them, and is sent to their own workspace pages), and why the grade was capped or
vetoed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.access import complaints_for_user
from inspections.models_checks import Finding
from lyushunkou.models import Role, User
from scoring.grading.access.scores import READERS
from scoring.models import Indicator, ScoreCorrection, UnitScore
from units.guarantees import Guarantee


@dataclass
class EvidenceRecord:
    label: str
    url: str | None


@dataclass
class EvidenceLine:
    code: str
    label: str
    kind: str
    kind_label: str
    guarantee: str
    count: int
    points: Decimal
    per_record: Decimal | None = None
    limit: Decimal | None = None
    records: list[EvidenceRecord] = field(default_factory=list)
    hidden: int = 0  # records this user may not see (a report, a complaint not forwarded)
    corrected: bool = False  # a staff correction replaced this line's points
    replaces: str = ""  # a correction: the indicator whose points it replaced…
    set_to: str = ""  # …and the points that indicator now gives
    lifts_veto: list[str] = field(default_factory=list)
    lifted: bool = False  # a veto line whose veto a correction lifted
    baseline: bool = False  # the base points every active unit starts from


@dataclass
class GuaranteeLines:
    key: str
    label: str
    points: Decimal
    capping: bool
    lines: list[EvidenceLine]


@dataclass
class Explanation:
    guarantees: list[GuaranteeLines]
    vetoes: list[EvidenceLine]
    cap: dict[str, Any] | None
    bands: list[dict[str, Any]]
    caps: list[dict[str, Any]]


KIND_LABELS = {
    Indicator.Kind.AWARD: _("Award"),
    Indicator.Kind.DEDUCTION: _("Deduction"),
    Indicator.Kind.VETO: _("Veto"),
    Indicator.Kind.PENDING: _("Awaiting verification"),
    "correction": _("Correction"),
}
INSPECTION_RECORD_KINDS = {
    "penalty": "penalties",
    "dishonest_listing": "listings",
    "safety_incident": "incidents",
}


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class _Links:
    """Where each evidence record leads for this user; looks up what it needs in bulk."""

    def __init__(self, user: User, score: UnitScore, records: list[dict[str, Any]]) -> None:
        self.user, self.score = user, score
        self.staff_side = user.role in READERS
        ids: dict[str, set[int]] = {}
        for record in records:
            pk = _int(record.get("id"))
            if pk is not None:
                ids.setdefault(str(record.get("kind", "")), set()).add(pk)
        self.check_of_finding: dict[int, int] = {}
        if self.staff_side and ids.get("finding"):
            self.check_of_finding = dict(
                Finding.objects.filter(pk__in=ids["finding"]).values_list("pk", "check_record_id")
            )
        self.appeal_of_correction: dict[int, int | None] = {}
        if ids.get("correction"):
            self.appeal_of_correction = dict(
                ScoreCorrection.objects.filter(
                    pk__in=ids["correction"], unit_id=score.unit_id
                ).values_list("pk", "appeal_id")
            )
        self.visible_complaints: set[int] | None = None
        if not self.staff_side and ids.get("complaint"):
            self.visible_complaints = set(
                complaints_for_user(user)
                .filter(pk__in=ids["complaint"])
                .values_list("pk", flat=True)
            )

    def visible(self, kind: str, pk: int | None) -> bool:
        if kind == "complaint" and not self.staff_side:
            return pk is not None and pk in (self.visible_complaints or set())
        return True

    def url(self, kind: str, pk: int | None) -> str | None:
        unit_pk = self.score.unit_id
        if kind in ("commitment", "station"):
            if self.staff_side:
                return reverse("unit-detail", kwargs={"pk": unit_pk})
            name = "workspace-commitments" if kind == "commitment" else "workspace-station"
            return reverse(name, kwargs={"pk": unit_pk})
        if pk is None:
            return None
        if kind == "correction":
            appeal = self.appeal_of_correction.get(pk)
            if appeal is None:
                return None
            if self.user.role == Role.STAFF:
                return reverse("appeal-detail", kwargs={"pk": appeal})
            return f"#appeal-{appeal}"
        if not self.staff_side:
            return self._operator_url(kind, pk)
        if kind == "sampling_batch":
            return reverse("sampling-detail", kwargs={"pk": pk})
        if kind == "complaint":
            return reverse("complaint-detail", kwargs={"pk": pk})
        if kind == "onsite_check":
            return reverse("check-detail", kwargs={"pk": pk})
        if kind == "finding":
            check = self.check_of_finding.get(pk)
            return reverse("check-detail", kwargs={"pk": check}) if check else None
        if kind in INSPECTION_RECORD_KINDS:
            record_kind = INSPECTION_RECORD_KINDS[kind]
            if self.user.role == Role.STAFF:
                return reverse("record-edit", kwargs={"kind": record_kind, "pk": pk})
            return reverse("record-list", kwargs={"kind": record_kind})
        return None

    def _operator_url(self, kind: str, pk: int) -> str | None:
        unit_pk = self.score.unit_id
        if kind == "complaint":
            return reverse("workspace-complaint", kwargs={"pk": pk})
        if kind in ("sampling_batch", "onsite_check", "finding"):
            # The operator's unit page lists their sampling, checks and findings.
            return reverse("workspace-unit", kwargs={"pk": unit_pk}) + "#inspections-heading"
        return None  # penalties, listings, incidents: staff records, named but not linked


def score_explanation(user: User, score: UnitScore) -> Explanation:
    """The score's evidence as lines per guarantee, with the rule of each line and links to its
    records that this user may follow; and why the grade was capped or vetoed."""
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(rubric_id=score.rubric_id)
    }
    evidence = [item for item in (score.evidence or []) if isinstance(item, dict)]
    all_records = [
        record
        for item in evidence
        for record in (item.get("records") or [])
        if isinstance(record, dict)
    ]
    links = _Links(user, score, all_records)
    by_guarantee: dict[str, list[EvidenceLine]] = {g: [] for g in Guarantee.values}
    vetoes: list[EvidenceLine] = []
    for item in evidence:
        code = str(item.get("indicator", ""))
        rule = indicators.get(code)
        kind = str(item.get("kind", ""))
        line = EvidenceLine(
            code=code,
            label=str(item.get("label") or (rule.label if rule else code)),
            kind=kind,
            kind_label=str(KIND_LABELS.get(kind, kind)),
            guarantee=str(item.get("guarantee", "")),
            count=_int(item.get("count")) or 0,
            points=_decimal(item.get("points", 0)),
            per_record=rule.points if rule and kind != "correction" else None,
            limit=rule.limit if rule and kind != "correction" else None,
            baseline=bool(rule and rule.record_kind == "baseline"),
            corrected=bool(item.get("corrected")),
            replaces=str(item.get("replaces") or ""),
            set_to=str(item.get("set_to") or ""),
            lifts_veto=[str(code) for code in item.get("lifts_veto") or []],
        )
        for record in item.get("records") or []:
            if not isinstance(record, dict):
                continue
            record_kind, pk = str(record.get("kind", "")), _int(record.get("id"))
            if not links.visible(record_kind, pk):
                line.hidden += 1
                continue
            line.records.append(
                EvidenceRecord(str(record.get("label") or pk or ""), links.url(record_kind, pk))
            )
        if kind == Indicator.Kind.VETO:
            if code in (score.vetoes or []):
                vetoes.append(line)
            else:
                line.lifted = True
        by_guarantee.setdefault(line.guarantee, []).append(line)
    points = score.guarantee_points()
    guarantees = [
        GuaranteeLines(
            key=key,
            label=str(label),
            points=points[key],
            capping=score.capped_by == key,
            lines=by_guarantee.get(key, []),
        )
        for key, label in Guarantee.choices
    ]
    for code in score.vetoes or []:
        if all(line.code != code for line in vetoes):
            rule = indicators.get(code)
            vetoes.append(
                EvidenceLine(
                    code=code,
                    label=rule.label if rule else code,
                    kind=Indicator.Kind.VETO,
                    kind_label=str(KIND_LABELS[Indicator.Kind.VETO]),
                    guarantee=rule.guarantee if rule else "",
                    count=0,
                    points=Decimal(0),
                )
            )
    caps = [c for c in (score.rubric.caps or []) if isinstance(c, dict)]
    return Explanation(
        guarantees=guarantees,
        vetoes=vetoes if score.vetoes else [],
        cap=_cap_applied(score, caps),
        bands=[b for b in (score.rubric.grade_bands or []) if isinstance(b, dict)],
        caps=caps,
    )


def _cap_applied(score: UnitScore, caps: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not score.capped_by:
        return None
    points = score.guarantee_points().get(score.capped_by, Decimal(0))
    applying = [c for c in caps if points < _decimal(c.get("below"))]
    worst = max(applying, key=lambda c: str(c.get("cap", "")), default=None)
    return {
        "guarantee": Guarantee(score.capped_by).label,
        "points": points,
        "below": _decimal(worst.get("below")) if worst else None,
        "grade": str(worst.get("cap", "")) if worst else score.grade,
    }
