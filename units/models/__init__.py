"""The register of market operators (经营主体) and the demonstration programme around them.

The package: ``choices`` (industries, entity kinds, statuses), ``blocks`` (demonstration blocks
and industries), ``unit``, ``commitments`` (commitments and the 12315 service station),
``applications`` (applications, their events, certificate numbers) and ``evidence``; claims,
the public notice and the standard live in ``units.models_claims``, ``units.models_notice`` and
``units.models_standard``. Django finds the models through the imports below, in the order they
were declared when this was one module; ``from units.models import X`` works as before.
"""

from __future__ import annotations

# Declaration order, not alphabetical: it is the order Django registers the models in.
# isort: off
from units.models.choices import (
    ApplicationStatus,
    BusinessStatus,
    DemonstrationStatus,
    EntityKind,
    Industry,
)
from units.models.blocks import DemonstrationBlock, DemonstrationIndustry
from units.models.unit import Unit, new_public_id
from units.models.commitments import Commitment, ServiceStation
from units.models.applications import (
    ApplicationEvent,
    CertificateCounter,
    DemonstrationApplication,
)
from units.models.evidence import EvidenceFile, evidence_path

# Claims and contact changes live in their own module; imported here so Django registers them.
from units.models_claims import ClaimCode, ContactChange, UnitClaim

# The public notice (公示) after approval and the objections lodged against it.
from units.models_notice import Objection, PublicNotice

# The demonstration-unit standard, stored as data (DESIGN.md §5).
from units.models_standard import StandardCriterion

# isort: on

__all__ = [
    "ApplicationEvent",
    "ApplicationStatus",
    "BusinessStatus",
    "CertificateCounter",
    "ClaimCode",
    "Commitment",
    "ContactChange",
    "DemonstrationApplication",
    "DemonstrationBlock",
    "DemonstrationIndustry",
    "DemonstrationStatus",
    "EntityKind",
    "EvidenceFile",
    "Industry",
    "Objection",
    "PublicNotice",
    "ServiceStation",
    "StandardCriterion",
    "Unit",
    "UnitClaim",
    "evidence_path",
    "new_public_id",
]
