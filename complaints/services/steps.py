"""What every step shares: the claim of a transition (``step``) with its timeline and audit
events (``record_event``), the refusal when the complaint has moved on (``step_refused``, a
``lyushunkou.claims.StaleObject``), and the fields of the running legal clock.

Which steps a complaint offers is stated here once (``STEPS``): the states a step starts from are
both what the page offers and what the step's service claims. Views ask ``complaint_steps`` for
the steps to show and ``require_step`` before running one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import (
    Clock,
    Complaint,
    ComplaintEvent,
    Kind,
    Status,
)
from complaints.selectors import has_running_pause
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Role, User
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


def _has_operator(complaint: Complaint) -> bool:
    """ODR needs an operator account on the unit to answer."""
    return complaint.unit is not None and complaint.unit.owner_id is not None


@dataclass(frozen=True)
class StepRule:
    """When a step of the complaint page is available: the kind of record and the states it
    starts from (``None``: any), whether the mediation clock must be running (``paused=False``) or
    stopped (``paused=True``), and any further ``condition`` on the complaint."""

    kind: str | None
    sources: frozenset[str] | None
    paused: bool | None = None
    condition: Callable[[Complaint], bool] | None = None

    def allows(self, complaint: Complaint, paused: bool) -> bool:
        return (
            (self.kind is None or complaint.kind == self.kind)
            and (self.sources is None or complaint.status in self.sources)
            and (self.paused is None or paused == self.paused)
            and (self.condition is None or self.condition(complaint))
        )


_C, _R = Kind.COMPLAINT, Kind.REPORT
# In the order the complaint page shows them.
STEPS: dict[str, StepRule] = {
    "accept": StepRule(_C, frozenset({S.REGISTERED})),
    "refuse": StepRule(_C, frozenset({S.REGISTERED})),
    "forward": StepRule(_C, frozenset({S.ACCEPTED}), condition=_has_operator),
    "mediation": StepRule(_C, frozenset({S.ACCEPTED, S.MEDIATING})),
    "pause": StepRule(_C, frozenset({S.ACCEPTED, S.MEDIATING}), paused=False),
    # Only a running pause can be ended; its service claims the states a pause starts from.
    "resume": StepRule(None, None, paused=True),
    "conclude": StepRule(_C, frozenset({S.ACCEPTED, S.ODR, S.MEDIATING})),
    "reopen": StepRule(_C, frozenset({S.CONCLUDED})),
    "verify": StepRule(_R, frozenset({S.REGISTERED})),
    "decide": StepRule(_R, frozenset({S.REGISTERED, S.VERIFYING})),
    "satisfaction": StepRule(_C, frozenset({S.CONCLUDED})),
    "callback_link": StepRule(_C, frozenset({S.CONCLUDED})),
}


def step_sources(name: str) -> set[str]:
    """The states step ``name`` starts from: what its service claims."""
    sources = STEPS[name].sources
    assert sources is not None, f"step {name!r} is not claimed on its state"
    return set(sources)


def complaint_steps(complaint: Complaint, user: User, *, paused: bool | None = None) -> list[str]:
    """The steps ``user`` may take on ``complaint`` now, in page order. Only district staff act
    on complaints. ``paused`` (whether a pause of the mediation clock is running) is looked up
    unless the caller already knows it."""
    if user.role != Role.STAFF:
        return []
    if paused is None:
        paused = has_running_pause(complaint)
    return [name for name, rule in STEPS.items() if rule.allows(complaint, paused)]


def require_step(complaint: Complaint, name: str, user: User) -> None:
    """Raise ``step_refused()`` unless ``user`` may take step ``name`` on ``complaint`` now."""
    if name not in complaint_steps(complaint, user):
        raise step_refused()


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
