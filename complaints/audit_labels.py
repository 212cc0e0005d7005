"""What the complaints app's audit actions are called (lyushunkou.audit_labels finds this module).

``complaint.<action>`` is recorded with each timeline event (complaints.services), so those take
the timeline's own labels.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from complaints.selectors import ACTION_LABELS

LABELS: dict[str, Any] = {
    **{f"complaint.{action}": label for action, label in ACTION_LABELS.items()},
    "complaint.imported": _("Complaints imported"),
    "complaint.exported": _("Complaints exported"),
    "complaint.unit_linked": _("Complaint linked to a unit"),
    "complaint.unmask": _("Personal data shown"),
    "complaint.anonymised": _("Personal data anonymised"),
    "complaints.imported": _("Complaints imported"),
    "complaints.anonymised": _("Concluded complaints anonymised"),
    "callback.throttled": _("Callback refused: too many attempts"),
    "survey.throttled": _("Survey refused: too many attempts"),
    "survey.recorded": _("Survey answer recorded"),
    "survey.exported": _("Survey answers exported"),
    "demo.complaints_seeded": _("Demonstration complaints created"),
}
