"""The year-end workflow (issue 21 item 4): submit a self-assessment, review it item by item,
issue the verdict. Every step is a claimed transition (a conditional update on ``version`` and
``state``), audited and notified.

- **Submit**: staff of the place (its street's staff, or district-wide staff) submit the year's
  self-assessment with a statement; the items are stored as the records show them at that moment.
  A returned or confirmed assessment may be submitted again (the next round).
- **Review**: district-wide staff accept or return each item (a returned item needs a note). Any
  item returned returns the assessment to the street; all accepted confirms it.
- **Issue**: district-wide staff issue the verdict of a confirmed assessment. It is refused while
  an item lacks its evidence (or, for the district, while a street's materials are incomplete),
  naming them. The verdict is stored with the items as judged and never changed; issuing again
  (a correction, with its reason) adds the next version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.facts import load_facts
from areas.models import Verdict
from areas.models_assessment import AreaAssessment, AreaVerdict, AssessmentItemReview
from areas.standard import AreaReport, area_check, district_report
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.notifications import notify, portal_language
from units.extensions import CriterionStatus

State = AreaAssessment.State
Decision = AssessmentItemReview.Decision


def _district_staff() -> list[User]:
    return list(
        User.objects.filter(role=Role.STAFF, jurisdiction__isnull=True, is_active=True).order_by(
            "pk"
        )
    )


def _place_staff(place: Jurisdiction) -> list[User]:
    """Staff scoped to the place itself (district-wide staff hear as reviewers, not here)."""
    if place.kind == Jurisdiction.Kind.DISTRICT:
        return []
    return list(
        User.objects.filter(role=Role.STAFF, jurisdiction=place, is_active=True).order_by("pk")
    )


def _require_district_wide(by: User) -> None:
    if by.role != Role.STAFF or not by.is_active or not by.is_district_wide:
        raise PermissionDenied


def _page(place: Jurisdiction, year: int) -> str:
    return reverse("areas-place", kwargs={"code": place.code, "year": year}) + "#assessment"


def snapshot(report: AreaReport) -> list[dict[str, Any]]:
    return [
        {
            "code": outcome.code,
            "label": outcome.label,
            "status": outcome.status,
            "detail": outcome.result.detail,
        }
        for outcome in report.outcomes
    ]


@transaction.atomic
def assessment_submit(
    *,
    place: Jurisdiction,
    year: int,
    by: User,
    statement: str,
    record: AreaAssessment | None,
    version: int,
) -> AreaAssessment:
    """Submit (or, after a return or a confirmation, submit again) the place's self-assessment;
    the caller has checked that ``by`` may write for the place."""
    if by.role != Role.STAFF or not by.is_active:
        raise PermissionDenied
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Write the self-assessment: what was done and how.")})
    items = snapshot(area_check(place, load_facts(year)))
    now = timezone.now()
    if record is None:
        if version != 0:
            raise StaleObject()
        record = AreaAssessment(
            place=place,
            year=year,
            state=State.SUBMITTED,
            statement=statement,
            items=items,
            submitted_by=by,
            submitted_at=now,
        )
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # submitted by someone else meanwhile
            raise StaleObject() from None
    else:
        if record.state == State.SUBMITTED:
            raise ValidationError(
                _("The self-assessment was submitted already and awaits the district's review.")
            )
        claim(
            AreaAssessment.objects.filter(pk=record.pk),
            sources=[State.RETURNED, State.CONFIRMED],
            version=version,
            state_field="state",
            state=State.SUBMITTED,
            statement=statement,
            items=items,
            round=F("round") + 1,
            submitted_by=by,
            submitted_at=now,
            reviewed_by=None,
            reviewed_at=None,
        )
        record.refresh_from_db()
    audit.record(
        "areas.assessment_submitted",
        actor=by,
        obj=record,
        place=place.code,
        year=year,
        round=record.round,
        missing=[item["code"] for item in items if item["status"] != CriterionStatus.MET],
    )
    with portal_language():
        message = _("%(place)s submitted its self-assessment for %(year)s: review it.") % {
            "place": place.name,
            "year": year,
        }
    notify(
        [user for user in _district_staff() if user.pk != by.pk],
        message=message,
        link=_page(place, year),
        key=f"area-assessment:{record.pk}:submitted:{record.round}",
    )
    return record


@transaction.atomic
def assessment_review(
    *,
    assessment: AreaAssessment,
    by: User,
    version: int,
    decisions: dict[str, tuple[str, str]],
) -> AreaAssessment:
    """Accept or return each item of a submitted self-assessment (``decisions``: item code →
    (decision, note)); any item returned returns the assessment, all accepted confirm it."""
    _require_district_wide(by)
    codes = [item["code"] for item in assessment.items]
    missing = [code for code in codes if code not in decisions]
    if missing:
        labels = {item["code"]: item["label"] for item in assessment.items}
        raise ValidationError(
            _("Decide on every item: %(items)s.")
            % {"items": "、".join(labels[code] for code in missing)}
        )
    unexplained = [
        code
        for code in codes
        if decisions[code][0] == Decision.RETURNED and not decisions[code][1].strip()
    ]
    if unexplained:
        labels = {item["code"]: item["label"] for item in assessment.items}
        raise ValidationError(
            _("Say why each returned item is returned: %(items)s.")
            % {"items": "、".join(labels[code] for code in unexplained)}
        )
    returned = [code for code in codes if decisions[code][0] == Decision.RETURNED]
    state = State.RETURNED if returned else State.CONFIRMED
    now = timezone.now()
    claim(
        AreaAssessment.objects.filter(pk=assessment.pk),
        sources=[State.SUBMITTED],
        version=version,
        state_field="state",
        state=state,
        reviewed_by=by,
        reviewed_at=now,
    )
    AssessmentItemReview.objects.bulk_create(
        [
            AssessmentItemReview(
                assessment=assessment,
                round=assessment.round,
                code=code,
                decision=decisions[code][0],
                note=decisions[code][1].strip()[:500],
                reviewed_by=by,
                reviewed_at=now,
            )
            for code in codes
        ]
    )
    assessment.refresh_from_db()
    place = assessment.place
    audit.record(
        "areas.assessment_returned" if returned else "areas.assessment_confirmed",
        actor=by,
        obj=assessment,
        place=place.code,
        year=assessment.year,
        round=assessment.round,
        returned=returned,
    )
    with portal_language():
        message = (
            _("The district returned %(place)s's self-assessment for %(year)s: %(count)d items.")
            if returned
            else _("The district confirmed %(place)s's self-assessment for %(year)s.")
        ) % {"place": place.name, "year": assessment.year, "count": len(returned)}
    told = {user.pk: user for user in _place_staff(place)}
    told.setdefault(assessment.submitted_by.pk, assessment.submitted_by)
    notify(
        [user for user in told.values() if user.pk != by.pk],
        message=message,
        link=_page(place, assessment.year),
        key=f"area-assessment:{assessment.pk}:reviewed:{assessment.round}",
    )
    return assessment


def _judged(
    place: Jurisdiction, year: int
) -> tuple[str, list[dict[str, Any]], list[Any], list[str]]:
    """(verdict, items, streets, what lacks evidence) of the place for the year, now."""
    facts = load_facts(year)
    if place.kind == Jurisdiction.Kind.DISTRICT:
        report = district_report(year, facts=facts)
        lacking = [o.label for o in report.own.outcomes if o.status == CriterionStatus.NO_DATA]
        lacking += [s.place.name for s in report.streets if s.verdict == Verdict.INCOMPLETE]
        streets = [
            {"code": s.place.code, "name": s.place.name, "verdict": str(s.verdict)}
            for s in report.streets
        ]
        return str(report.verdict), snapshot(report.own), streets, lacking
    own = area_check(place, facts)
    lacking = [o.label for o in own.outcomes if o.status == CriterionStatus.NO_DATA]
    return str(own.verdict), snapshot(own), [], lacking


@transaction.atomic
def verdict_issue(
    *,
    assessment: AreaAssessment,
    by: User,
    version: int,
    reason: str = "",
    today: dt.date | None = None,
) -> AreaVerdict:
    """Issue the verdict of a confirmed self-assessment, dated today; a later one is the next
    version and needs its reason."""
    _require_district_wide(by)
    locked = AreaAssessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if locked is None or locked.version != version:
        raise StaleObject()
    if locked.state != State.CONFIRMED:
        raise ValidationError(_("Only a confirmed self-assessment gets a verdict."))
    place, year = assessment.place, assessment.year
    verdict, items, streets, lacking = _judged(place, year)
    if lacking:
        raise ValidationError(
            _("No verdict can be issued while these lack their evidence: %(items)s.")
            % {"items": "、".join(lacking)}
        )
    latest = AreaVerdict.objects.filter(place=place, year=year).aggregate(n=Max("number"))["n"]
    reason = reason.strip()
    if latest and not reason:
        raise ValidationError(
            {"reason": _("A verdict was issued already: give the reason for the new version.")}
        )
    issued = AreaVerdict(
        place=place,
        year=year,
        number=(latest or 0) + 1,
        verdict=verdict,
        items=items,
        streets=streets,
        reason=reason[:500],
        issued_on=today or timezone.localdate(),
        issued_by=by,
        issued_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            issued.save()
    except IntegrityError:  # issued by someone else meanwhile
        raise StaleObject() from None
    audit.record(
        "areas.verdict_issued",
        actor=by,
        obj=issued,
        place=place.code,
        year=year,
        number=issued.number,
        verdict=verdict,
        unmet=[item["code"] for item in items if item["status"] != CriterionStatus.MET],
    )
    with portal_language():
        message = _("The verdict of %(place)s for %(year)s was issued: %(verdict)s.") % {
            "place": place.name,
            "year": year,
            "verdict": Verdict(verdict).label,
        }
    told = {user.pk: user for user in [*_place_staff(place), assessment.submitted_by]}
    notify(
        [user for user in told.values() if user.pk != by.pk],
        message=message,
        link=_page(place, year),
        key=f"area-verdict:{issued.pk}",
    )
    return issued
