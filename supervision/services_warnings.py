"""Every change to early warnings (STYLE.md habit 2): the nightly raise, acknowledge, close —
keyword-only, atomic, audited; a state change claimed with a conditional update (habit 3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, User
from lyushunkou.notifications import notify, portal_language, staff_covering
from supervision.models_warnings import EarlyWarning, Metric, WarningState
from supervision.warnings import WINDOW_DAYS, Flag, all_flags, windows
from units.models import Unit

__all__ = [
    "RaiseResult",
    "StaleObject",
    "warning_acknowledge",
    "warning_close",
    "warnings_raise",
]

ACTIVE = (WarningState.OPEN, WarningState.ACKNOWLEDGED)


@dataclass(frozen=True)
class RaiseResult:
    raised: int  # new warnings, their staff notified
    updated: int  # warnings already open or acknowledged, their figures brought up to date
    held: int  # closed by staff within the last window: not raised again yet


def _message(warning: EarlyWarning) -> str:
    with portal_language():
        subject = warning.subject
        return _(
            "Early warning: %(metric)s of %(subject)s reached %(observed)s in 30 days, above the "
            "control limit of %(limit)s."
        ) % {
            "metric": Metric(warning.metric).label,
            "subject": subject,
            "observed": warning.observed,
            "limit": warning.limit,
        }


@transaction.atomic
def warnings_raise(*, day: dt.date | None = None) -> RaiseResult:
    """Raise the warnings of the 30 days ending on ``day`` (default: yesterday). Idempotent: a run
    again the same day updates what the first raised and tells nobody twice."""
    day = day or timezone.localdate() - dt.timedelta(days=1)
    _baseline, start, end = windows(day)
    flags = all_flags(day)
    active = {
        w.key: w
        for w in EarlyWarning.objects.select_for_update().filter(
            key__in=[f.key for f in flags], state__in=ACTIVE
        )
    }
    recently_closed = set(
        EarlyWarning.objects.filter(
            key__in=[f.key for f in flags],
            state=WarningState.CLOSED,
            closed_at__date__gt=day - dt.timedelta(days=WINDOW_DAYS),
        ).values_list("key", flat=True)
    )
    streets = Jurisdiction.objects.in_bulk({f.street_id for f in flags})
    units = Unit.objects.in_bulk({f.unit_id for f in flags if f.unit_id is not None})
    raised = updated = held = 0
    for flag in flags:
        figures = _figures(flag, start, end)
        warning = active.get(flag.key)
        if warning is not None:
            for name, value in figures.items():
                setattr(warning, name, value)
            warning.save(update_fields=[*figures, "updated_at"])
            updated += 1
            continue
        if flag.key in recently_closed:
            held += 1
            continue
        warning = EarlyWarning.objects.create(
            key=flag.key,
            metric=flag.metric,
            jurisdiction=streets[flag.street_id],
            unit=units.get(flag.unit_id) if flag.unit_id is not None else None,
            category=flag.category,
            **figures,
        )
        raised += 1
        audit.record(
            "supervision.warning_raised",
            obj=warning,
            observed=flag.observed,
            limit=flag.limit,
            baseline=flag.baseline,
        )
        notify(
            staff_covering(warning.jurisdiction),
            message=_message(warning),
            link=reverse("warning-detail", args=[warning.pk]),
            key=f"supervision.warning:{warning.pk}",
        )
    return RaiseResult(raised=raised, updated=updated, held=held)


def _figures(flag: Flag, start: dt.date, end: dt.date) -> dict[str, object]:
    return {
        "window_start": start,
        "window_end": end,
        "observed": flag.observed,
        "baseline": flag.baseline,
        "limit": flag.limit,
        "evidence": flag.evidence,
    }


@transaction.atomic
def warning_acknowledge(*, warning: EarlyWarning, by: User, note: str = "") -> EarlyWarning:
    claim(
        EarlyWarning.objects.filter(pk=warning.pk),
        sources=[WarningState.OPEN],
        state_field="state",
        state=WarningState.ACKNOWLEDGED,
        acknowledged_by=by,
        acknowledged_at=timezone.now(),
        note=(note or "").strip(),
    )
    warning.refresh_from_db()
    audit.record("supervision.warning_acknowledged", actor=by, obj=warning)
    return warning


@transaction.atomic
def warning_close(*, warning: EarlyWarning, by: User, note: str) -> EarlyWarning:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done or found before closing the warning.")})
    claim(
        EarlyWarning.objects.filter(pk=warning.pk),
        sources=ACTIVE,
        state_field="state",
        state=WarningState.CLOSED,
        closed_by=by,
        closed_at=timezone.now(),
        note=note,
    )
    warning.refresh_from_db()
    audit.record("supervision.warning_closed", actor=by, obj=warning, note=note)
    return warning
