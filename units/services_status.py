"""A demonstration unit's standing after approval: warning, rectification, revocation, renewal.

DESIGN.md §5 lifecycle: when a criterion of the standard lapses the unit moves to warning (预警)
with the unmet criteria named and a rectification deadline (``RECTIFICATION_DAYS``); meeting the
standard again before revocation lifts it; a warning past its deadline is reported to staff, who
revoke (摘牌). ``RENEWAL_NOTICE_DAYS`` before a certificate expires the operator is invited to
apply for re-evaluation (后评价), which is an application for the next year through the same
approval path.

Every move is claimed with a conditional UPDATE (a staff member acting at the same moment as a
job: exactly one wins, the other gets ``StaleObject``), audited on the unit (its history is the
unit's timeline, ``units.selectors.unit_history``) and notified to the operator and the staff
whose scope covers the unit. ``by=None`` means the system acted; the audit log says "system".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import User
from lyushunkou.notifications import notify, staff_covering
from units.models import DemonstrationStatus, Unit
from units.services_common import require_reason
from units.standard import StandardReport, standard_check

CERTIFIED = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)

# Staff's status steps and the demonstration statuses each is taken from, in the order the unit
# page offers them: the services below claim from these, and the page asks ``status_steps``.
STATUS_STEPS: dict[str, frozenset[str]] = {
    "warn": frozenset({DemonstrationStatus.APPROVED}),
    "rectified": frozenset({DemonstrationStatus.WARNING}),
    "revoke": frozenset(CERTIFIED),
}


def status_steps(unit: Unit) -> list[str]:
    """The status steps that can be taken on ``unit`` as it stands."""
    return [name for name, sources in STATUS_STEPS.items() if unit.demonstration_status in sources]


def rectification_deadline(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.RECTIFICATION_DAYS)


def _tell(unit: Unit, *, key: str, message: str, operator: bool = True) -> None:
    """The operator (on their workspace) and the staff in scope (on the unit page)."""
    if operator and unit.owner_id is not None and unit.owner is not None and unit.owner.is_active:
        notify([unit.owner], message=message, link=reverse("workspace"), key=key)
    notify(
        staff_covering(unit.jurisdiction),
        message=message,
        link=reverse("unit-detail", args=[unit.pk]),
        key=key,
    )


def _move(
    unit: Unit,
    *,
    by: User | None,
    sources: Iterable[str],
    target: str,
    reason: str,
    action: str,
    **fields: Any,
) -> Unit:
    reason = require_reason(reason)
    claim(
        Unit.objects.filter(pk=unit.pk),
        sources=sources,
        state_field="demonstration_status",
        demonstration_status=target,
        status_reason=reason,
        updated_at=timezone.now(),
        **fields,
    )
    source = unit.demonstration_status
    unit.refresh_from_db()
    detail: dict[str, Any] = {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in fields.items()
    }
    audit.record(
        action,
        actor=by,
        username="" if by else "system",
        obj=unit,
        from_status=source,
        reason=reason,
        **detail,
    )
    return unit


@transaction.atomic
def unit_warn(
    *,
    unit: Unit,
    by: User | None,
    reason: str,
    today: dt.date | None = None,
    automatic: bool = False,
) -> Unit:
    """预警: the unit keeps its plaque, marked with a warning and the reason, until the deadline.
    ``automatic`` when the system warns because the standard lapsed (``by`` is None)."""
    today = today or timezone.localdate()
    deadline = rectification_deadline(today)
    unit = _move(
        unit,
        by=by,
        sources=STATUS_STEPS["warn"],
        target=DemonstrationStatus.WARNING,
        reason=reason,
        action="unit.demonstration_warning",
        rectify_by=deadline,
        warning_automatic=automatic,
        overdue_notified_on=None,
    )
    # Notifications are stored and read later by others: in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        _tell(
            unit,
            key=f"unit:{unit.pk}:warning:{unit.version}",
            message=_(
                "Demonstration unit %(unit)s is now in warning; rectify by %(deadline)s. %(reason)s"
            )
            % {"unit": unit.name, "deadline": deadline.isoformat(), "reason": unit.status_reason},
        )
    return unit


@transaction.atomic
def unit_rectified(*, unit: Unit, by: User | None, reason: str) -> Unit:
    unit = _move(
        unit,
        by=by,
        sources=STATUS_STEPS["rectified"],
        target=DemonstrationStatus.APPROVED,
        reason=reason,
        action="unit.demonstration_rectified",
        rectify_by=None,
        warning_automatic=False,
        overdue_notified_on=None,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell(
            unit,
            key=f"unit:{unit.pk}:rectified:{unit.version}",
            message=_("The warning of demonstration unit %(unit)s was lifted. %(reason)s")
            % {"unit": unit.name, "reason": unit.status_reason},
        )
    return unit


@transaction.atomic
def unit_revoke(*, unit: Unit, by: User, reason: str) -> Unit:
    """摘牌: a staff decision, never the system's."""
    unit = _move(
        unit,
        by=by,
        sources=STATUS_STEPS["revoke"],
        target=DemonstrationStatus.REVOKED,
        reason=reason,
        action="unit.demonstration_revoked",
        rectify_by=None,
        warning_automatic=False,
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell(
            unit,
            key=f"unit:{unit.pk}:revoked:{unit.version}",
            message=_("The demonstration status of %(unit)s was revoked. %(reason)s")
            % {"unit": unit.name, "reason": unit.status_reason},
        )
    return unit


# --- Following the standard -------------------------------------------------------------------


def lapse_reason(report: StandardReport) -> str:
    """The unmet criteria, each named with why, in the portal's language (stored, read by all)."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(report.refusal_messages())


def unit_follow_standard(
    *, unit: Unit, today: dt.date | None = None, report: StandardReport | None = None
) -> str:
    """Check a certified unit against the standard and move it if the result says so.

    Returns what happened: ``"warned"``, ``"restored"``, ``"updated"`` (still in warning, the
    unmet criteria changed) or ``""``. An expired certificate and a warning given by staff are
    left alone; a staff member acting at the same moment wins (the move is skipped).
    """
    today = today or timezone.localdate()
    if unit.demonstration_status not in CERTIFIED:
        return ""
    if unit.certified_until is not None and unit.certified_until < today:
        return ""  # expired: the plaque says so already; renewal is the way back
    automatic = unit.demonstration_status == DemonstrationStatus.WARNING and unit.warning_automatic
    if unit.demonstration_status == DemonstrationStatus.WARNING and not automatic:
        return ""
    report = report or standard_check(unit, today)
    try:
        if unit.demonstration_status == DemonstrationStatus.APPROVED and not report.met_all:
            unit_warn(unit=unit, by=None, reason=lapse_reason(report), today=today, automatic=True)
            return "warned"
        if automatic and report.met_all:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("The demonstration-unit standard is met again (checked on %(day)s).") % {
                    "day": today.isoformat()
                }
            unit_rectified(unit=unit, by=None, reason=reason)
            return "restored"
        if automatic and lapse_reason(report) != unit.status_reason:
            return "updated" if _update_reason(unit, lapse_reason(report)) else ""
    except StaleObject:
        return ""
    return ""


@transaction.atomic
def _update_reason(unit: Unit, reason: str) -> bool:
    """Still in warning, for other criteria than before: the reason says so; same deadline."""
    try:
        claim(
            Unit.objects.filter(pk=unit.pk),
            sources=[DemonstrationStatus.WARNING],
            state_field="demonstration_status",
            version=unit.version,
            status_reason=reason,
            updated_at=timezone.now(),
        )
    except StaleObject:
        return False
    unit.refresh_from_db()
    audit.record(
        "unit.demonstration_warning_updated",
        actor=None,
        username="system",
        obj=unit,
        reason=reason,
        rectify_by=unit.rectify_by.isoformat() if unit.rectify_by else "",
    )
    return True


def units_follow_standard(*, today: dt.date | None = None) -> dict[str, int]:
    """The nightly re-check of every certified unit whose certificate runs (after scoring)."""
    today = today or timezone.localdate()
    counts = {"checked": 0, "warned": 0, "restored": 0, "updated": 0}
    units = (
        Unit.objects.filter(demonstration_status__in=CERTIFIED, certified_until__gte=today)
        .exclude(demonstration_status=DemonstrationStatus.WARNING, warning_automatic=False)
        .select_related("jurisdiction", "owner")
        .order_by("pk")
    )
    for unit in units.iterator(chunk_size=500):
        counts["checked"] += 1
        outcome = unit_follow_standard(unit=unit, today=today)
        if outcome:
            counts[outcome] += 1
    return counts


# --- Deadlines and renewal ------------------------------------------------------------------


def revocation_due(today: dt.date | None = None) -> Q:
    """Units in warning whose rectification deadline has passed: staff decide on revocation."""
    today = today or timezone.localdate()
    return Q(demonstration_status=DemonstrationStatus.WARNING, rectify_by__lt=today)


def report_overdue_rectifications(*, today: dt.date | None = None) -> int:
    """Tell staff (and the operator) once per warning that its deadline passed unrectified."""
    today = today or timezone.localdate()
    reported = 0
    due = Unit.objects.filter(revocation_due(today), overdue_notified_on__isnull=True)
    for unit in due.select_related("jurisdiction", "owner").order_by("pk"):
        with transaction.atomic():
            claimed = Unit.objects.filter(
                revocation_due(today), pk=unit.pk, overdue_notified_on__isnull=True
            ).update(overdue_notified_on=today)
            if claimed != 1:
                continue
            assert unit.rectify_by is not None
            audit.record(
                "unit.rectification_overdue",
                actor=None,
                username="system",
                obj=unit,
                reason=unit.status_reason,
                rectify_by=unit.rectify_by.isoformat(),
            )
            with translation.override(settings.LANGUAGE_CODE):
                _tell(
                    unit,
                    key=f"unit:{unit.pk}:overdue:{unit.rectify_by.isoformat()}",
                    message=_(
                        "Demonstration unit %(unit)s was not rectified by %(deadline)s; "
                        "staff decide on revoking its status."
                    )
                    % {"unit": unit.name, "deadline": unit.rectify_by.isoformat()},
                )
            reported += 1
    return reported


def renewal_year(unit: Unit) -> int | None:
    """The year of the application that renews the running certificate."""
    if unit.certified_until is None:
        return None
    return (unit.certified_until + dt.timedelta(days=1)).year


def invite_renewals(*, today: dt.date | None = None) -> int:
    """Invite the operators of certificates expiring within ``RENEWAL_NOTICE_DAYS`` to apply
    for re-evaluation (后评价): once per certificate, however often the job runs."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.RENEWAL_NOTICE_DAYS)
    candidates = (
        Unit.objects.filter(
            demonstration_status__in=CERTIFIED,
            certified_until__gte=today,
            certified_until__lte=horizon,
        )
        .exclude(renewal_invited_for=F("certificate_no"))
        .select_related("jurisdiction", "owner")
        .order_by("pk")
    )
    invited = 0
    for unit in candidates:
        with transaction.atomic():
            claimed = (
                Unit.objects.filter(pk=unit.pk, certificate_no=unit.certificate_no)
                .exclude(renewal_invited_for=F("certificate_no"))
                .update(renewal_invited_for=F("certificate_no"))
            )
            if claimed != 1:
                continue
            assert unit.certified_until is not None
            until = unit.certified_until.isoformat()
            audit.record(
                "unit.renewal_invited",
                actor=None,
                username="system",
                obj=unit,
                certificate_no=unit.certificate_no,
                valid_until=until,
            )
            with translation.override(settings.LANGUAGE_CODE):
                message = _(
                    "The demonstration certificate %(number)s of %(unit)s expires on %(date)s. "
                    "Apply for re-evaluation to keep the status."
                ) % {"number": unit.certificate_no, "unit": unit.name, "date": until}
            if unit.owner is not None and unit.owner.is_active:
                notify(
                    [unit.owner],
                    message=message,
                    link=reverse("workspace"),
                    key=f"unit:{unit.pk}:renewal:{unit.certificate_no}",
                )
            invited += 1
    return invited
