"""Every change to units, commitments, stations and demonstration applications (STYLE.md habit 2).

Each service is keyword-only and atomic, records an audit event, and claims state transitions with
a conditional UPDATE on (status, version), so two people acting at once cannot both win and a form
based on an older version is refused instead of overwriting someone else's change.

The package: ``profile`` (units in the register, their profiles, an operator's change to a
demonstration unit's public details), ``declarations`` (commitments, the 12315 service station,
evidence files) and ``applications`` (demonstration applications through approval; the notice and
certificate are ``units.services_notice``). The warning, rectification and revocation steps live in
``units.services_status`` and are named here too. Callers use the names below
(``services.application_submit``); ``_transition`` is shared with ``units.services_notice``.
"""

from __future__ import annotations

from lyushunkou.claims import StaleObject
from units.services.applications import (
    CERTIFICATE_VALIDITY_DAYS,
    REVIEW_STEPS,
    application_approve,
    application_create,
    application_reject,
    application_return,
    application_start_review,
    application_steps,
    application_submit,
    application_to_onsite_check,
    application_update,
    next_certificate_number,
)
from units.services.applications import _transition as _transition
from units.services.declarations import (
    COMMITMENT_DECLARED_FIELDS,
    commitment_save,
    commitment_verify,
    evidence_add,
    station_save,
)
from units.services.profile import (
    PUBLIC_STATION_FIELDS,
    PUBLIC_UNIT_FIELDS,
    UNIT_PROFILE_FIELDS,
    record_contact_change,
    unit_create,
    unit_update_profile,
)
from units.services_status import unit_rectified, unit_revoke, unit_warn

__all__ = [
    "CERTIFICATE_VALIDITY_DAYS",
    "COMMITMENT_DECLARED_FIELDS",
    "PUBLIC_STATION_FIELDS",
    "PUBLIC_UNIT_FIELDS",
    "REVIEW_STEPS",
    "UNIT_PROFILE_FIELDS",
    "StaleObject",
    "application_approve",
    "application_create",
    "application_reject",
    "application_return",
    "application_start_review",
    "application_steps",
    "application_submit",
    "application_to_onsite_check",
    "application_update",
    "commitment_save",
    "commitment_verify",
    "evidence_add",
    "next_certificate_number",
    "record_contact_change",
    "station_save",
    "unit_create",
    "unit_rectified",
    "unit_revoke",
    "unit_update_profile",
    "unit_warn",
]
