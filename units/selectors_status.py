"""Reads for the re-evaluation banners of the operator workspace (callers pass units already
scoped to the user through ``units.access``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from units.models import ApplicationStatus, DemonstrationApplication, Unit
from units.services_status import CERTIFIED, renewal_year


@dataclass(frozen=True)
class RenewalInvitation:
    """An invitation to apply for re-evaluation (后评价), and the renewal application if one
    was started."""

    unit: Unit
    year: int
    application: DemonstrationApplication | None


def renewal_invitations(units: QuerySet[Unit]) -> list[RenewalInvitation]:
    """The units invited to renew their running certificate, in two queries."""
    invited = list(
        units.filter(demonstration_status__in=CERTIFIED, renewal_invited_for=F("certificate_no"))
        .exclude(certificate_no="")
        .order_by("certified_until", "pk")
    )
    years = {unit.pk: renewal_year(unit) for unit in invited}
    started = {
        (application.unit_id, application.year): application
        for application in DemonstrationApplication.objects.filter(
            unit__in=[unit.pk for unit in invited], year__in=set(years.values())
        ).exclude(status=ApplicationStatus.REJECTED)
    }
    return [
        RenewalInvitation(unit, year, started.get((unit.pk, year)))
        for unit in invited
        if (year := years[unit.pk]) is not None
    ]
