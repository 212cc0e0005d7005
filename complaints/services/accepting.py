"""Accepting a complaint, or not accepting it on a legal ground."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks
from complaints.models import (
    Clock,
    Complaint,
    Outcome,
)
from complaints.services.steps import (
    S,
    _clock_fields,
    _not_before_receipt,
    step,
    step_sources,
)
from lyushunkou.models import Role, User


@transaction.atomic
def complaint_accept(
    *, complaint: Complaint, by: User | None, version: int | None, on: dt.date | None = None
) -> Complaint:
    on = on or timezone.localdate()
    _not_before_receipt(complaint, on)
    due = clocks.mediation_due(on)
    return step(
        complaint,
        by=by,
        action="accepted",
        sources=step_sources("accept"),
        target=S.ACCEPTED,
        version=version,
        accepted_on=on,
        mediation_due=due.date,
        handler=by if by and by.role == Role.STAFF else None,
        **_clock_fields(Clock.MEDIATION, due),
    )


@transaction.atomic
def complaint_refuse(
    *,
    complaint: Complaint,
    by: User | None,
    version: int | None,
    ground: str,
    note: str = "",
    on: dt.date | None = None,
) -> Complaint:
    """不予受理 with one of the Art. 15 grounds; it ends the complaint."""
    if not ground:
        raise ValidationError({"ground": _("Choose the legal ground for not accepting.")})
    on = on or timezone.localdate()
    _not_before_receipt(complaint, on)
    return step(
        complaint,
        by=by,
        action="refused",
        sources=step_sources("refuse"),
        target=S.REFUSED,
        version=version,
        note=note,
        refusal_ground=ground,
        outcome=Outcome.REFUSED,
        conclusion_note=note,
        concluded_on=on,
        **_clock_fields("", None),
    )
