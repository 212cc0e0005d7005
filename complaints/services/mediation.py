"""Mediation: contacts recorded, pauses for testing or appraisal, the conclusion with its
outcome and finding of fault, and reopening."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks, notifications
from complaints.models import (
    Clock,
    Complaint,
    FaultFinding,
    MediationPause,
    MediationRecord,
    Outcome,
)
from complaints.services.steps import (
    S,
    _back_to_mediation_fields,
    _clock_fields,
    step,
    step_refused,
    step_sources,
)
from lyushunkou.models import User


@transaction.atomic
def complaint_record_mediation(
    *,
    complaint: Complaint,
    by: User,
    kind: str,
    occurred_at: dt.datetime,
    note: str,
    version: int | None = None,
) -> MediationRecord:
    """A mediation contact; the first one starts the mediation."""
    if complaint.status == S.ACCEPTED:
        step(
            complaint,
            by=by,
            action="mediation_started",
            sources={S.ACCEPTED},
            target=S.MEDIATING,
            version=version,
        )
    else:
        step(
            complaint,
            by=by,
            action="mediation_recorded",
            sources={S.MEDIATING},
            version=version,
            note=note,
        )
    return MediationRecord.objects.create(
        complaint=complaint, kind=kind, occurred_at=occurred_at, note=note, recorded_by=by
    )


@transaction.atomic
def complaint_pause(
    *, complaint: Complaint, by: User, on: dt.date, reason: str, version: int | None = None
) -> MediationPause:
    """Testing or appraisal starts: the mediation clock stops until it is resumed."""
    step(
        complaint,
        by=by,
        action="paused",
        sources=step_sources("pause"),
        version=version,
        note=reason,
        **_clock_fields("", None),
    )
    if complaint.pauses.filter(ended_on__isnull=True).exists():
        raise step_refused()
    return MediationPause.objects.create(complaint=complaint, started_on=on, reason=reason)


@transaction.atomic
def complaint_resume(
    *, complaint: Complaint, by: User, on: dt.date, version: int | None = None
) -> Complaint:
    pause = complaint.pauses.select_for_update().filter(ended_on__isnull=True).first()
    if pause is None or on < pause.started_on:
        raise step_refused()
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    spans = [(p.started_on, p.ended_on) for p in complaint.pauses.all() if p.ended_on]
    assert complaint.accepted_on is not None
    due = clocks.mediation_due(complaint.accepted_on, spans)
    return step(
        complaint,
        by=by,
        action="resumed",
        sources=step_sources("pause"),  # as for a pause: never restart a closed clock
        version=version,
        mediation_due=due.date,
        **_clock_fields(Clock.MEDIATION, due),
    )


@transaction.atomic
def complaint_conclude(
    *,
    complaint: Complaint,
    by: User | None,
    version: int | None,
    outcome: str,
    on: dt.date | None = None,
    amount_recovered: Decimal | None = None,
    termination_ground: str = "",
    transferred_to: str = "",
    note: str = "",
    fault_finding: str = "",
) -> Complaint:
    """Conclude with an outcome and, whatever it is, staff's finding of fault (blank when not
    determined, e.g. imported): the rubric counts a complaint as substantiated by the finding."""
    on = on or timezone.localdate()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values or outcome == Outcome.REFUSED:
        errors["outcome"] = _("Choose how the complaint ended.")
    if fault_finding and fault_finding not in FaultFinding.values:
        errors["fault_finding"] = _("Choose a finding of fault from the list.")
    if amount_recovered is not None and amount_recovered < 0:
        errors["amount_recovered"] = _("The amount recovered cannot be negative.")
    if outcome == Outcome.TERMINATED and not termination_ground:
        errors["termination_ground"] = _("Choose the ground for terminating mediation.")
    if outcome == Outcome.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = _("Name the authority the complaint was transferred to.")
    if errors:
        raise ValidationError(errors)
    if complaint.accepted_on and on < complaint.accepted_on:
        raise ValidationError({"on": _("The conclusion cannot come before the acceptance.")})
    fields: dict[str, Any] = {
        "outcome": outcome,
        "concluded_on": on,
        "conclusion_note": note,
        "fault_finding": fault_finding,
        "amount_recovered": amount_recovered if outcome == Outcome.MEDIATED else None,
        "termination_ground": termination_ground if outcome == Outcome.TERMINATED else "",
        "transferred_to": transferred_to if outcome == Outcome.TRANSFERRED else "",
        "termination_notice_due": (
            clocks.termination_notice_due(on).date if outcome == Outcome.TERMINATED else None
        ),
    }
    # Testing that was still running ends with the complaint, so no pause outlives it.
    complaint.pauses.filter(ended_on__isnull=True).update(ended_on=on)
    complaint = step(
        complaint,
        by=by,
        action="concluded",
        sources=step_sources("conclude"),
        target=S.CONCLUDED,
        version=version,
        note=note,
        **fields,
        **_clock_fields("", None),
    )
    notifications.tell_concluded(complaint)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, by: User, version: int, reason: str) -> Complaint:
    """Reopening is a recorded step with its reason; the earlier conclusion stays in the
    timeline."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening.")})
    return step(
        complaint,
        by=by,
        action="reopened",
        sources=step_sources("reopen"),
        target=S.MEDIATING,
        version=version,
        note=reason,
        outcome="",
        concluded_on=None,
        satisfaction="",
        satisfaction_at=None,
        **_back_to_mediation_fields(complaint),
    )
