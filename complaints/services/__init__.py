"""Every step of a complaint or report (STYLE.md habit 2).

Steps are keyword-only and atomic; each claims its transition with a conditional UPDATE on
(status, version), so a double-submitted form or two staff acting at once produce one step, and a
step out of order (concluding before accepting, an operator answering after escalation) is refused.
Each writes a timeline event and an audit event.

The package: ``steps`` (the claim every step makes, ``step_refused``, ``record_event``),
``intake``, ``accepting``, ``odr``, ``mediation`` (through conclusion and reopening) and
``reports`` (举报). Callers use the names below (``services.complaint_accept``).
"""

from __future__ import annotations

from complaints.services.accepting import complaint_accept, complaint_refuse
from complaints.services.intake import complaint_register, link_unit
from complaints.services.mediation import (
    complaint_conclude,
    complaint_pause,
    complaint_record_mediation,
    complaint_reopen,
    complaint_resume,
)
from complaints.services.odr import (
    complaint_forward_odr,
    complaint_odr_respond,
    escalate_overdue_odr,
)
from complaints.services.reports import report_decide, report_verify
from complaints.services.steps import (
    STEPS,
    complaint_steps,
    record_event,
    require_step,
    step,
    step_refused,
    step_sources,
)
from lyushunkou.claims import StaleObject

__all__ = [
    "STEPS",
    "StaleObject",
    "complaint_accept",
    "complaint_conclude",
    "complaint_forward_odr",
    "complaint_odr_respond",
    "complaint_pause",
    "complaint_record_mediation",
    "complaint_refuse",
    "complaint_register",
    "complaint_reopen",
    "complaint_resume",
    "complaint_steps",
    "escalate_overdue_odr",
    "link_unit",
    "record_event",
    "report_decide",
    "report_verify",
    "require_step",
    "step",
    "step_refused",
    "step_sources",
]
