"""Tell operators whose grade a scoring run changed (docs/notifications.md).

``engine.score_units`` collects, inside its transaction, every unit whose new grade differs from
the one it had: the grade of the same period before this run, or — the period's first run — the
grade of the period before. A unit graded for the first time has nothing to differ from and is not
told (it sees its grade on the workspace). Each operator gets one notification per unit and run,
linking to the score page where they reply or appeal, with the last day to do so; the operators
are read a batch at a time, so a run that changes many grades stays a few queries per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou.models import Role
from lyushunkou.notifications import BATCH_SIZE, Note, notify_each, portal_language
from scoring.models import APPEAL_DAYS, Grade
from scoring.periods import Period
from units.models import Unit


@dataclass(frozen=True)
class GradeChange:
    unit_id: int
    was: str
    now: str


def tell_grade_changes(
    period: Period, changes: Sequence[GradeChange], *, computed_at: dt.datetime
) -> int:
    """One notification to the active operator of each unit in ``changes``; returns how many.
    Keyed by unit, period and run, so a run is told once and the next change is told again."""
    if not changes:
        return 0
    return notify_each(_notes(period, changes, computed_at))


def _notes(
    period: Period, changes: Sequence[GradeChange], computed_at: dt.datetime
) -> Iterator[Note]:
    due = timezone.localtime(computed_at).date() + dt.timedelta(days=APPEAL_DAYS)
    run = computed_at.strftime("%Y%m%dT%H%M%S%f")
    by_unit = {change.unit_id: change for change in changes}
    ids = sorted(by_unit)
    with portal_language():
        label = period.label
        grades = {grade.value: str(grade.label) for grade in Grade}
        template = _(
            "The grade of %(unit)s for %(period)s is now %(grade)s (it was %(was)s). You may "
            "reply or appeal until %(due)s."
        )
    for first in range(0, len(ids), BATCH_SIZE):
        units = (
            Unit.objects.filter(
                pk__in=ids[first : first + BATCH_SIZE],
                owner__is_active=True,
                owner__role=Role.OPERATOR,
            )
            .select_related("owner")
            .order_by("pk")
        )
        for unit in units:
            change = by_unit[unit.pk]
            assert unit.owner is not None
            yield Note(
                user=unit.owner,
                message=template
                % {
                    "unit": unit.name,
                    "period": label,
                    "grade": grades.get(change.now, change.now),
                    "was": grades.get(change.was, change.was),
                    "due": due.isoformat(),
                },
                link=reverse("score-detail", kwargs={"unit_pk": unit.pk, "period": period.key}),
                key=f"grade:{unit.pk}:{period.key}:{run}",
            )
