"""The rubric as data (DESIGN.md §5): validation of a draft and the lifecycle of versions (copy
as a draft, activate).

An indicator names a *record kind* from ``RECORD_KINDS`` (``scoring.grading.rules``) and gives it
parameters; the record kinds are re-exported here for the callers that know them by this module.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.models import User
from scoring.grading.rules import RECORD_KINDS
from scoring.grading.rules.records import as_number, day_start, months_before, window_start
from scoring.models import LETTERS, MAX_GUARANTEE_POINTS, Indicator, Rubric
from units.guarantees import Guarantee

__all__ = ["RECORD_KINDS", "day_start", "months_before", "window_start"]


# --- Validation ---------------------------------------------------------------------------------


def validate_bands(bands: Any) -> list[str]:
    """Grade bands: each grade A–D once, better grades with higher minimums, the lowest at 0."""
    if not isinstance(bands, list) or not all(isinstance(band, dict) for band in bands):
        return [_('Grade bands: give a list like [{"grade": "A", "min": 90}, …].')]
    errors: list[str] = []
    minimums: dict[str, Decimal] = {}
    for band in bands:
        grade, minimum = band.get("grade"), as_number(band.get("min"))
        if grade not in LETTERS:
            errors.append(_("Grade bands: unknown grade %(grade)r.") % {"grade": grade})
        elif grade in minimums:
            errors.append(_("Grade bands: grade %(grade)s appears twice.") % {"grade": grade})
        elif minimum is None or not 0 <= minimum <= 100:
            errors.append(
                _("Grade bands: the minimum of grade %(grade)s must be a number from 0 to 100.")
                % {"grade": grade}
            )
        else:
            minimums[grade] = minimum
    if errors:
        return errors
    missing = [grade for grade in LETTERS if grade not in minimums]
    if missing:
        errors.append(
            _("Grade bands: no band for grade %(grades)s.") % {"grades": ", ".join(missing)}
        )
    ordered = [grade for grade in LETTERS if grade in minimums]  # A, B, C, D
    for better, worse in itertools.pairwise(ordered):
        if minimums[better] <= minimums[worse]:
            errors.append(
                _(
                    "Grade bands: grades %(better)s (from %(a)s) and %(worse)s (from %(b)s) "
                    "overlap: a better grade needs a higher minimum."
                )
                % {"better": better, "a": minimums[better], "worse": worse, "b": minimums[worse]}
            )
    if minimums and min(minimums.values()) != 0:
        lowest = min(minimums, key=lambda grade: minimums[grade])
        errors.append(
            _("Grade bands: totals below %(min)s get no grade: grade %(grade)s must start at 0.")
            % {"min": minimums[lowest], "grade": lowest}
        )
    return errors


def validate_caps(caps: Any, grades: set[str]) -> list[str]:
    if not isinstance(caps, list) or not all(isinstance(cap, dict) for cap in caps):
        return [_('Caps: give a list like [{"below": 12, "cap": "C"}, …].')]
    errors: list[str] = []
    for cap in caps:
        below, grade = as_number(cap.get("below")), cap.get("cap")
        if grade not in grades:
            errors.append(
                _("Cap below %(below)s: unknown grade %(grade)r.")
                % {"below": cap.get("below"), "grade": grade}
            )
        if below is None or not 0 < below <= MAX_GUARANTEE_POINTS:
            errors.append(
                _("Cap to grade %(grade)s: “below” must be a number of points from 0 to 20.")
                % {"grade": grade}
            )
    return errors


def validate_indicator(indicator: Indicator) -> list[str]:
    name = indicator.code or indicator.label
    errors: list[str] = []
    kind = RECORD_KINDS.get(indicator.record_kind)
    if kind is None:
        errors.append(
            _("Indicator %(code)s: unknown record kind %(kind)r (known: %(known)s).")
            % {"code": name, "kind": indicator.record_kind, "known": ", ".join(RECORD_KINDS)}
        )
    elif not isinstance(indicator.params, dict):
        errors.append(_("Indicator %(code)s: parameters must be an object.") % {"code": name})
    else:
        for key, value in indicator.params.items():
            spec = kind.params.get(key)
            if spec is None:
                known = ", ".join(kind.params) or _("none")
                errors.append(
                    _(
                        "Indicator %(code)s: record kind %(kind)s has no parameter %(key)r "
                        "(known: %(known)s)."
                    )
                    % {"code": name, "kind": kind.name, "key": key, "known": known}
                )
                continue
            problem = spec.check(value)
            if problem:
                errors.append(
                    _("Indicator %(code)s: parameter %(key)s %(problem)s.")
                    % {"code": name, "key": key, "problem": problem}
                )
    if indicator.guarantee not in Guarantee.values:
        errors.append(
            _("Indicator %(code)s: unknown guarantee %(guarantee)r.")
            % {"code": name, "guarantee": indicator.guarantee}
        )
    if indicator.kind not in Indicator.Kind.values:
        errors.append(
            _("Indicator %(code)s: unknown kind %(kind)r.") % {"code": name, "kind": indicator.kind}
        )
    elif indicator.kind == Indicator.Kind.PENDING:
        if indicator.points or indicator.limit:
            errors.append(
                _("Indicator %(code)s: an indicator awaiting verification earns no points.")
                % {"code": name}
            )
    elif indicator.kind != Indicator.Kind.VETO:
        if indicator.points is None or indicator.points <= 0:
            errors.append(
                _("Indicator %(code)s: the points per record must be more than 0.") % {"code": name}
            )
        if indicator.limit is None or indicator.limit <= 0:
            errors.append(
                _("Indicator %(code)s: the cap or floor must be more than 0.") % {"code": name}
            )
    if indicator.window_months is not None and indicator.window_months < 1:
        errors.append(
            _("Indicator %(code)s: the window must be at least 1 month.") % {"code": name}
        )
    return errors


def validate(rubric: Rubric, indicators: list[Indicator] | None = None) -> list[str]:
    """Everything wrong with a rubric, each message naming the item; empty when it may be
    activated. ``indicators`` defaults to the rubric's saved ones."""
    if indicators is None:
        indicators = list(rubric.indicators.all())
    errors: list[str] = []
    if rubric.lookback_months < 1:
        errors.append(_("Look-back window: at least 1 month."))
    if rubric.unrated_without_evidence > len(Guarantee.values):
        errors.append(
            _("Not graded without evidence: a number of guarantees from 0 to %(count)s.")
            % {"count": len(Guarantee.values)}
        )
    errors += validate_bands(rubric.grade_bands)
    grades = {band.get("grade") for band in rubric.grade_bands if isinstance(band, dict)}
    errors += validate_caps(rubric.caps, {g for g in grades if g in LETTERS})
    for indicator in indicators:
        errors += validate_indicator(indicator)
    reachable = dict.fromkeys(Guarantee.values, Decimal(0))
    for indicator in indicators:
        if indicator.kind == Indicator.Kind.AWARD and indicator.guarantee in reachable:
            reachable[indicator.guarantee] += indicator.limit or Decimal(0)
    for guarantee, label in Guarantee.choices:
        if reachable[guarantee] != MAX_GUARANTEE_POINTS:
            errors.append(
                _(
                    "Guarantee %(guarantee)s: its awards can reach %(points)s points; they must "
                    "reach exactly 20 (add up the caps of its award indicators)."
                )
                % {"guarantee": label, "points": reachable[guarantee]}
            )
    return errors


