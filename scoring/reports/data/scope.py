"""Whose report: the district or one jurisdiction, the jurisdictions it ranks, and the period's
bounds as aware datetimes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou.models import Jurisdiction

DISTRICT = "district"


class ReportRequestError(ValueError):
    """A request the portal refuses; the message is one line, for a form or a command."""


def scope_jurisdiction(scope_code: str) -> Jurisdiction | None:
    """None for the district; the jurisdiction of a per-jurisdiction report."""
    if scope_code == DISTRICT:
        return None
    jurisdiction = Jurisdiction.objects.filter(code=scope_code).first()
    if jurisdiction is None or jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        raise ReportRequestError(
            _("Unknown jurisdiction %(code)r.") % {"code": scope_code}
        ) from None
    return jurisdiction


def top_level_jurisdictions() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(
        parent__kind=Jurisdiction.Kind.DISTRICT, active=True
    ).order_by("sort_order", "code")


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Scope:
    code: str
    name: str
    jurisdiction: Jurisdiction | None
