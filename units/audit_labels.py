"""What the units app's audit actions are called (lyushunkou.audit_labels finds this module)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "unit.created": _("Unit registered"),
    "unit.imported": _("Units imported"),
    "unit.exported": _("Units exported"),
    "unit.profile_updated": _("Profile changed"),
    "unit.public_contact_changed": _("Public contact changed"),
    "unit.claimed": _("Claimed by an operator"),
    "unit.claimed_with_code": _("Claimed with a claim code"),
    "unit.claim_requested": _("Claim requested"),
    "unit.claim_approved": _("Claim approved"),
    "unit.claim_rejected": _("Claim rejected"),
    "unit.claim_code_issued": _("Claim code issued"),
    "unit.claim_licence_viewed": _("Claim's business licence viewed"),
    "unit.verification_requested": _("Licence check requested"),
    "unit.commitment_created": _("Commitment recorded"),
    "unit.commitment_updated": _("Commitment changed"),
    "unit.commitment_verified": _("Commitment verified"),
    "unit.commitment_verification_cleared": _("Commitment verification withdrawn"),
    "unit.station_registered": _("12315 station registered"),
    "unit.station_updated": _("12315 station changed"),
    "unit.station_verified": _("12315 station verified"),
    "unit.evidence_uploaded": _("Evidence uploaded"),
    "unit.block_joined": _("Joined a demonstration block"),
    "unit.block_left": _("Left a demonstration block"),
    "unit.demonstration_notice": _("In public notice for demonstration status"),
    "unit.demonstration_approved": _("Demonstration status granted"),
    "unit.demonstration_warning": _("Warning issued"),
    "unit.demonstration_rectified": _("Warning lifted after rectification"),
    "unit.demonstration_revoked": _("Demonstration status revoked"),
    "unit.demonstration_warning_updated": _("Warning reasons updated"),
    "unit.rectification_overdue": _("Rectification deadline passed"),
    "unit.renewal_invited": _("Invited to apply for re-evaluation"),
    "demo.units_seeded": _("Demonstration units created"),
    # application.<status>: units.services._transition records the status moved to.
    "application.created": _("Application created"),
    "application.updated": _("Application changed"),
    "application.draft": _("Returned for changes"),
    "application.submitted": _("Application submitted"),
    "application.under_review": _("Review started"),
    "application.onsite_check": _("Sent for on-site check"),
    "application.notice": _("Approved, into public notice"),
    "application.approved": _("Application approved"),
    "application.rejected": _("Application rejected"),
    "application.notice_opened": _("Public notice opened"),
    "application.objection_lodged": _("Objection lodged"),
    "application.objection_throttled": _("Objection refused: too many attempts"),
    "application.objection_upheld": _("Objection upheld"),
    "application.objection_dismissed": _("Objection dismissed"),
    "application.objection_unmask": _("Objector's contact details shown"),
    "application.certificate_downloaded": _("Certificate downloaded"),
}
