"""What the inspections app's audit actions are called (found by lyushunkou.audit_labels)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# inspection.<record>_<verb>: services_checks._action, for the three kinds of record staff keep.
_RECORDS = {
    "penalty": (_("Penalty recorded"), _("Penalty changed"), _("Penalty deleted")),
    "dishonestlisting": (
        _("Dishonest listing recorded"),
        _("Dishonest listing changed"),
        _("Dishonest listing deleted"),
    ),
    "safetyincident": (
        _("Safety incident recorded"),
        _("Safety incident changed"),
        _("Safety incident deleted"),
    ),
}

LABELS: dict[str, Any] = {
    "sampling.recorded": _("Sampling batch recorded"),
    "sampling.updated": _("Sampling batch changed"),
    "sampling.imported": _("Sampling batches imported"),
    "sampling.exported": _("Sampling batches exported"),
    "sampling.unit_linked": _("Sampled unit linked"),
    "sampling.notified": _("Result notified to the unit"),
    "sampling.retest_applied": _("Re-test applied for"),
    "sampling.retest_recorded": _("Re-test result recorded"),
    "sampling.disposal_added": _("Disposal recorded"),
    "inspection.check_recorded": _("On-site check recorded"),
    "inspection.finding_added": _("Finding recorded"),
    "inspection.finding_rectified": _("Rectification reported"),
    "inspection.finding_confirmed": _("Rectification confirmed"),
    "inspection.finding_returned": _("Rectification returned"),
    "demo.inspections_seeded": _("Demonstration inspections created"),
    **{
        f"inspection.{record}_{verb}": label
        for record, labels in _RECORDS.items()
        for verb, label in zip(("created", "updated", "deleted"), labels, strict=True)
    },
}
