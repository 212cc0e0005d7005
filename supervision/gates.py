"""Supervision's gate on applying for demonstration status (``units.application_gates``): a unit
with an identity match awaiting review, or confirmed, may not apply.

The reasons are shown to the unit's operator too, so they name no other unit and no record of
one (an enforcement case is not public).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models_identity import IdentityMatch, MatchState
from units.models import Unit


def identity_gate(unit: Unit) -> list[str]:
    held = list(
        IdentityMatch.objects.filter(
            unit=unit, state__in=(MatchState.OPEN, MatchState.CONFIRMED)
        ).values_list("state", "decided_at")
    )
    reasons = []
    if any(state == MatchState.OPEN for state, _at in held):
        reasons.append(
            _(
                "Market-supervision staff are checking whether this unit continues a unit that "
                "was revoked, is on the dishonest list or is under enforcement; it cannot apply "
                "for demonstration status until they clear it."
            )
        )
    confirmed = [at for state, at in held if state == MatchState.CONFIRMED and at is not None]
    if confirmed:
        reasons.append(
            _(
                "On %(date)s market-supervision staff found that this unit continues a unit that "
                "was revoked, is on the dishonest list or is under enforcement; it cannot apply "
                "for demonstration status."
            )
            % {"date": timezone.localtime(min(confirmed)).date().isoformat()}
        )
    return reasons
