"""What the supervision app's audit actions are called (found by lyushunkou.audit_labels)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "supervision.proposals_generated": _("Sampling proposals generated"),
    "supervision.proposals_exported": _("Sampling proposals exported"),
    # supervision.proposal_<state>: services._decide records the state decided.
    "supervision.proposal_accepted": _("Sampling proposal accepted"),
    "supervision.proposal_dismissed": _("Sampling proposal dismissed"),
    "supervision.proposal_batch_linked": _("Batch linked to a sampling proposal"),
    "supervision.plan_drawn": _("Inspection plan drawn"),
    "supervision.plan_published": _("Inspection plan published"),
    "supervision.plan_discarded": _("Inspection plan discarded"),
    "supervision.plan_exported": _("Inspection plan exported"),
    "supervision.warning_raised": _("Early warning raised"),
    "supervision.warning_acknowledged": _("Early warning acknowledged"),
    "supervision.warning_closed": _("Early warning closed"),
    "supervision.identity_match_found": _("Identity match found"),
    # supervision.identity_match_<state>: services_identity._decide records the state decided.
    "supervision.identity_match_confirmed": _("Identity match confirmed"),
    "supervision.identity_match_cleared": _("Identity match cleared"),
    "supervision.previous_code_recorded": _("Previous credit code recorded"),
}
