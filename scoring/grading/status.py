"""Demonstration status follows grades through the standard (DESIGN.md §5, issue 12 item 5).

A grade of B or better with no veto in the last 12 months is one criterion of the
demonstration-unit standard (``scoring.grading.standard_providers``), so there is one mechanism:
after a scoring run each scored demonstration unit is checked against the whole standard by
``units.services_status.unit_follow_standard``. An approved unit that no longer meets it (graded
below B, a veto, or any other criterion lapsed) is put in warning with every unmet criterion named
and a rectification deadline, and its operator and the staff in scope are notified; a unit the
system put in warning that meets the standard again is approved again. Revocation stays a staff
decision. A staff member acting at the same moment wins (the move is skipped, not retried).

Only a unit's latest score moves its status: re-scoring an old period changes nothing for a unit
scored for a later date already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scoring.models import UnitScore
from scoring.periods import Period
from units.models import DemonstrationStatus, Unit
from units.services_status import unit_follow_standard


def follow_grades(
    scores: Sequence[UnitScore], *, period: Period, today: dt.date | None = None
) -> dict[str, int]:
    """Move approved/warning demonstration units by the standard after their new scores;
    returns the counts. The check is as of the scores' date (``today`` by default for the
    running month's scores), so a run re-scoring a past month is judged on that month's data."""
    changes = {"warned": 0, "restored": 0}
    candidates = [score for score in scores if score.demonstration]
    if not candidates:
        return changes
    unit_ids = [score.unit_id for score in candidates]
    as_of = candidates[0].as_of
    today = today or as_of
    newer = set(
        UnitScore.objects.filter(unit__in=unit_ids, as_of__gt=as_of).values_list(
            "unit_id", flat=True
        )
    )
    units = (
        Unit.objects.filter(
            pk__in=unit_ids,
            demonstration_status__in=(DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING),
        )
        .exclude(pk__in=newer)
        .select_related("jurisdiction", "owner")
        .order_by("pk")
    )
    for unit in units:
        outcome = unit_follow_standard(unit=unit, today=today)
        if outcome in changes:
            changes[outcome] += 1
    return changes
