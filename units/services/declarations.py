"""What a unit declares: its self-discipline commitments, its 12315 service station and the
evidence files behind them."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import StaleObject
from lyushunkou.models import Role, User
from units.models import Commitment, DemonstrationApplication, EvidenceFile, ServiceStation, Unit
from units.services.profile import PUBLIC_STATION_FIELDS, record_contact_change
from units.services_status import unit_follow_standard
from units.uploads import check_upload

# The fields of what a unit declares in a commitment; changing any of them ends its verification.
COMMITMENT_DECLARED_FIELDS = ("content", "return_scope", "return_days", "active")


class CommitmentDeclaration(TypedDict, total=False):
    """What a unit declares in a commitment (``COMMITMENT_DECLARED_FIELDS``)."""

    content: str
    return_scope: str
    return_days: int | None
    active: bool


class StationDetails(TypedDict, total=False):
    """What a unit declares of its 12315 service station."""

    contact_person: str
    phone: str
    hours: str
    location: str
    active: bool


@transaction.atomic
def commitment_save(
    *, unit: Unit, by: User, kind: str, **declared: Unpack[CommitmentDeclaration]
) -> Commitment:
    """Create or change the unit's commitment of ``kind`` with the fields given."""
    given: Mapping[str, Any] = declared
    commitment = Commitment.objects.select_for_update().filter(unit=unit, kind=kind).first()
    created = commitment is None
    if commitment is None:
        commitment = Commitment(unit=unit, kind=kind)
    before = [getattr(commitment, field) for field in COMMITMENT_DECLARED_FIELDS]
    for field in ("content", "return_scope", "return_days", "active"):
        if field in given:
            setattr(commitment, field, given[field])
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
def station_save(*, unit: Unit, by: User, **details: Unpack[StationDetails]) -> ServiceStation:
    """Register or change the unit's service station with the fields given."""
    given: Mapping[str, Any] = details
    station = ServiceStation.objects.select_for_update().filter(unit=unit).first()
    created = station is None
    before = copy.copy(station)
    if station is None:
        station = ServiceStation(unit=unit)
    for field in ("contact_person", "phone", "hours", "location", "active"):
        if field in given:
            setattr(station, field, given[field])
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
