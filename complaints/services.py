"""Every step of a complaint or report (STYLE.md habit 2).

Steps are keyword-only and atomic; each claims its transition with a conditional UPDATE on
(status, version), so a double-submitted form or two staff acting at once produce one step, and a
step out of order (concluding before accepting, an operator answering after escalation) is refused.
Each writes a timeline event and an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks, notifications
from complaints.models import (
    Clock,
    Complaint,
    ComplaintEvent,
    FaultFinding,
    Kind,
    MediationPause,
    MediationRecord,
    OdrResponse,
    Outcome,
    Status,
)
from lyushunkou import audit, crypto
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Role, User
from lyushunkou.workdays import Deadline
from units.models import Unit

S = Status


class StepRefused(ValidationError):
    """The complaint is not in a state that allows this step (or someone else just acted)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "This step is not possible now: the complaint has moved on (perhaps someone else "
                "acted a moment ago). Nothing was changed; reload the page to see where it stands."
            ),
            code="step_refused",
        )


def record_event(
    complaint: Complaint,
    action: str,
    by: User | None,
    *,
    source: str = "",
    note: str = "",
    target: str = "",
) -> None:
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        from_status=source,
        to_status=target,
        actor=by,
        note=note,
    )
    audit.record(
        f"complaint.{action}",
        actor=by,
        username="" if by else "system",
        obj=complaint,
        from_status=source,
        to_status=target,
    )


def _clock_fields(clock: str, due: Deadline | None) -> dict[str, Any]:
    return {
        "current_clock": clock if due else "",
        "current_due": due.date if due else None,
        "current_due_provisional": bool(due and due.provisional),
    }


def step(
    complaint: Complaint,
    *,
    by: User | None,
    action: str,
    sources: set[str] | None,
    version: int | None,
    target: str = "",
    note: str = "",
    **fields: Any,
) -> Complaint:
    """Claim one step with a conditional UPDATE on (status, version) that also writes ``fields``:
    exactly one row, or nobody acts. Then its timeline and audit events. With a ``target`` the
    step moves the complaint there; without one it keeps the status (a record, a pause, a
    callback). Without a version (the system, imports, the demo) only the status is checked."""
    claimed = Complaint.objects.filter(pk=complaint.pk)
    if sources is not None:
        claimed = claimed.filter(status__in=sources)
    if version is not None:
        claimed = claimed.filter(version=version)
    if target:
        fields["status"] = target
    if claimed.update(version=F("version") + 1, updated_at=timezone.now(), **fields) != 1:
        raise StepRefused()
    source = complaint.status if target else ""
    complaint.refresh_from_db()
    record_event(complaint, action, by, source=source, target=target, note=note)
    return complaint


# --- Intake ------------------------------------------------------------------------------------


def link_unit(credit_code: str) -> Unit | None:
    code = normalize_credit_code(credit_code)
    return Unit.objects.filter(credit_code=code).first() if code else None


@transaction.atomic
def complaint_register(*, by: User | None, data: dict[str, Any]) -> Complaint:
    """Register a complaint or report as received; its first clock starts from the receipt date."""
    id_number = (data.pop("complainant_id_number", "") or "").strip()
    complaint = Complaint(**data)
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


# --- Complaints: accept or refuse, ODR, mediation, conclusion ---------------------------------


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
        sources={S.REGISTERED},
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
        sources={S.REGISTERED},
        target=S.REFUSED,
        version=version,
        note=note,
        refusal_ground=ground,
        outcome=Outcome.REFUSED,
        conclusion_note=note,
        concluded_on=on,
        **_clock_fields("", None),
    )


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
        sources={S.ACCEPTED},
        target=S.ODR,
        version=version,
        odr_forwarded_on=on,
        odr_due=due.date,
        **_clock_fields(Clock.ODR, due),
    )
    notifications.tell_forwarded(complaint)
    return complaint


def _back_to_mediation_fields(complaint: Complaint) -> dict[str, Any]:
    due = Deadline(complaint.mediation_due, False) if complaint.mediation_due else None
    return _clock_fields(Clock.MEDIATION, due)


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
        raise StepRefused(
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
            except StepRefused:
                continue  # the operator answered meanwhile
            escalated += 1
            notifications.tell_escalated(complaint)
    return escalated


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
        sources={S.ACCEPTED, S.MEDIATING},
        version=version,
        note=reason,
        **_clock_fields("", None),
    )
    if complaint.pauses.filter(ended_on__isnull=True).exists():
        raise StepRefused()
    return MediationPause.objects.create(complaint=complaint, started_on=on, reason=reason)


@transaction.atomic
def complaint_resume(
    *, complaint: Complaint, by: User, on: dt.date, version: int | None = None
) -> Complaint:
    pause = complaint.pauses.select_for_update().filter(ended_on__isnull=True).first()
    if pause is None or on < pause.started_on:
        raise StepRefused()
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    spans = [(p.started_on, p.ended_on) for p in complaint.pauses.all() if p.ended_on]
    assert complaint.accepted_on is not None
    due = clocks.mediation_due(complaint.accepted_on, spans)
    return step(
        complaint,
        by=by,
        action="resumed",
        sources={S.ACCEPTED, S.MEDIATING},  # as for a pause: never restart a closed clock
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
        sources={S.ACCEPTED, S.ODR, S.MEDIATING},
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
        sources={S.CONCLUDED},
        target=S.MEDIATING,
        version=version,
        note=reason,
        outcome="",
        concluded_on=None,
        satisfaction="",
        satisfaction_at=None,
        **_back_to_mediation_fields(complaint),
    )


# --- Reports (举报) -------------------------------------------------------------------------


@transaction.atomic
def report_verify(*, complaint: Complaint, by: User, version: int) -> Complaint:
    if complaint.kind != Kind.REPORT:
        raise StepRefused()
    return step(
        complaint,
        by=by,
        action="verifying",
        sources={S.REGISTERED},
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
        raise StepRefused()
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    return step(
        complaint,
        by=by,
        action="case_opened" if open_case else "case_not_opened",
        sources={S.REGISTERED, S.VERIFYING},
        target=S.CASE_OPENED if open_case else S.NOT_OPENED,
        version=version,
        note=reason,
        concluded_on=on or timezone.localdate(),
        conclusion_note=reason,
        **_clock_fields("", None),
    )


def _not_before_receipt(complaint: Complaint, on: dt.date) -> None:
    if on < timezone.localdate(complaint.received_at):
        raise ValidationError({"on": _("This date is before the complaint was received.")})
