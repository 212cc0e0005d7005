"""Demonstration status follows grades (DESIGN.md §5, issue 6 item 4).

After a scoring run, an approved demonstration unit whose grade is below B or that hit a veto is
put in warning (预警) with the reason, and the staff of its jurisdiction and district-wide staff
are notified; a unit in warning re-scored to B or better with no veto is approved again.
Revocation stays a staff decision. The system acts as ``by=None`` through ``units.services``, so
the audit log shows "system" and the same conditional UPDATE protects against a staff member
acting at the same moment (a lost race is skipped, not retried).

Only a unit's latest score moves its status: re-scoring an old period changes nothing for a unit
scored for a later date already.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lyushunkou.models import Role, User
from lyushunkou.notifications import notify
from scoring.models import Grade, Indicator, UnitScore
from scoring.periods import Period
from units import services
from units.models import DemonstrationStatus, Unit
from units.services import StaleObject

log = logging.getLogger(__name__)

PASSING_GRADES = frozenset({Grade.A, Grade.B})


def failing(score: UnitScore) -> bool:
    return score.grade not in PASSING_GRADES or bool(score.vetoes)


def warning_reason(score: UnitScore, period: Period) -> str:
    if score.vetoes:
        labels = dict(
            Indicator.objects.filter(rubric_id=score.rubric_id, code__in=score.vetoes).values_list(
                "code", "label"
            )
        )
        return _("Veto in the grading for %(period)s: %(vetoes)s.") % {
            "period": period.key,
            "vetoes": "; ".join(labels.get(code, code) for code in score.vetoes),
        }
    return _("Grade %(grade)s for %(period)s is below B.") % {
        "grade": score.grade,
        "period": period.key,
    }


def staff_to_notify(unit: Unit) -> list[User]:
    """Active staff whose scope covers the unit: its street's, its parent's, district-wide."""
    jurisdiction = unit.jurisdiction
    scopes = Q(jurisdiction__isnull=True) | Q(jurisdiction_id=jurisdiction.pk)
    if jurisdiction.parent_id:
        scopes |= Q(jurisdiction_id=jurisdiction.parent_id)
    return list(User.objects.filter(scopes, role=Role.STAFF, is_active=True).order_by("pk"))


def follow_grades(scores: Sequence[UnitScore], *, period: Period) -> dict[str, int]:
    """Move approved/warning demonstration units by their new scores; returns the counts."""
    changes = {"warned": 0, "restored": 0}
    candidates = [score for score in scores if score.demonstration]
    if not candidates:
        return changes
    unit_ids = [score.unit_id for score in candidates]
    as_of = candidates[0].as_of
    newer = set(
        UnitScore.objects.filter(unit__in=unit_ids, as_of__gt=as_of).values_list(
            "unit_id", flat=True
        )
    )
    units = Unit.objects.filter(
        pk__in=unit_ids,
        demonstration_status__in=(DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING),
    ).select_related("jurisdiction")
    by_id = {unit.pk: unit for unit in units}
    # Stored reasons are read by everyone later: write them in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        for score in candidates:
            unit = by_id.get(score.unit_id)
            if unit is None or unit.pk in newer:
                continue
            try:
                if unit.demonstration_status == DemonstrationStatus.APPROVED and failing(score):
                    reason = warning_reason(score, period)
                    services.unit_warn(unit=unit, by=None, reason=reason)
                    notify(
                        staff_to_notify(unit),
                        message=_("Demonstration unit %(unit)s is now in warning. %(reason)s")
                        % {"unit": unit.name, "reason": reason},
                        link=reverse("unit-detail", args=[unit.pk]),
                        key=f"unit:{unit.pk}:warning:{period.key}",
                    )
                    changes["warned"] += 1
                elif unit.demonstration_status == DemonstrationStatus.WARNING and not failing(
                    score
                ):
                    services.unit_rectified(
                        unit=unit,
                        by=None,
                        reason=_("Re-scored to grade %(grade)s for %(period)s with no veto.")
                        % {"grade": score.grade, "period": period.key},
                    )
                    changes["restored"] += 1
            except StaleObject:
                # Staff changed the unit's status meanwhile; their decision stands.
                log.info("demonstration status of unit %s changed meanwhile; skipped", unit.pk)
    return changes
