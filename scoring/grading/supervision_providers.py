"""Latest grades for the risk weights of supervision's inspection plans (supervision.risk).

supervision sits below scoring and cannot read grades itself; scoring registers this source from
``ScoringConfig.ready``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from scoring.grading.access import recency
from scoring.models import Grade, UnitScore
from units.models import Unit

# A grade older than this no longer says much about a unit's risk.
LOOK_BACK_DAYS = 400


def latest_grades(units: QuerySet[Unit], as_of: dt.date) -> dict[int, str]:
    """{unit pk: its latest letter grade} among ``units`` graded in the last ``LOOK_BACK_DAYS``
    days before ``as_of`` (未评定 is not a letter: such units count as not graded)."""
    rows = (
        UnitScore.objects.filter(
            unit__in=units.order_by().values("pk"),
            as_of__lte=as_of,
            as_of__gt=as_of - dt.timedelta(days=LOOK_BACK_DAYS),
        )
        .order_by()
        .values_list("unit_id", "period", "grade")
    )
    best: dict[int, tuple[tuple[dt.date, int], str]] = {}
    for unit_id, period, grade in rows.iterator(chunk_size=5000):
        key = recency(period)
        if unit_id not in best or key > best[unit_id][0]:
            best[unit_id] = (key, grade)
    return {pk: grade for pk, (_key, grade) in best.items() if grade != Grade.UNRATED}


def register() -> None:
    from supervision.risk import register_grade_source

    register_grade_source(latest_grades)
