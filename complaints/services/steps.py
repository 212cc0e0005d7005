"""What every step shares: the claim of a transition (``step``) with its timeline and audit
events (``record_event``), the refusal when the complaint has moved on (``step_refused``, a
``lyushunkou.claims.StaleObject``), and the fields of the running legal clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import (
    Clock,
    Complaint,
    ComplaintEvent,
    Status,
)
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import User
from lyushunkou.workdays import Deadline

S = Status


def step_refused(message: str | None = None) -> StaleObject:
    """The complaint is not in a state that allows this step (or someone else just acted)."""
    return StaleObject(
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
    if target:
        fields["status"] = target
    claim(
        Complaint.objects.filter(pk=complaint.pk),
        sources=sources,
        version=version,
        refusal=step_refused(),
        updated_at=timezone.now(),
        **fields,
    )
    source = complaint.status if target else ""
    complaint.refresh_from_db()
    record_event(complaint, action, by, source=source, target=target, note=note)
    return complaint


def _back_to_mediation_fields(complaint: Complaint) -> dict[str, Any]:
    due = Deadline(complaint.mediation_due, False) if complaint.mediation_due else None
    return _clock_fields(Clock.MEDIATION, due)


def _not_before_receipt(complaint: Complaint, on: dt.date) -> None:
    if on < timezone.localdate(complaint.received_at):
        raise ValidationError({"on": _("This date is before the complaint was received.")})
