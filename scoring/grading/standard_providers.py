"""The grade rule of the demonstration-unit standard (``units.extensions``): the unit's latest
grade at least ``min_grade``, and no veto item (一票否决) in any grade of the last
``veto_months``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from scoring.grading.access import recency
from scoring.models import UnitScore
from units.extensions import CriterionResult, CriterionStatus, RecordLink
from units.models import Unit
from units.standard import months_ago

GRADE_ORDER = "ABCD"  # best first


def _link(unit: Unit, period: str, grade: str) -> RecordLink:
    url = reverse("score-detail", kwargs={"unit_pk": unit.pk, "period": period})
    return RecordLink(
        _("Grade %(grade)s for %(period)s") % {"grade": grade, "period": period}, url, url
    )


def grade_rule(unit: Unit, params: Mapping[str, Any], today: dt.date) -> CriterionResult:
    # A unit has a score per period (a few dozen at most): one query, chosen in Python.
    scores = list(
        UnitScore.objects.filter(unit=unit, as_of__lte=today)
        .order_by()
        .values_list("period", "as_of", "grade", "vetoes")
    )
    if not scores:
        return CriterionResult(CriterionStatus.NO_DATA, _("The unit has not been graded yet."))
    minimum = str(params.get("min_grade", "B"))
    months = int(params.get("veto_months", 12))
    since = months_ago(today, months)
    vetoed = [
        (period, grade) for period, as_of, grade, vetoes in scores if vetoes and as_of >= since
    ]
    period, _as_of, grade, _vetoes = max(scores, key=lambda row: recency(row[0]))
    records = [_link(unit, period, grade)]
    records += [_link(unit, p, g) for p, g in sorted(vetoed, reverse=True) if p != period]
    if vetoed:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("A veto item was recorded in the last %(months)s months (%(periods)s).")
            % {"months": months, "periods": "、".join(sorted(p for p, _g in vetoed))},
            tuple(records),
        )
    if GRADE_ORDER.find(grade) > GRADE_ORDER.find(minimum):
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("The latest grade (%(period)s) is %(grade)s; %(minimum)s or better is required.")
            % {"period": period, "grade": grade, "minimum": minimum},
            tuple(records),
        )
    return CriterionResult(
        CriterionStatus.MET,
        _("The latest grade (%(period)s) is %(grade)s, with no veto item in %(months)s months.")
        % {"period": period, "grade": grade, "months": months},
        tuple(records),
    )


def register() -> None:
    from units.extensions import register_standard_rule

    register_standard_rule("grade", grade_rule)
