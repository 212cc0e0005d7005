"""Intake: a complaint or report registered as received, linked to the unit it names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks
from complaints.models import (
    Clock,
    Complaint,
    Kind,
)
from complaints.services.steps import (
    S,
    _clock_fields,
    record_event,
)
from lyushunkou import crypto
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Jurisdiction, User
from units.models import Unit


def link_unit(credit_code: str) -> Unit | None:
    code = normalize_credit_code(credit_code)
    return Unit.objects.filter(credit_code=code).first() if code else None


class ComplaintIntake(TypedDict, total=False):
    """What the register records of a complaint or report as received (the intake form, an
    import row). ``complainant_id_number`` is stored encrypted and hashed, never in clear."""

    record_no: str
    kind: str
    channel: str
    received_at: dt.datetime
    complainant_name: str
    complainant_phone: str
    complainant_id_number: str
    complainant_address: str
    unit: Unit | None
    respondent_name: str
    respondent_credit_code: str
    respondent_address: str
    jurisdiction: Jurisdiction
    consumption_kind: str
    category: str
    request_text: str
    amount_involved: Decimal | None


@transaction.atomic
def complaint_register(*, by: User | None, **intake: Unpack[ComplaintIntake]) -> Complaint:
    """Register a complaint or report as received; its first clock starts from the receipt date."""
    given: dict[str, Any] = dict(intake)
    id_number = (given.pop("complainant_id_number", "") or "").strip()
    complaint = Complaint(**given)
    complaint.respondent_credit_code = normalize_credit_code(complaint.respondent_credit_code)
    if complaint.unit_id is None and complaint.respondent_credit_code:
        complaint.unit = link_unit(complaint.respondent_credit_code)
    complaint.complainant_id_encrypted = crypto.encrypt(id_number)
    complaint.complainant_id_hash = crypto.keyed_hash(id_number)
    received_on = timezone.localdate(complaint.received_at)
    if received_on > timezone.localdate():
        raise ValidationError({"received_at": _("The receipt date cannot be in the future.")})
    if complaint.kind == Kind.REPORT:
        due = clocks.report_due(received_on)
        complaint.report_due = due.date
        fields = _clock_fields(Clock.REPORT, due)
    else:
        due = clocks.acceptance_due(received_on)
        complaint.acceptance_due = due.date
        fields = _clock_fields(Clock.ACCEPTANCE, due)
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.status = S.REGISTERED
    # The check constraints are the database's to enforce; validating them here would cost a
    # query each on every intake, which an import of a year's file pays thousands of times.
    complaint.full_clean(validate_constraints=False)
    if complaint.amount_involved is not None and complaint.amount_involved < 0:
        raise ValidationError({"amount_involved": _("The amount cannot be negative.")})
    complaint.save()
    record_event(complaint, "registered", by, target=S.REGISTERED)
    return complaint
