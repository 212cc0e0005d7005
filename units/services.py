"""Every change to units, commitments, stations and demonstration applications (STYLE.md habit 2).

Each service is keyword-only and atomic, records an audit event, and claims state transitions with
a conditional UPDATE on (status, version), so two people acting at once cannot both win and a form
based on an older version is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.models import Role, User
from units.credit_codes import entity_kind_for, normalize_credit_code
from units.models import (
    ApplicationEvent,
    ApplicationStatus,
    CertificateCounter,
    Commitment,
    DemonstrationApplication,
    DemonstrationStatus,
    EvidenceFile,
    ServiceStation,
    Unit,
    UnitClaim,
)
from units.uploads import check_upload

S = ApplicationStatus
CERTIFICATE_VALIDITY_DAYS = 365


class StaleObject(ValidationError):
    """Someone else changed the object since the form was loaded; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record while you were editing it. Nothing was saved: "
                "reload the page to see the current version and try again."
            ),
            code="stale",
        )


# --- Units -------------------------------------------------------------------------------------

UNIT_PROFILE_FIELDS = [
    "name",
    "industry",
    "address",
    "jurisdiction",
    "latitude",
    "longitude",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "business_status",
]


@transaction.atomic
def unit_create(*, by: User, data: dict[str, Any], owner: User | None = None) -> Unit:
    code = normalize_credit_code(data["credit_code"])
    unit = Unit(
        credit_code=code,
        kind=entity_kind_for(code),
        owner=owner,
        **{field: data[field] for field in UNIT_PROFILE_FIELDS if field in data},
    )
    unit.full_clean()
    unit.save()
    audit.record("unit.created", actor=by, obj=unit, credit_code=code)
    return unit


