"""Replies to and appeals against a unit's grade, and staff decisions on appeals (STYLE.md habit 2).

DESIGN.md §5: an operator may reply to and appeal a grade within 21 days (``APPEAL_DAYS``) of its
being given (``UnitScore.graded_at``: a nightly re-score that leaves the grade as it was
keeps the date); staff decide. An upheld appeal records a ``ScoreCorrection`` and re-scores the unit
for that period at once, so the operator sees the corrected grade, with the correction among its
evidence, when they next open the page. Decisions are claimed with a conditional UPDATE on
(status, version): two staff deciding at once, or a decision form loaded before another decision,
cannot both win.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify, portal_language, staff_covering
from scoring import periods
from scoring.grading.access import score_url
from scoring.models import APPEAL_DAYS, Appeal, ScoreCorrection, UnitScore
from units.guarantees import Guarantee
from units.models import Unit

A = Appeal.Status


def appeal_due(score: UnitScore) -> dt.date:
    """The last day to reply or appeal: 21 calendar days after the unit got this grade."""
    return timezone.localtime(score.grade_given_at).date() + dt.timedelta(days=APPEAL_DAYS)


def appeal_open(score: UnitScore, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) <= appeal_due(score)


def pending_appeal(score: UnitScore) -> Appeal | None:
    return Appeal.objects.filter(
        unit_id=score.unit_id, period=score.period, kind=Appeal.Kind.APPEAL, status=A.PENDING
    ).first()


@transaction.atomic
def appeal_submit(
    *,
    score: UnitScore,
    by: User,
    kind: str,
    text: str,
    guarantee: str = "",
    today: dt.date | None = None,
) -> Appeal:
    """The unit's operator replies to the grade (noted at once) or appeals it, naming the
    guarantee concerned and the grounds. One appeal per unit and period awaits a decision at a
    time; after the deadline both are refused with the date it was due."""
    if by.role != Role.OPERATOR or score.unit.owner_id != by.pk:
        raise ValidationError(_("Only the unit's operator can reply to or appeal its grade."))
    if kind not in Appeal.Kind.values:
        raise ValidationError({"kind": _("Choose a reply or an appeal.")})
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your reply or the grounds of your appeal.")})
    due = appeal_due(score)
    if (today or timezone.localdate()) > due:
        raise ValidationError(
            _(
                "The time to reply to or appeal this grade has passed: it was due by %(due)s "
                "(%(days)s days after the grade was computed)."
            )
            % {"due": due.isoformat(), "days": APPEAL_DAYS},
            code="too_late",
        )
    if kind == Appeal.Kind.APPEAL:
        if guarantee not in Guarantee.values:
            raise ValidationError({"guarantee": _("Name the guarantee your appeal is about.")})
        # Lock the unit: two appeals sent at once are taken one after the other, and the second
        # then sees the first pending.
        Unit.objects.select_for_update().filter(pk=score.unit_id).first()
        if pending_appeal(score) is not None:
            raise ValidationError(
                _(
                    "An appeal against this grade already awaits a decision. You can add to it "
                    "with a reply."
                ),
                code="pending",
            )
    else:
        guarantee = guarantee if guarantee in Guarantee.values else ""
    appeal = Appeal.objects.create(
        unit_id=score.unit_id,
        period=score.period,
        grade=score.grade,
        kind=kind,
        guarantee=guarantee,
        text=text,
        status=A.PENDING if kind == Appeal.Kind.APPEAL else A.NOTED,
        submitted_by=by,
        due=due,
    )
    audit.record(
        "score.appeal_submitted" if kind == Appeal.Kind.APPEAL else "score.reply_submitted",
        actor=by,
        obj=appeal,
        unit=score.unit_id,
        period=score.period,
        grade=score.grade,
        guarantee=guarantee,
    )
    if kind == Appeal.Kind.APPEAL:
        with portal_language():
            message = _("%(unit)s appeals its grade %(grade)s for %(period)s.") % {
                "unit": score.unit.name,
                "grade": score.grade,
                "period": score.period,
            }
        notify(
            staff_covering(score.unit.jurisdiction),
            message=message,
            link=reverse("appeal-detail", kwargs={"pk": appeal.pk}),
            key=f"appeal:{appeal.pk}:submitted",
        )
    return appeal


@dataclass(frozen=True)
class Correction:
    """What staff correct when upholding an appeal (``ScoreCorrection``): points added to the
    guarantee, or — with ``indicator_code`` — the points that indicator should have given; and
    whether a veto is lifted."""

    guarantee: str
    points: Decimal
    indicator_code: str = ""
    lift_veto: bool = False


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    by: User,
    version: int,
    upheld: bool,
    reason: str,
    correction: Correction | None = None,
) -> Appeal:
    """Uphold (record the correction, re-score the unit for the period) or dismiss (with a
    reason) a pending appeal; ``version`` is what the decision form was based on."""
    if by.role != Role.STAFF:
        raise ValidationError(_("Only staff decide appeals."))
    if appeal.kind != Appeal.Kind.APPEAL:
        raise ValidationError(_("A reply is noted, not decided."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if upheld:
        if correction is None:
            raise ValidationError(_("An upheld appeal records the correction to the score."))
        if correction.guarantee not in Guarantee.values:
            raise ValidationError({"guarantee": _("Choose the guarantee to correct.")})
    status = A.UPHELD if upheld else A.DISMISSED
    claim(
        Appeal.objects.filter(pk=appeal.pk),
        sources=[A.PENDING],
        version=version,
        status=status,
        decided_by=by,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
    appeal.refresh_from_db()
    detail: dict[str, Any] = {"unit": appeal.unit_id, "period": appeal.period}
    if upheld and correction is not None:
        record = ScoreCorrection.objects.create(
            unit_id=appeal.unit_id,
            period=appeal.period,
            guarantee=correction.guarantee,
            points=correction.points,
            indicator_code=correction.indicator_code,
            lift_veto=correction.lift_veto,
            reason=reason[:1000],
            appeal=appeal,
            created_by=by,
        )
        detail.update(
            correction=record.pk,
            guarantee=record.guarantee,
            points=str(record.points),
            indicator=record.indicator_code,
            lift_veto=record.lift_veto,
        )
        _rescore(appeal)
    audit.record(
        "score.appeal_upheld" if upheld else "score.appeal_dismissed",
        actor=by,
        obj=appeal,
        **detail,
    )
    recipients = {appeal.submitted_by_id: appeal.submitted_by}
    owner = appeal.unit.owner
    if owner is not None:
        recipients[owner.pk] = owner
    with portal_language():
        message = (
            _("Your appeal against the grade of %(unit)s for %(period)s was upheld.")
            if upheld
            else _("Your appeal against the grade of %(unit)s for %(period)s was dismissed.")
        ) % {"unit": appeal.unit.name, "period": appeal.period}
    notify(
        [user for user in recipients.values() if user.is_active],
        message=message,
        link=score_url(appeal),
        key=f"appeal:{appeal.pk}:decided",
    )
    from scoring.targets.refreshing import refresh_after_commit

    refresh_after_commit()  # the open periods' targets, once the decision commits (issue 14)
    return appeal


def _rescore(appeal: Appeal) -> None:
    """Re-score the unit for the appealed period with the new correction, in this transaction:
    if scoring fails, the decision is not recorded either."""
    from scoring.grading import engine

    # The decision's own notification tells the operator; the re-score does not tell again.
    engine.score_units(
        periods.parse(appeal.period), unit_ids=[appeal.unit_id], tell_operators=False
    )
