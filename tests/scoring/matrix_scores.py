"""Access-matrix rows of the score pages (see tests/test_access_matrix.py), and the small builders
the score-page tests share.

The world's unit (operator A's, in 登峰街道) has a score for the current month and a pending
appeal against it. A score is addressed by unit and period. Who gets what:

- the score page: its operator, staff in scope and leaders; operator B and 得胜 staff get a 404;
- replying/appealing: the unit's operator only;
- the list of grades and its exports: staff and leaders; the operator's grades: operators;
- the appeal list and the decision page: staff (in scope for one appeal); leaders read appeals on
  the score page only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lyushunkou.models import User
from scoring import periods
from scoring.models import Appeal, UnitScore
from tests.factories.scoring import GUARANTEES, UnitScoreFactory
from units.models import Unit


def make_score(
    unit: Unit,
    period: str | None = None,
    *,
    computed_at: dt.datetime | None = None,
    **fields: Any,
) -> UnitScore:
    """A stored score as the engine would write it (18 points on each guarantee unless told)."""
    points = {g: Decimal(fields.pop(g)) for g in GUARANTEES if g in fields}
    return UnitScoreFactory.create(
        unit=unit,
        period=period or periods.current().key,
        computed_at=computed_at or timezone.now(),
        **points,
        **fields,
    )


def make_appeal(score: UnitScore, by: User, **fields: Any) -> Appeal:
    values: dict[str, Any] = {
        "grade": score.grade,
        "kind": Appeal.Kind.APPEAL,
        "guarantee": "price",
        "text": "价签问题已当场整改，请复核。",
        "submitted_by": by,
        "due": timezone.localdate() + dt.timedelta(days=21),
    }
    values.update(fields)
    return Appeal.objects.create(unit=score.unit, period=score.period, **values)


def build(**world: Any) -> dict[str, Any]:
    score = make_score(world["unit"])
    appeal = make_appeal(score, world["operator"])
    return {"score_unit": score.unit_id, "score_period": score.period, "appeal": appeal}


def _score(w: Any) -> dict[str, Any]:
    return {"unit_pk": w.extra["score_unit"], "period": w.extra["score_period"]}


def _appeal(w: Any) -> dict[str, Any]:
    return {"pk": w.extra["appeal"].pk}


def rows(m: Any) -> list[Any]:
    score_page = m.expect(
        m.DENIED,
        anonymous=m.LOGIN,
        operator=m.OK,
        other_operator=m.HIDDEN,
        street_staff=m.OK,
        desheng_staff=m.HIDDEN,
        district_staff=m.OK,
        leader=m.OK,
    )
    return [
        m.get("score-list", m.STAFF_READ),
        # The rubric's calibration: staff and the system administrator (issue 13).
        m.get(
            "rubric-calibration", m.expect(m.REFUSED, anonymous=m.LOGIN, staff=m.OK, sysadmin=m.OK)
        ),
        m.get("score-export", m.STAFF_READ, lambda w: {"fmt": "xlsx"}),
        m.get("score-export", m.STAFF_READ, lambda w: {"fmt": "csv"}, "csv"),
        m.get("score-detail", score_page, _score),
        m.post("score-respond", m.OPERATOR_OWN_POST, _score),
        m.get("operator-score-list", m.OPERATOR_PAGE),
        m.get("appeal-list", m.STAFF_ONLY),
        m.get("appeal-export", m.STAFF_ONLY, lambda w: {"fmt": "xlsx"}),
        m.get("appeal-export", m.STAFF_ONLY, lambda w: {"fmt": "csv"}, "csv"),
        m.get("appeal-detail", m.STAFF_WRITE_GET, _appeal),
        m.post("appeal-detail", m.STAFF_WRITE_POST, _appeal),
    ]