@transaction.atomic
def unit_update_profile(*, unit: Unit, by: User, data: dict[str, Any], version: int) -> Unit:
    """Change the profile fields; ``version`` is what the editor's form was based on."""
    changes = {field: data[field] for field in UNIT_PROFILE_FIELDS if field in data}
    if by.role == Role.OPERATOR:
        changes.pop("jurisdiction", None)  # moving between streets is staff's decision
    candidate = Unit.objects.get(pk=unit.pk)
    for field, value in changes.items():
        setattr(candidate, field, value)
    candidate.full_clean()
    updated = Unit.objects.filter(pk=unit.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise StaleObject()
    audit.record("unit.profile_updated", actor=by, obj=candidate, fields=sorted(changes))
    unit.refresh_from_db()
    return unit


# --- Commitments, stations and evidence --------------------------------------------------------


@transaction.atomic
def commitment_save(*, unit: Unit, by: User, kind: str, data: dict[str, Any]) -> Commitment:
    commitment = Commitment.objects.select_for_update().filter(unit=unit, kind=kind).first()
    created = commitment is None
    if commitment is None:
        commitment = Commitment(unit=unit, kind=kind)
    for field in ("content", "return_scope", "return_days", "active"):
        if field in data:
            setattr(commitment, field, data[field])
    if kind != Commitment.Kind.NO_REASON_RETURN:
        commitment.return_scope, commitment.return_days = "", None
    elif not commitment.return_days:
        raise ValidationError(
            {"return_days": _("A return-without-reason commitment states how many days.")}
        )
    commitment.full_clean()
    commitment.save()
    audit.record(
        "unit.commitment_created" if created else "unit.commitment_updated",
        actor=by,
        obj=unit,
        kind=kind,
        active=commitment.active,
    )
    return commitment


@transaction.atomic
def station_save(*, unit: Unit, by: User, data: dict[str, Any]) -> ServiceStation:
    station = ServiceStation.objects.select_for_update().filter(unit=unit).first()
    created = station is None
    if station is None:
        station = ServiceStation(unit=unit)
    for field in ("contact_person", "phone", "hours", "location", "active"):
        if field in data:
            setattr(station, field, data[field])
    station.full_clean()
    station.save()
    audit.record(
        "unit.station_registered" if created else "unit.station_updated", actor=by, obj=unit
    )
    return station


@transaction.atomic
def evidence_add(
    *,
    unit: Unit,
    by: User,
    upload: Any,
    commitment: Commitment | None = None,
    application: DemonstrationApplication | None = None,
) -> EvidenceFile:
    content_type = check_upload(upload)
    evidence = EvidenceFile(
        unit=unit,
        commitment=commitment,
        application=application,
        original_name=str(upload.name)[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    evidence.file.save(upload.name, upload, save=False)
    try:
        evidence.save()
        audit.record(
            "unit.evidence_uploaded",
            actor=by,
            obj=unit,
            file=evidence.original_name,
            size=evidence.size,
        )
    except Exception:
        evidence.file.delete(save=False)  # no orphan file when the row is not written
        raise
    return evidence


# --- Operator registration and claims ----------------------------------------------------------


@transaction.atomic
def operator_register(
    *, account: dict[str, Any], unit_data: dict[str, Any], request: Any = None
) -> tuple[User, Unit | None, UnitClaim | None]:
    """Create an operator account and attach the unit with the given credit code.

    A new code creates the unit, owned by the new account. An existing unit with no operator is
    claimed at once. A unit that already has an operator is never taken over silently: a claim
    goes to staff of its jurisdiction for review.
    """
    user = User(
        username=account["username"],
        full_name=account.get("full_name", ""),
        phone=account.get("phone", ""),
        email=account.get("email", ""),
        role=Role.OPERATOR,
    )
    user.set_password(account["password"])
    user.save()
    audit.record("auth.registered", request=request, actor=user)

    code = normalize_credit_code(unit_data["credit_code"])
    existing = Unit.objects.select_for_update().filter(credit_code=code).first()
    if existing is None:
        unit = unit_create(by=user, data={**unit_data, "credit_code": code}, owner=user)
        return user, unit, None
    claimed = Unit.objects.filter(pk=existing.pk, owner__isnull=True).update(
        owner=user, version=F("version") + 1
    )
    if claimed == 1:
        existing.refresh_from_db()
        audit.record("unit.claimed", request=request, actor=user, obj=existing)
        return user, existing, None
    claim = UnitClaim.objects.create(unit=existing, claimant=user)
    audit.record("unit.claim_requested", request=request, actor=user, obj=existing)
    return user, None, claim


@transaction.atomic
def claim_decide(*, claim: UnitClaim, by: User, approve: bool, note: str = "") -> UnitClaim:
    status = UnitClaim.Status.APPROVED if approve else UnitClaim.Status.REJECTED
    decided = UnitClaim.objects.filter(pk=claim.pk, status=UnitClaim.Status.PENDING).update(
        status=status, note=note, decided_by=by, decided_at=timezone.now()
    )
    if decided != 1:
        raise StaleObject()
    if approve:
        Unit.objects.filter(pk=claim.unit_id).update(
            owner=claim.claimant_id, version=F("version") + 1
        )
    claim.refresh_from_db()
    audit.record(
        "unit.claim_approved" if approve else "unit.claim_rejected",
        actor=by,
        obj=claim.unit,
        claimant=claim.claimant.username,
        note=note,
    )
    return claim


# --- Demonstration applications ----------------------------------------------------------------


@transaction.atomic
def application_create(*, unit: Unit, by: User, data: dict[str, Any]) -> DemonstrationApplication:
    application = DemonstrationApplication(
        unit=unit,
        year=data["year"],
        statement=data.get("statement", ""),
        commitments_confirmed=bool(data.get("commitments_confirmed")),
        created_by=by,
    )
    if DemonstrationApplication.objects.filter(unit=unit, year=application.year).exclude(
        status=S.REJECTED
    ):
        raise ValidationError(
            {"year": _("This unit already has an application for %(year)s.") % data}
        )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(application=application, to_status=S.DRAFT, actor=by)
    audit.record("application.created", actor=by, obj=application)
    return application


@transaction.atomic
def application_update(
    *, application: DemonstrationApplication, by: User, data: dict[str, Any], version: int
) -> DemonstrationApplication:
    changes = {
        "statement": data.get("statement", application.statement),
        "commitments_confirmed": bool(data.get("commitments_confirmed")),
    }
    updated = DemonstrationApplication.objects.filter(
        pk=application.pk, version=version, status=S.DRAFT
    ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if updated != 1:
        raise StaleObject()
    application.refresh_from_db()
    audit.record("application.updated", actor=by, obj=application)
    return application


def _transition(
    application: DemonstrationApplication,
    *,
    by: User,
    sources: set[str],
    target: str,
    version: int | None,
    reason: str = "",
    **fields: Any,
) -> DemonstrationApplication:
    """Claim one transition with a conditional UPDATE: exactly one row or nobody wins."""
    claim = DemonstrationApplication.objects.filter(pk=application.pk, status__in=sources)
    if version is not None:
        claim = claim.filter(version=version)
    updated = claim.update(
        status=target, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise StaleObject()
    source = application.status
    application.refresh_from_db()
    ApplicationEvent.objects.create(
        application=application, from_status=source, to_status=target, actor=by, reason=reason
    )
    audit.record(
        f"application.{target}",
        actor=by,
        obj=application,
        from_status=source,
        reason=reason,
    )
    return application


@transaction.atomic
def application_submit(
    *, application: DemonstrationApplication, by: User, version: int
) -> DemonstrationApplication:
    errors = {}
    if not application.commitments_confirmed:
        errors["commitments_confirmed"] = _("Confirm the commitments before submitting.")
    if not application.statement.strip():
        errors["statement"] = _("Describe how the unit meets the Five Guarantees.")
    if not application.unit.commitments.filter(active=True).exists():
        errors["__all__"] = _("Record at least one self-discipline commitment before applying.")
    if errors:
        raise ValidationError(errors)
    return _transition(
        application,
        by=by,
        sources={S.DRAFT},
        target=S.SUBMITTED,
        version=version,
        submitted_at=timezone.now(),
        staff_note="",
    )


@transaction.atomic
def application_start_review(
    *, application: DemonstrationApplication, by: User, version: int, note: str = ""
) -> DemonstrationApplication:
    return _transition(
        application,
        by=by,
        sources={S.SUBMITTED},
        target=S.UNDER_REVIEW,
        version=version,
        reason=note,
    )


@transaction.atomic
def application_to_onsite_check(
    *, application: DemonstrationApplication, by: User, version: int, note: str = ""
) -> DemonstrationApplication:
    return _transition(
        application,
        by=by,
        sources={S.UNDER_REVIEW},
        target=S.ONSITE_CHECK,
        version=version,
        reason=note,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the operator will see it.")})
    return reason


@transaction.atomic
def application_return(
    *, application: DemonstrationApplication, by: User, version: int, reason: str
) -> DemonstrationApplication:
    """Send back to the operator for changes (退回修改)."""
    reason = _require_reason(reason)
    return _transition(
        application,
        by=by,
        sources={S.SUBMITTED, S.UNDER_REVIEW, S.ONSITE_CHECK},
        target=S.DRAFT,
        version=version,
        reason=reason,
        staff_note=reason,
    )


@transaction.atomic
def application_reject(
    *, application: DemonstrationApplication, by: User, version: int, reason: str
) -> DemonstrationApplication:
    reason = _require_reason(reason)
    return _transition(
        application,
        by=by,
        sources={S.SUBMITTED, S.UNDER_REVIEW, S.ONSITE_CHECK},
        target=S.REJECTED,
        version=version,
        reason=reason,
        staff_note=reason,
        decided_at=timezone.now(),
    )


def next_certificate_number(year: int) -> str:
    """LSK-FXXF-2026-00001: sequential per year, under a row lock so numbers never repeat."""
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"LSK-FXXF-{year}-{counter.last:05d}"


@transaction.atomic
def application_approve(
    *,
    application: DemonstrationApplication,
    by: User,
    version: int,
    valid_from: dt.date | None = None,
    valid_days: int = CERTIFICATE_VALIDITY_DAYS,
    note: str = "",
) -> DemonstrationApplication:
    """Approve after the on-site check: issue the certificate and list the unit publicly."""
    valid_from = valid_from or timezone.localdate()
    valid_until = valid_from + dt.timedelta(days=valid_days - 1)
    # Claim the transition first: a loser must not consume a certificate number.
    application = _transition(
        application,
        by=by,
        sources={S.ONSITE_CHECK},
        target=S.APPROVED,
        version=version,
        reason=note,
        decided_at=timezone.now(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    number = next_certificate_number(application.year)
    DemonstrationApplication.objects.filter(pk=application.pk).update(certificate_no=number)
    application.certificate_no = number
    Unit.objects.filter(pk=application.unit_id).update(
        demonstration_status=DemonstrationStatus.APPROVED,
        certificate_no=number,
        certified_from=valid_from,
        certified_until=valid_until,
        status_reason="",
        version=F("version") + 1,
    )
    audit.record(
        "unit.demonstration_approved",
        actor=by,
        obj=application.unit,
        certificate_no=number,
        valid_until=valid_until.isoformat(),
    )
    return application


# --- Demonstration status after approval -------------------------------------------------------


def _unit_status(
    unit: Unit, *, by: User | None, sources: set[str], target: str, reason: str, action: str
) -> Unit:
    reason = _require_reason(reason)
    updated = Unit.objects.filter(pk=unit.pk, demonstration_status__in=sources).update(
        demonstration_status=target, status_reason=reason, version=F("version") + 1
    )
    if updated != 1:
        raise StaleObject()
    source = unit.demonstration_status
    unit.refresh_from_db()
    # ``by`` is None when the system acts (the scoring job): the event names it "system".
    audit.record(
        action,
        actor=by,
        username="" if by else "system",
        obj=unit,
        from_status=source,
        reason=reason,
    )
    return unit


@transaction.atomic
def unit_warn(*, unit: Unit, by: User | None, reason: str) -> Unit:
    """预警: the unit keeps its plaque, marked with a warning, until rectified or revoked.
    ``by`` is None when scoring puts the unit in warning after a grade below B or a veto."""
    return _unit_status(
        unit,
        by=by,
        sources={DemonstrationStatus.APPROVED},
        target=DemonstrationStatus.WARNING,
        reason=reason,
        action="unit.demonstration_warning",
    )


@transaction.atomic
def unit_rectified(*, unit: Unit, by: User | None, reason: str) -> Unit:
    return _unit_status(
        unit,
        by=by,
        sources={DemonstrationStatus.WARNING},
        target=DemonstrationStatus.APPROVED,
        reason=reason,
        action="unit.demonstration_rectified",
    )


@transaction.atomic
def unit_revoke(*, unit: Unit, by: User, reason: str) -> Unit:
    return _unit_status(
        unit,
        by=by,
        sources={DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING},
        target=DemonstrationStatus.REVOKED,
        reason=reason,
        action="unit.demonstration_revoked",
    )
