"""Every change to the network and to the records of the area standard (STYLE.md habit 2).

Each service is keyword-only and atomic, checks who acts, writes with a conditional update where
two editors could meet (``version``), and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import (
    FIRST_YEAR,
    AreaActivity,
    AreaConfirmation,
    AreaCriterion,
    Community,
    NetworkPoint,
)
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.uploads import check_upload
from units.models import Unit

POINT_FIELDS = [
    "kind",
    "name",
    "community",
    "unit",
    "address",
    "contact_person",
    "contact_phone",
    "opening_hours",
    "latitude",
    "longitude",
    "active",
]


def _staff(by: User) -> None:
    if by.role != Role.STAFF or not by.is_active:
        raise PermissionDenied


# --- Network points -------------------------------------------------------------------------------


def _check_point(data: Mapping[str, Any]) -> None:
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        raise ValidationError(
            {"longitude": _("Give both the latitude and the longitude, or neither.")}
        )
    unit = data.get("unit")
    if unit is not None and data.get("kind") != NetworkPoint.Kind.STATION:
        raise ValidationError({"unit": _("Only a unit's 12315 service station names a unit.")})


class PointFields(TypedDict, total=False):
    """The fields of a network point (``POINT_FIELDS``): a service writes those given."""

    kind: str
    name: str
    community: Community
    unit: Unit | None
    address: str
    contact_person: str
    contact_phone: str
    opening_hours: str
    latitude: Decimal | None
    longitude: Decimal | None
    active: bool


class ActivityFields(TypedDict, total=False):
    """What is logged of an activity held in a place."""

    kind: str
    title: str
    held_on: dt.date
    venue: str
    reach: int
    findings: str


@transaction.atomic
def network_point_create(*, by: User, **fields: Unpack[PointFields]) -> NetworkPoint:
    """Add a point; the caller has checked that the community is in the user's scope."""
    given: Mapping[str, Any] = fields
    _staff(by)
    _check_point(given)
    point = NetworkPoint(created_by=by, **{key: given[key] for key in POINT_FIELDS if key in given})
    point.full_clean(exclude=["created_by"])
    point.save()
    audit.record(
        "areas.point_created",
        actor=by,
        obj=point,
        community=point.community.code,
        kind=point.kind,
    )
    return point


@transaction.atomic
def network_point_update(
    *, point: NetworkPoint, by: User, version: int, **fields: Unpack[PointFields]
) -> NetworkPoint:
    """Change the fields given of a point, if nobody changed it since ``version`` was read (else
    ``StaleObject``)."""
    given: Mapping[str, Any] = fields
    _staff(by)
    _check_point(given)
    candidate = NetworkPoint(pk=point.pk, created_by_id=point.created_by_id)
    for key in POINT_FIELDS:
        setattr(candidate, key, given.get(key, getattr(point, key)))
    candidate.full_clean(exclude=["created_by"], validate_unique=False)
    changes = {key: getattr(candidate, key) for key in POINT_FIELDS}
    changed = sorted(key for key in POINT_FIELDS if getattr(point, key) != changes[key])
    claim(
        NetworkPoint.objects.filter(pk=point.pk),
        version=version,
        **changes,
        updated_at=timezone.now(),
    )
    point.refresh_from_db()
    audit.record("areas.point_updated", actor=by, obj=point, changed=changed)
    return point


# --- Items confirmed by staff ---------------------------------------------------------------------


def _evidence_error(error: ValidationError) -> ValidationError:
    return ValidationError({"evidence_file": error.message_dict.get("file", error.messages)})


@transaction.atomic
def confirmation_save(
    *,
    place: Jurisdiction,
    year: int,
    criterion: AreaCriterion,
    record: AreaConfirmation | None,
    by: User,
    version: int,
    in_place: bool,
    note: str,
    upload: Any = None,
    confirm: bool = False,
) -> AreaConfirmation:
    """Record whether an item of the standard is in place for a place and year, with its
    evidence, and confirm it.

    ``version`` is the version the form was read at (0 when nothing was recorded): an older one is
    refused (``StaleObject``). The evidence file follows the upload rules (type sniffed, size
    limit); confirming needs the item in place and an evidence file on record, and records who
    and when; saving without confirming withdraws an earlier confirmation.
    """
    _staff(by)
    note = note.strip()
    mime = ""
    if upload:
        try:
            mime = check_upload(upload)
        except ValidationError as error:
            raise _evidence_error(error) from None
    has_file = bool(upload) or bool(record is not None and record.evidence_file)
    if in_place and not (note or has_file):
        raise ValidationError(
            {"note": _("An item in place needs evidence: describe it and attach a file.")}
        )
    if confirm and not in_place:
        raise ValidationError({"confirm": _("Only an item in place can be confirmed.")})
    if confirm and not has_file:
        raise ValidationError(
            {"evidence_file": _("Confirming an item needs its evidence file: attach it.")}
        )
    now = timezone.now()
    values: dict[str, Any] = {
        "in_place": in_place,
        "note": note,
        "recorded_by": by,
        "recorded_at": now,
        "confirmed_by": by if confirm else None,
        "confirmed_at": now if confirm else None,
    }
    if record is None:
        if version != 0:
            raise StaleObject()
        record = AreaConfirmation(place=place, year=year, criterion=criterion, **values)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # someone recorded the item first
            raise StaleObject() from None
        created = True
    else:
        claim(AreaConfirmation.objects.filter(pk=record.pk), version=version, **values)
        record.refresh_from_db()
        created = False
    if upload:
        record.evidence_file.save(upload.name, upload, save=False)
        record.evidence_type = mime
        record.save(update_fields=["evidence_file", "evidence_type"])
    audit.record(
        "areas.item_recorded" if created else "areas.item_updated",
        actor=by,
        obj=record,
        place=place.code,
        year=year,
        item=criterion.code,
        in_place=in_place,
        confirmed=confirm,
        file=bool(upload),
    )
    return record


# --- Logged activities ----------------------------------------------------------------------------


@transaction.atomic
def activity_record(
    *,
    place: Jurisdiction,
    by: User,
    today: dt.date | None = None,
    **fields: Unpack[ActivityFields],
) -> AreaActivity:
    """Log an activity; a campaign needs its findings, and no activity is logged ahead."""
    _staff(by)
    today = today or timezone.localdate()
    activity = AreaActivity(place=place, recorded_by=by, **fields)
    if activity.held_on and activity.held_on > today:
        raise ValidationError({"held_on": _("Log an activity once it has taken place.")})
    if activity.held_on and activity.held_on.year < FIRST_YEAR:
        raise ValidationError(
            {"held_on": _("The portal keeps activities from %(year)d on.") % {"year": FIRST_YEAR}}
        )
    if activity.kind == AreaActivity.Kind.CAMPAIGN and not activity.findings.strip():
        raise ValidationError(
            {"findings": _("A campaign is logged with its findings: what was found and done.")}
        )
    activity.full_clean()
    activity.save()
    audit.record(
        "areas.activity_recorded",
        actor=by,
        obj=activity,
        place=place.code,
        kind=activity.kind,
        held_on=activity.held_on.isoformat(),
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: AreaActivity, by: User) -> None:
    """Remove an activity logged by mistake; the audit event keeps what it said."""
    _staff(by)
    deleted, _rows = AreaActivity.objects.filter(pk=activity.pk).delete()
    if not deleted:
        raise StaleObject()
    audit.record(
        "areas.activity_deleted",
        actor=by,
        obj=activity,
        place=activity.place.code,
        kind=activity.kind,
        title=activity.title,
        held_on=activity.held_on.isoformat(),
    )
