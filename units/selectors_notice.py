"""Reads of the public notice (公示): what the public page lists, a unit's running notice, and an
application's objections for the review page (the application already fetched through
``units.access``, so the scope is the caller's)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from units.models import ApplicationStatus, DemonstrationApplication, Unit
from units.models_notice import Objection, PublicNotice


def running_notices(today: dt.date | None = None) -> list[PublicNotice]:
    """Notices running today, of verified units: what the public page lists (no personal data:
    the template shows the unit's name, street, industry and the dates)."""
    today = today or timezone.localdate()
    return list(
        PublicNotice.objects.filter(
            closed_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
            application__status=ApplicationStatus.NOTICE,
            application__unit__verified_at__isnull=False,
        )
        .select_related("application__unit__jurisdiction")
        .order_by("ends_on", "application__unit__name", "pk")
    )


def running_notice(pk: int, today: dt.date | None = None) -> PublicNotice:
    """One running notice for the objection form; 404 once it has ended or closed."""
    notice = next((n for n in running_notices(today) if n.pk == pk), None)
    if notice is None:
        raise Http404("No such notice.")
    return notice


def unit_notice(unit: Unit) -> PublicNotice | None:
    """The unit's open public notice, if an application of it is in notice."""
    return (
        PublicNotice.objects.filter(
            application__unit=unit,
            application__status=ApplicationStatus.NOTICE,
            closed_at__isnull=True,
        )
        .order_by("-starts_on")
        .first()
    )


def application_notices(application: DemonstrationApplication) -> list[PublicNotice]:
    return list(PublicNotice.objects.filter(application=application).order_by("-starts_on", "-pk"))


def application_objections(application: DemonstrationApplication) -> list[Objection]:
    return list(
        Objection.objects.filter(notice__application=application)
        .select_related("resolved_by", "notice")
        .order_by("submitted_at", "pk")
    )


def application_objection(application: DemonstrationApplication, pk: int) -> Objection:
    """An objection of an application the user may see; 404 for any other."""
    try:
        return Objection.objects.select_related("notice__application__unit").get(
            pk=pk, notice__application=application
        )
    except (Objection.DoesNotExist, ValueError):
        raise Http404("No such objection.") from None
