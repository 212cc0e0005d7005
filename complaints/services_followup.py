"""Follow-up of complaints: satisfaction callbacks (回访), unmasking personal data, and the
programme's consumer survey. Same rules as ``complaints.services``: atomic, claimed, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import CallbackLink, Complaint, Kind, Satisfaction, Status, SurveyResponse
from complaints.overdue import responsible_staff
from complaints.services import step, step_refused, step_sources
from lyushunkou import audit, crypto
from lyushunkou.models import Jurisdiction, User
from lyushunkou.notifications import notify, portal_language

S = Status
CALLBACK_LINK_DAYS = 14


# --- Satisfaction callbacks -------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def callback_link_create(*, complaint: Complaint, by: User, version: int | None = None) -> str:
    """A fresh one-time token for the complainant; returned once, only its hash is kept."""
    if complaint.status != S.CONCLUDED or complaint.kind != Kind.COMPLAINT:
        raise step_refused(_("A callback follows the conclusion of a complaint."))
    step(
        complaint,
        by=by,
        action="callback_link_created",
        sources=step_sources("callback_link"),
        version=version,
    )
    token = secrets.token_urlsafe(24)
    CallbackLink.objects.create(
        complaint=complaint,
        token_hash=_hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=CALLBACK_LINK_DAYS),
        created_by=by,
    )
    return token


def callback_link_for(token: str) -> CallbackLink | None:
    link = (
        CallbackLink.objects.select_related("complaint")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at < timezone.now():
        return None
    return link


@transaction.atomic
def complaint_record_satisfaction(
    *,
    complaint: Complaint,
    by: User | None,
    answer: str,
    token: str = "",
    version: int | None = None,
) -> Complaint:
    if answer not in Satisfaction.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    if complaint.status != S.CONCLUDED:
        raise step_refused(_("A callback follows the conclusion of a complaint."))
    via_link = bool(token)
    if via_link:
        claimed = CallbackLink.objects.filter(
            token_hash=_hash_token(token),
            complaint=complaint,
            used_at__isnull=True,
            expires_at__gte=timezone.now(),
        ).update(used_at=timezone.now())
        if claimed != 1:
            raise step_refused(_("This link has already been used or has expired."))
    step(
        complaint,
        by=by,
        action="callback_answered",
        sources=step_sources("satisfaction"),
        version=version,
        note=str(Satisfaction(answer).label),
        satisfaction=answer,
        satisfaction_at=timezone.now(),
        satisfaction_via_link=via_link,
    )
    if answer == Satisfaction.DISSATISFIED:
        _notify_dissatisfied(complaint)
    return complaint


def _notify_dissatisfied(complaint: Complaint) -> None:
    with portal_language():
        message = _("The complainant of %(no)s is dissatisfied with how it was handled.") % {
            "no": complaint.record_no
        }
    notify(
        responsible_staff(complaint),
        message=message,
        link=reverse("complaint-detail", args=[complaint.pk]),
        key=f"complaint:{complaint.pk}:dissatisfied:{complaint.version}",
    )


# --- Personal data ------------------------------------------------------------------------------


def complaint_unmask(
    *, complaint: Complaint, by: User, reason: str, request: Any = None
) -> dict[str, str]:
    """The complainant's personal data in clear, for a stated reason that the audit log keeps."""
    if not by.has_perm("complaints.unmask_complainant"):
        audit.record(
            "complaint.unmask",
            request=request,
            actor=by,
            obj=complaint,
            outcome=audit.Outcome.DENIED,
        )
        raise ValidationError(_("You may not see complainants' personal data."))
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": _("State why you need to see the personal data.")})
    audit.record(
        "complaint.unmask", request=request, actor=by, obj=complaint, reason=reason.strip()
    )
    return {
        "name": complaint.complainant_name,
        "phone": complaint.complainant_phone,
        "id_number": crypto.decrypt(complaint.complainant_id_encrypted),
        "address": complaint.complainant_address,
    }


# --- Surveys --------------------------------------------------------------------------------------


class SurveyAnswers(TypedDict, total=False):
    """One filled-in survey form (online, or typed in from paper by staff)."""

    jurisdiction: Jurisdiction
    answered_on: dt.date
    aware: bool
    approves: bool | None
    life_services: str


@transaction.atomic
def survey_record(*, by: User | None = None, **answers: Unpack[SurveyAnswers]) -> SurveyResponse:
    response = SurveyResponse(**answers)
    if not response.aware:
        response.approves = None
    response.source = SurveyResponse.Source.PAPER if by else SurveyResponse.Source.ONLINE
    response.entered_by = by
    response.full_clean()
    response.save()
    audit.record("survey.recorded", actor=by, username="" if by else "public", obj=response)
    return response