# --- Versions -----------------------------------------------------------------------------------


def active_rubric() -> Rubric:
    """The rubric in force; raises Rubric.DoesNotExist when none is (a fresh, unmigrated DB)."""
    return Rubric.objects.get(status=Rubric.Status.ACTIVE)


@transaction.atomic
def copy_as_draft(rubric: Rubric, by: User | None) -> Rubric:
    """A new draft version with the same settings and indicators, to edit then activate."""
    last = Rubric.objects.select_for_update().order_by("-version").first()
    draft = Rubric.objects.create(
        version=(last.version if last else 0) + 1,
        name=rubric.name,
        status=Rubric.Status.DRAFT,
        lookback_months=rubric.lookback_months,
        unrated_without_evidence=rubric.unrated_without_evidence,
        grade_bands=rubric.grade_bands,
        caps=rubric.caps,
        notes=rubric.notes,
        created_by=by,
    )
    Indicator.objects.bulk_create(
        Indicator(
            rubric=draft,
            code=indicator.code,
            label=indicator.label,
            guarantee=indicator.guarantee,
            kind=indicator.kind,
            record_kind=indicator.record_kind,
            params=indicator.params,
            points=indicator.points,
            limit=indicator.limit,
            window_months=indicator.window_months,
            order=indicator.order,
        )
        for indicator in rubric.indicators.all()
    )
    audit.record("rubric.drafted", actor=by, obj=draft, copied_from=rubric.version)
    return draft


@transaction.atomic
def activate(rubric: Rubric, by: User | None) -> Rubric:
    """Validate a draft and put it in force, retiring the active version. Raises
    ValidationError with every problem when the draft is not fit to grade with."""
    draft = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if draft.status != Rubric.Status.DRAFT:
        raise ValidationError(
            _("Rubric v%(version)s is not a draft; only a draft can be activated.")
            % {"version": draft.version}
        )
    errors = validate(draft)
    if errors:
        raise ValidationError(errors)
    retired = list(
        Rubric.objects.select_for_update()
        .filter(status=Rubric.Status.ACTIVE)
        .values_list("version", flat=True)
    )
    Rubric.objects.filter(status=Rubric.Status.ACTIVE).update(status=Rubric.Status.RETIRED)
    now = timezone.now()
    claimed = Rubric.objects.filter(pk=draft.pk, status=Rubric.Status.DRAFT).update(
        status=Rubric.Status.ACTIVE, activated_at=now, activated_by=by
    )
    if claimed != 1:  # pragma: no cover - the row lock above makes this impossible
        raise ValidationError(_("Someone else changed this rubric; nothing was activated."))
    rubric.refresh_from_db()
    audit.record("rubric.activated", actor=by, obj=rubric, version=rubric.version, retired=retired)
    return rubric
