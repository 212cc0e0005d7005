"""Reports (举报): verification, and the decision to open a case or not."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import (
    Complaint,
    Kind,
)
from complaints.services.steps import (
    S,
    _clock_fields,
    step,
    step_refused,
    step_sources,
)
from lyushunkou.models import User


@transaction.atomic
def report_verify(*, complaint: Complaint, by: User, version: int) -> Complaint:
    if complaint.kind != Kind.REPORT:
        raise step_refused()
    return step(
        complaint,
        by=by,
        action="verifying",
        sources=step_sources("verify"),
        target=S.VERIFYING,
        version=version,
    )


@transaction.atomic
def report_decide(
    *,
    complaint: Complaint,
    by: User,
    version: int,
    open_case: bool,
    reason: str,
    on: dt.date | None = None,
) -> Complaint:
    if complaint.kind != Kind.REPORT:
        raise step_refused()
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    return step(
        complaint,
        by=by,
        action="case_opened" if open_case else "case_not_opened",
        sources=step_sources("decide"),
        target=S.CASE_OPENED if open_case else S.NOT_OPENED,
        version=version,
        note=reason,
        concluded_on=on or timezone.localdate(),
        conclusion_note=reason,
        **_clock_fields("", None),
    )
