"""Reads for the staff pages, materialised before rendering (STYLE.md habit 8).

Every function starts from an object or queryset the access helpers already scoped to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from lyushunkou.audit_labels import action_label
from lyushunkou.models import AuditEvent, User
from units.access import claims_for_user
from units.models import (
    Commitment,
    DemonstrationApplication,
    EvidenceFile,
    ServiceStation,
    Unit,
)
from units.models_claims import ClaimCode, ContactChange, UnitClaim
from units.services_status import status_steps

HISTORY_LIMIT = 100
UNIT_TYPE = "units.unit"
APPLICATION_TYPE = "units.demonstrationapplication"


@dataclass
class HistoryEntry:
    at: Any
    username: str
    action: str
    label: Any
    object_repr: str
    outcome: str
    reason: str


@dataclass
class UnitDetail:
    unit: Unit
    commitments: list[Commitment]
    station: ServiceStation | None
    applications: list[DemonstrationApplication]
    evidence: list[EvidenceFile]
    history: list[HistoryEntry]
    status_actions: list[str] = field(default_factory=list)


def unit_history(
    unit: Unit, application_ids: list[int] | None = None, *, limit: int = HISTORY_LIMIT
) -> list[HistoryEntry]:
    """The unit's audit events and its applications', newest first."""
    if application_ids is None:
        application_ids = list(
            DemonstrationApplication.objects.filter(unit=unit).values_list("pk", flat=True)
        )
    condition = Q(object_type=UNIT_TYPE, object_id=str(unit.pk))
    if application_ids:
        condition |= Q(
            object_type=APPLICATION_TYPE, object_id__in=[str(pk) for pk in application_ids]
        )
    events = AuditEvent.objects.filter(condition).order_by("-created_at", "-id")[:limit]
    return [
        HistoryEntry(
            at=event.created_at,
            username=event.username,
            action=event.action,
            label=action_label(event.action),
            object_repr=event.object_repr,
            outcome=event.outcome,
            reason=str(event.detail.get("reason") or event.detail.get("note") or "")
            if isinstance(event.detail, dict)
            else "",
        )
        for event in events
    ]


def unit_detail(unit: Unit) -> UnitDetail:
    """Everything the staff detail page shows about one (already access-checked) unit."""
    applications = list(DemonstrationApplication.objects.filter(unit=unit).order_by("-year", "-id"))
    return UnitDetail(
        unit=unit,
        commitments=list(Commitment.objects.filter(unit=unit).order_by("kind")),
        station=ServiceStation.objects.filter(unit=unit).first(),
        applications=applications,
        evidence=list(
            EvidenceFile.objects.filter(unit=unit).select_related("commitment", "application")
        ),
        history=unit_history(unit, [application.pk for application in applications]),
        status_actions=status_steps(unit),
    )


def claim_list(user: User) -> QuerySet[UnitClaim]:
    """The user's claims to review: pending first, then the newest."""
    pending_first = Case(
        When(status=UnitClaim.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        claims_for_user(user)
        .select_related("unit__owner", "decided_by")
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-created_at", "-id")
    )


@dataclass(frozen=True)
class UnitOwners:
    """Who acts for the unit, and how that came about: for the staff detail page."""

    claims: list[UnitClaim]
    codes: list[ClaimCode]
    contact_changes: list[ContactChange]


def unit_owners(unit: Unit, *, limit: int = 10) -> UnitOwners:
    return UnitOwners(
        claims=list(
            UnitClaim.objects.filter(unit=unit)
            .select_related("claimant", "decided_by")
            .order_by("-created_at", "-id")[:limit]
        ),
        codes=list(
            ClaimCode.objects.filter(unit=unit)
            .select_related("issued_by", "used_by")
            .order_by("-issued_at", "-id")[:limit]
        ),
        contact_changes=list(
            ContactChange.objects.filter(unit=unit)
            .select_related("by")
            .order_by("-at", "-id")[:limit]
        ),
    )
