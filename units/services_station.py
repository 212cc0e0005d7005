"""Staff verify a unit's 12315 service station (rubric v2, DESIGN.md §5): a recorded step with
who and when, so that the station earns points only once staff saw it in place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.models import Role, User
from units.models import ServiceStation, Unit


@transaction.atomic
def station_verify(*, unit: Unit, by: User, note: str) -> ServiceStation:
    """Staff confirm the station is active with a named person handling complaints, on the
    spot or from its evidence; the note says what they checked and goes to the audit log."""
    if by.role != Role.STAFF:
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Say what you checked; the note is kept with the record.")}
        )
    station = ServiceStation.objects.select_for_update().filter(unit=unit).first()
    if station is None:
        raise ValidationError(_("This unit has no 12315 service station to verify."))
    if not station.active:
        raise ValidationError(_("A 12315 service station that is not active cannot be verified."))
    if not station.contact_person.strip():
        raise ValidationError(
            _(
                "The 12315 service station names no person handling complaints; it cannot be "
                "verified."
            )
        )
    station.verified_at, station.verified_by = timezone.now(), by
    station.save(update_fields=["verified_at", "verified_by"])
    audit.record("unit.station_verified", actor=by, obj=unit, note=note)
    return station
