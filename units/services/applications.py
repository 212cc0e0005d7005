"""Demonstration applications: from the operator's draft through review and the on-site check
to approval, which opens the public notice (``units.services_notice`` issues the certificate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.models import Role, User
from units.application_gates import gate_reasons
from units.models import (
    ApplicationEvent,
    ApplicationStatus,
    CertificateCounter,
    DemonstrationApplication,
    Unit,
)
from units.notify_applications import tell_application_moved
from units.services_common import require_reason as _require_reason
from units.standard import standard_check

S = ApplicationStatus
CERTIFICATE_VALIDITY_DAYS = 365

# Staff's review steps and the statuses each one is taken from, in the order the review page
# offers them: the services claim from these, and the page asks ``application_steps``.
IN_REVIEW = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.ONSITE_CHECK})
REVIEW_STEPS: dict[str, frozenset[str]] = {
    "start_review": frozenset({S.SUBMITTED}),
    "onsite_check": frozenset({S.UNDER_REVIEW}),
    "approve": frozenset({S.ONSITE_CHECK}),
    "return": IN_REVIEW,
    "reject": IN_REVIEW,
}


def application_steps(application: DemonstrationApplication, user: User) -> list[str]:
    """The review steps ``user`` can take on ``application`` as it stands: only staff review
    (leaders read along)."""
    if user.role != Role.STAFF:
        return []
    return [name for name, sources in REVIEW_STEPS.items() if application.status in sources]


@transaction.atomic
def application_create(
    *,
    unit: Unit,
    by: User,
    year: int,
    statement: str = "",
    commitments_confirmed: bool = False,
) -> DemonstrationApplication:
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
        year=year,
        statement=statement,
        commitments_confirmed=bool(commitments_confirmed),
        created_by=by,
    )
    if DemonstrationApplication.objects.filter(unit=unit, year=application.year).exclude(
        status=S.REJECTED
    ):
        raise ValidationError(
            {"year": _("This unit already has an application for %(year)s.") % {"year": year}}
        )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(application=application, to_status=S.DRAFT, actor=by)
    audit.record("application.created", actor=by, obj=application)
    return application


@transaction.atomic
def application_update(
    *,
    application: DemonstrationApplication,
    by: User,
    version: int,
    statement: str | None = None,
    commitments_confirmed: bool = False,
) -> DemonstrationApplication:
    """Change a draft; a ``statement`` not given stays as it is."""
    claim(
        DemonstrationApplication.objects.filter(pk=application.pk),
        sources=[S.DRAFT],
        version=version,
        updated_at=timezone.now(),
        statement=application.statement if statement is None else statement,
        commitments_confirmed=bool(commitments_confirmed),
    )
    application.refresh_from_db()
    audit.record("application.updated", actor=by, obj=application)
    return application


def _transition(
    application: DemonstrationApplication,
    *,
    by: User,
    sources: frozenset[str] | set[str],
    target: str,
    version: int | None,
    reason: str = "",
    **fields: Any,
) -> DemonstrationApplication:
    """Claim one transition with a conditional UPDATE: exactly one row or nobody wins."""
    claim(
        DemonstrationApplication.objects.filter(pk=application.pk),
        sources=sources,
        version=version,
        status=target,
        updated_at=timezone.now(),
        **fields,
    )
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
        sources=REVIEW_STEPS["start_review"],
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
        sources=REVIEW_STEPS["onsite_check"],
        target=S.ONSITE_CHECK,
        version=version,
        reason=note,
    )


@transaction.atomic
def application_return(
    *, application: DemonstrationApplication, by: User, version: int, reason: str
) -> DemonstrationApplication:
    """Send back to the operator for changes (退回修改)."""
    return _end_review(application, by=by, version=version, reason=reason, target=S.DRAFT)


@transaction.atomic
def application_reject(
    *, application: DemonstrationApplication, by: User, version: int, reason: str
) -> DemonstrationApplication:
    return _end_review(
        application,
        by=by,
        version=version,
        reason=reason,
        target=S.REJECTED,
        decided_at=timezone.now(),
    )


def _end_review(
    application: DemonstrationApplication,
    *,
    by: User,
    version: int,
    reason: str,
    target: str,
    **fields: Any,
) -> DemonstrationApplication:
    """Return or reject from any review status, with the reason the operator is shown."""
    reason = _require_reason(reason)
    return _transition(
        application,
        by=by,
        sources=IN_REVIEW,
        target=target,
        version=version,
        reason=reason,
        staff_note=reason,
        **fields,
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
    from units import services_notice  # it builds on units.services

    today = timezone.localdate()
    valid_from = valid_from or services_notice.notice_dates(today)[1] + dt.timedelta(days=1)
    valid_until = valid_from + dt.timedelta(days=valid_days - 1)
    report = standard_check(application.unit)
    if not report.met_all:
        raise ValidationError(report.refusal_messages(), code="standard_not_met")
    application = _transition(
        application,
        by=by,
        sources=REVIEW_STEPS["approve"],
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
