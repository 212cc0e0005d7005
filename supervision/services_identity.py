"""Every change to identity matches (STYLE.md habit 2): finding them when a unit is registered,
imported or claimed, staff's confirmation or clearing, and recording a previous credit code.

Keyword-only, atomic, audited; a decision is claimed with a conditional update (habit 3), so two
staff deciding at once cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import User
from lyushunkou.notifications import notify, portal_language, staff_covering
from supervision.identity import Candidate, find_matches
from supervision.models_identity import (
    IdentityMatch,
    MatchState,
    MatchTrigger,
    PreviousCreditCode,
)
from units.models import Unit

__all__ = [
    "StaleObject",
    "identity_check",
    "match_clear",
    "match_confirm",
    "previous_code_record",
]


def _message(match: IdentityMatch) -> str:
    with portal_language():
        return _(
            "Identity check: %(unit)s shares %(reasons)s with %(matched)s (%(risks)s). It cannot "
            "apply for demonstration status until staff confirm or clear the match."
        ) % {
            "unit": match.unit.name,
            "reasons": "、".join(match.reason_labels),
            "matched": match.matched_unit.name,
            "risks": "、".join(match.risk_labels),
        }


def _merge(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    seen = {tuple(sorted(item.items())) for item in old}
    return [*old, *(item for item in new if tuple(sorted(item.items())) not in seen)]


@transaction.atomic
def identity_check(
    *,
    unit: Unit,
    trigger: str,
    by: User | None = None,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> list[IdentityMatch]:
    """Look for the units at risk that ``unit`` shares an identity with and store the matches.

    Idempotent: a pair found again while open gains what it newly shares; a pair staff have
    decided keeps their decision. Staff covering the unit's street are told of each new match.
    Returns the new matches.
    """
    candidates = find_matches(unit, names=names, phones=phones)
    if not candidates:
        return []
    existing = {
        match.matched_unit_id: match
        for match in IdentityMatch.objects.select_for_update().filter(
            unit=unit, matched_unit__in=[c.matched for c in candidates]
        )
    }
    created = []
    for candidate in candidates:
        match = existing.get(candidate.matched.pk)
        if match is None:
            created.append(_create(unit, candidate, trigger, by))
        elif match.state == MatchState.OPEN:
            match.reasons = _merge(match.reasons, candidate.reasons)
            match.risks = _merge(match.risks, candidate.risks)
            match.save(update_fields=["reasons", "risks", "updated_at"])
    return created


def _create(unit: Unit, candidate: Candidate, trigger: str, by: User | None) -> IdentityMatch:
    match = IdentityMatch.objects.create(
        unit=unit,
        matched_unit=candidate.matched,
        trigger=trigger,
        reasons=candidate.reasons,
        risks=candidate.risks,
    )
    audit.record(
        "supervision.identity_match_found",
        actor=by,
        obj=unit,
        match=match.pk,
        matched_unit=candidate.matched.pk,
        reasons=[reason["field"] for reason in candidate.reasons],
        risks=[risk["kind"] for risk in candidate.risks],
        trigger=trigger,
    )
    notify(
        staff_covering(unit.jurisdiction),
        message=_message(match),
        link=reverse("identity-detail", args=[match.pk]),
        key=f"supervision.identity:{match.pk}",
    )
    return match


def _decide(*, match: IdentityMatch, by: User, state: str, note: str) -> IdentityMatch:
    claim(
        IdentityMatch.objects.filter(pk=match.pk),
        sources=[MatchState.OPEN],
        state_field="state",
        state=state,
        decided_by=by,
        decided_at=timezone.now(),
        note=note,
    )
    match.refresh_from_db()
    audit.record(
        f"supervision.identity_match_{state}",
        actor=by,
        obj=match.unit,
        match=match.pk,
        matched_unit=match.matched_unit_id,
        note=note,
    )
    return match


@transaction.atomic
def match_confirm(*, match: IdentityMatch, by: User, note: str = "") -> IdentityMatch:
    """The same operator behind both units: the new unit stays out of the programme."""
    return _decide(match=match, by=by, state=MatchState.CONFIRMED, note=(note or "").strip())


@transaction.atomic
def match_clear(*, match: IdentityMatch, by: User, note: str) -> IdentityMatch:
    """Not the same operator (a common name, a shared building): the unit may apply."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Say why the units are not the same operator before clearing the match.")}
        )
    return _decide(match=match, by=by, state=MatchState.CLEARED, note=note)


@transaction.atomic
def previous_code_record(*, unit: Unit, credit_code: str, by: User) -> list[IdentityMatch]:
    """Keep a credit code the unit had before, and check the unit again with it."""
    code = normalize_credit_code(credit_code)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise ValidationError({"previous_credit_code": error.messages}) from error
    if code == unit.credit_code:
        raise ValidationError(
            {
                "previous_credit_code": _(
                    "This is the unit's current credit code, not a previous one."
                )
            }
        )
    try:
        with transaction.atomic():
            PreviousCreditCode.objects.create(unit=unit, credit_code=code, recorded_by=by)
    except IntegrityError:
        raise ValidationError(
            {
                "previous_credit_code": _(
                    "This previous credit code is already recorded for the unit."
                )
            }
        ) from None
    audit.record("supervision.previous_code_recorded", actor=by, obj=unit, credit_code=code)
    return identity_check(unit=unit, trigger=MatchTrigger.PREVIOUS_CODE, by=by)
