"""Every change to units, commitments, stations and demonstration applications (STYLE.md habit 2).

Each service is keyword-only and atomic, records an audit event, and claims state transitions with
a conditional UPDATE on (status, version), so two people acting at once cannot both win and a form
based on an older version is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Role, User
from units.application_gates import gate_reasons
from units.credit_codes import entity_kind_for
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
)
from units.models_claims import ContactChange
from units.notify_applications import tell_application_moved
from units.search import name_bigrams
from units.services_common import StaleObject as StaleObject
from units.services_common import require_reason as _require_reason
from units.services_status import unit_follow_standard
from units.services_status import unit_rectified as unit_rectified
from units.services_status import unit_revoke as unit_revoke
from units.services_status import unit_warn as unit_warn
from units.standard import standard_check
from units.uploads import check_upload

S = ApplicationStatus
CERTIFICATE_VALIDITY_DAYS = 365
# The fields of what a unit declares in a commitment; changing any of them ends its verification.
COMMITMENT_DECLARED_FIELDS = ("content", "return_scope", "return_days", "active")


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
def unit_create(
    *, by: User, data: dict[str, Any], owner: User | None = None, verified: bool = True
) -> Unit:
    """A unit in the register. Staff's entries and imports are verified as written; a code first
    seen at self-registration waits for staff to confirm the licence (``verified=False``)."""
    code = normalize_credit_code(data["credit_code"])
    unit = Unit(
        credit_code=code,
        kind=entity_kind_for(code),
        owner=owner,
        **{field: data[field] for field in UNIT_PROFILE_FIELDS if field in data},
    )
    if not verified:
        unit.verified_at = None
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
    # An update() skips save(): the name search's pairs follow the name here.
    search = {"name_bigrams": name_bigrams(candidate.name)} if "name" in changes else {}
    updated = Unit.objects.filter(pk=unit.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes, **search
    )
    if updated != 1:
        raise StaleObject()
    audit.record("unit.profile_updated", actor=by, obj=candidate, fields=sorted(changes))
    record_contact_change(unit=unit, by=by, before=unit, after=candidate, fields=PUBLIC_UNIT_FIELDS)
    unit.refresh_from_db()
    return unit


# What the public plaque page shows of a unit and its station: an operator's change to these on a
# demonstration unit is kept for staff to see (the plaque is the programme's promise).
PUBLIC_UNIT_FIELDS = ("name", "address")
PUBLIC_STATION_FIELDS = ("contact_person", "phone", "hours", "location", "active")


def record_contact_change(
    *, unit: Unit, by: User, before: Any, after: Any, fields: tuple[str, ...]
) -> ContactChange | None:
    """Keep an operator's change to a demonstration unit's public details, and audit it."""
    if by.role != Role.OPERATOR or unit.demonstration_status == DemonstrationStatus.NONE:
        return None
    changes = {
        str(type(after)._meta.get_field(name).verbose_name): [
            getattr(before, name, None) if before is not None else None,
            getattr(after, name),
        ]
        for name in fields
        if before is None or getattr(before, name) != getattr(after, name)
    }
    if not changes:
        return None
    change = ContactChange.objects.create(unit=unit, by=by, changes=changes)
    audit.record("unit.public_contact_changed", actor=by, obj=unit, changes=changes)
    return change


# --- Commitments, stations and evidence --------------------------------------------------------


@transaction.atomic
def commitment_save(*, unit: Unit, by: User, kind: str, data: dict[str, Any]) -> Commitment:
    commitment = Commitment.objects.select_for_update().filter(unit=unit, kind=kind).first()
    created = commitment is None
    if commitment is None:
        commitment = Commitment(unit=unit, kind=kind)
    before = [getattr(commitment, field) for field in COMMITMENT_DECLARED_FIELDS]
    for field in ("content", "return_scope", "return_days", "active"):
        if field in data:
            setattr(commitment, field, data[field])
    if kind != Commitment.Kind.NO_REASON_RETURN:
        commitment.return_scope, commitment.return_days = "", None
    elif not commitment.return_days:
        raise ValidationError(
            {"return_days": _("A return-without-reason commitment states how many days.")}
        )
    # What staff verified is no longer what is declared: the verification lapses with the change.
    changed = before != [getattr(commitment, field) for field in COMMITMENT_DECLARED_FIELDS]
    cleared = changed and commitment.verified_at is not None
    if cleared:
        commitment.verified_at = commitment.verified_by = None
        commitment.verification_note = ""
    commitment.full_clean()
    commitment.save()
    audit.record(
        "unit.commitment_created" if created else "unit.commitment_updated",
        actor=by,
        obj=unit,
        kind=kind,
        active=commitment.active,
    )
    if cleared:
        audit.record("unit.commitment_verification_cleared", actor=by, obj=unit, kind=kind)
    if changed:
        unit_follow_standard(unit=unit)  # a system withdrawn or no longer verified may lapse it
    return commitment


@transaction.atomic
def commitment_verify(
    *, commitment: Commitment, by: User, note: str, seen: dt.datetime | None = None
) -> Commitment:
    """Staff confirm a self-discipline system is in force after reviewing its evidence files.

    ``seen`` is the commitment's ``updated_at`` on the page the staff member looked at: if the
    operator changed it since, staff verified something else and nothing is written.
    """
    if by.role != Role.STAFF:
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Say what you checked; the note is kept with the record.")}
        )
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if seen is not None and locked.updated_at != seen:
        raise StaleObject()
    if not locked.active:
        raise ValidationError(_("A commitment that is not in force cannot be verified."))
    if not locked.evidence.exists():
        raise ValidationError(
            _(
                "This commitment has no evidence files. Ask the operator to upload them, or "
                "record an on-site check whose item covers it."
            )
        )
    locked.verified_at, locked.verified_by, locked.verification_note = timezone.now(), by, note
    locked.save(update_fields=["verified_at", "verified_by", "verification_note"])
    audit.record("unit.commitment_verified", actor=by, obj=locked.unit, kind=locked.kind, note=note)
    unit_follow_standard(unit=locked.unit)  # the last missing verification may lift a warning
    return locked


@transaction.atomic
def station_save(*, unit: Unit, by: User, data: dict[str, Any]) -> ServiceStation:
    station = ServiceStation.objects.select_for_update().filter(unit=unit).first()
    created = station is None
    before = copy.copy(station)
    if station is None:
        station = ServiceStation(unit=unit)
    for field in ("contact_person", "phone", "hours", "location", "active"):
        if field in data:
            setattr(station, field, data[field])
    if before is not None and any(
        getattr(before, field) != getattr(station, field)
        for field in ("contact_person", "phone", "hours", "location", "active")
    ):
        # What staff verified is no longer what is declared (rubric v2 counts verified only).
        station.verified_at, station.verified_by = None, None
    station.full_clean()
    station.save()
    audit.record(
        "unit.station_registered" if created else "unit.station_updated", actor=by, obj=unit
    )
    record_contact_change(
        unit=unit, by=by, before=before, after=station, fields=PUBLIC_STATION_FIELDS
    )
    unit_follow_standard(unit=unit)  # a station closed lapses the standard; reopened, lifts it
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


# --- Demonstration applications ----------------------------------------------------------------


@transaction.atomic
def application_create(*, unit: Unit, by: User, data: dict[str, Any]) -> DemonstrationApplication:
    if unit.verified_at is None:
        # DESIGN.md §5: a unit first seen at self-registration joins the programme only once
        # staff have confirmed its business licence.
        raise ValidationError(
            _(
                "This unit cannot apply yet: market-supervision staff have not confirmed its "
                "business licence."
            )
        )
    held = gate_reasons(unit)
    if held:
        raise ValidationError(held)
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
    tell_application_moved(application, source=source, target=target, reason=reason)
    return application


@transaction.atomic
def application_submit(
    *, application: DemonstrationApplication, by: User, version: int
) -> DemonstrationApplication:
    errors: dict[str, str | list[str]] = {}
    if not application.commitments_confirmed:
        errors["commitments_confirmed"] = _("Confirm the commitments before submitting.")
    if not application.statement.strip():
        errors["statement"] = _("Describe how the unit meets the Five Guarantees.")
    general = []
    if not application.unit.commitments.filter(active=True).exists():
        general.append(_("Record at least one self-discipline commitment before applying."))
    # A gate may have closed since the draft was made (e.g. a claim matched a revoked unit).
    general += gate_reasons(application.unit)
    if general:
        errors["__all__"] = general
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
    """Approve after the on-site check: the application goes into public notice (公示).

    Only a unit that meets every criterion of the demonstration-unit standard is approved; the
    refusal names each unmet criterion and there is no override (DESIGN.md §5). The certificate
    is issued after the notice (``units.services_notice``), with the validity decided here: from
    ``valid_from``, by default the day after the notice ends.
    """
    from units import services_notice  # it builds on this module

    today = timezone.localdate()
    valid_from = valid_from or services_notice.notice_dates(today)[1] + dt.timedelta(days=1)
    valid_until = valid_from + dt.timedelta(days=valid_days - 1)
    report = standard_check(application.unit)
    if not report.met_all:
        raise ValidationError(report.refusal_messages(), code="standard_not_met")
    application = _transition(
        application,
        by=by,
        sources={S.ONSITE_CHECK},
        target=S.NOTICE,
        version=version,
        reason=note,
        decided_at=timezone.now(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    services_notice.notice_open(application=application, by=by, today=today)
    audit.record(
        "unit.demonstration_notice",
        actor=by,
        obj=application.unit,
        valid_until=valid_until.isoformat(),
        standard_met=[outcome.code for outcome in report.outcomes],
    )
    return application
