"""ODR (在线消费纠纷解决): an accepted complaint sent to the operator to answer, the operator's
answer, and the daily escalation of the ones left unanswered."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks, notifications
from complaints.models import (
    Clock,
    Complaint,
    OdrResponse,
)
from complaints.services.steps import (
    S,
    _back_to_mediation_fields,
    _clock_fields,
    step,
    step_refused,
    step_sources,
)
from lyushunkou.claims import StaleObject
from lyushunkou.models import User


@transaction.atomic
def complaint_forward_odr(
    *, complaint: Complaint, by: User, version: int, on: dt.date | None = None
) -> Complaint:
    """ODR first: send an accepted complaint to the respondent operator to answer."""
    if complaint.unit is None or complaint.unit.owner_id is None:
        raise ValidationError(
            _("Only a complaint against a unit with an operator account can go to the operator.")
        )
    on = on or timezone.localdate()
    due = clocks.odr_due(on)
    complaint = step(
        complaint,
        by=by,
        action="forwarded",
        sources=step_sources("forward"),
        target=S.ODR,
        version=version,
        odr_forwarded_on=on,
        odr_due=due.date,
        **_clock_fields(Clock.ODR, due),
    )
    notifications.tell_forwarded(complaint)
    return complaint


@transaction.atomic
def complaint_odr_respond(
    *, complaint: Complaint, by: User, version: int, response: str, text: str
) -> Complaint:
    """The operator answers within the ODR period; afterwards the complaint is back with staff."""
    if response not in OdrResponse.values:
        raise ValidationError({"response": _("Choose how you respond.")})
    if not text.strip():
        raise ValidationError({"text": _("Write your reply to the consumer's request.")})
    if complaint.odr_due and timezone.localdate() > complaint.odr_due:
        raise step_refused(
            _("The response period ended on %(date)s; the complaint is now with staff.")
            % {"date": complaint.odr_due.isoformat()}
        )
    complaint = step(
        complaint,
        by=by,
        action="odr_responded",
        sources={S.ODR},
        target=S.MEDIATING,
        version=version,
        note=text,
        odr_response=response,
        odr_response_text=text,
        odr_responded_at=timezone.now(),
        **_back_to_mediation_fields(complaint),
    )
    notifications.tell_answered(complaint)
    return complaint


def escalate_overdue_odr(today: dt.date | None = None) -> int:
    """Daily: ODR complaints whose operator did not answer in time go back to staff."""
    today = today or timezone.localdate()
    escalated = 0
    for complaint in Complaint.objects.filter(status=S.ODR, odr_due__lt=today).select_related(
        "handler"
    ):
        with transaction.atomic():
            try:
                complaint = step(
                    complaint,
                    by=None,
                    action="escalated",
                    sources={S.ODR},
                    target=S.MEDIATING,
                    version=complaint.version,
                    note=_("The operator did not respond by %(date)s.")
                    % {"date": complaint.odr_due.isoformat() if complaint.odr_due else ""},
                    odr_escalated=True,
                    **_back_to_mediation_fields(complaint),
                )
            except StaleObject:
                continue  # the operator answered meanwhile
            escalated += 1
            notifications.tell_escalated(complaint)
    return escalated
