"""The public notice (公示) after approval, objections, and issuing the certificate (DESIGN.md §5).

Approval (``services.application_approve``) moves the application to ``notice`` and opens a
``PublicNotice`` of ``settings.NOTICE_DAYS`` days. Anyone may object while it runs; staff resolve
every objection (upheld: the application is returned or rejected and the notice ends; dismissed:
the reason is kept). The certificate is issued from the day after the notice ends, once nothing is
open: by the daily job (``certificates_issue_due``) or by staff at once (``certificate_issue``).
Every transition is claimed with a conditional UPDATE, so two issuers cannot both win.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.claims import claim
from lyushunkou.masking import mask_name, mask_phone
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify, portal_language, staff_covering
from units import services
from units.models import (
    ApplicationEvent,
    ApplicationStatus,
    DemonstrationApplication,
    DemonstrationStatus,
    Unit,
)
from units.models_notice import Objection, ObjectionStatus, PublicNotice, UpheldOutcome
from units.services_common import require_reason

S = ApplicationStatus


def notice_dates(start: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a notice opened on ``start`` (NOTICE_DAYS calendar days)."""
    return start, start + dt.timedelta(days=settings.NOTICE_DAYS - 1)


def _operators(application: DemonstrationApplication) -> list[User]:
    owner = application.unit.owner
    return [owner] if owner is not None and owner.is_active else []


def notice_open(
    *, application: DemonstrationApplication, by: User, today: dt.date | None = None
) -> PublicNotice:
    """Called by ``application_approve`` inside its transaction, once the application is claimed."""
    starts_on, ends_on = notice_dates(today or timezone.localdate())
    notice = PublicNotice.objects.create(
        application=application, starts_on=starts_on, ends_on=ends_on, opened_by=by
    )
    audit.record(
        "application.notice_opened",
        actor=by,
        obj=application,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    with portal_language():
        message = _(
            "%(unit)s was approved as a demonstration unit and is in public notice until "
            "%(date)s; the certificate follows once the notice has ended."
        ) % {"unit": application.unit.name, "date": ends_on.isoformat()}
    notify(
        _operators(application),
        message=message,
        link=reverse("workspace-application", args=[application.pk]),
        key=f"application:{application.pk}:notice:{notice.pk}",
    )
    return notice


def open_notice(application: DemonstrationApplication) -> PublicNotice | None:
    return application.notices.filter(closed_at__isnull=True).first()


# --- Objections ---------------------------------------------------------------------------------


@transaction.atomic
def objection_lodge(
    *, notice: PublicNotice, text: str, contact: str = "", today: dt.date | None = None
) -> Objection:
    """Anyone, no login, while the notice runs. The objection is never shown publicly."""
    today = today or timezone.localdate()
    text, contact = (text or "").strip(), (contact or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe your objection.")})
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if not locked.running(today):
        raise ValidationError(_("The public notice of this unit has ended; objections are closed."))
    objection = Objection(notice=locked, text=text, contact=contact)
    objection.full_clean()
    objection.save()
    # The audit keeps that an objection arrived, never its contact.
    audit.record("application.objection_lodged", obj=locked.application, objection=objection.pk)
    application = locked.application
    with portal_language():
        message = _("%(unit)s: an objection was lodged during its public notice.") % {
            "unit": application.unit.name
        }
    notify(
        staff_covering(application.unit.jurisdiction),
        message=message,
        link=reverse("application-detail", args=[application.pk]),
        key=f"objection:{objection.pk}:lodged",
    )
    return objection


@transaction.atomic
def objection_resolve(
    *,
    objection: Objection,
    by: User,
    decision: str,
    reason: str,
    outcome: str = "",
) -> Objection:
    """Staff decide an objection. Upheld → the application is returned or rejected with the
    reason, and the notice ends; dismissed → the reason is recorded. The operator is told."""
    if by.role != Role.STAFF:
        raise PermissionDenied
    reason = require_reason(reason)
    if decision not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED):
        raise ValidationError(
            {"decision": _("Choose whether the objection is upheld or dismissed.")}
        )
    if decision == ObjectionStatus.UPHELD and outcome not in UpheldOutcome.values:
        raise ValidationError(
            {"outcome": _("An upheld objection returns or rejects the application: choose which.")}
        )
    now = timezone.now()
    claim(
        Objection.objects.filter(pk=objection.pk),
        sources=[ObjectionStatus.OPEN],
        status=decision,
        outcome=outcome if decision == ObjectionStatus.UPHELD else "",
        resolution=reason,
        resolved_by=by,
        resolved_at=now,
    )
    objection.refresh_from_db()
    notice = objection.notice
    application = notice.application
    audit.record(
        f"application.objection_{decision}",
        actor=by,
        obj=application,
        objection=objection.pk,
        outcome=objection.outcome,
        reason=reason,
    )
    if decision == ObjectionStatus.UPHELD:
        _end_notice_upheld(notice, objection=objection, by=by, reason=reason, now=now)
    with portal_language():
        if decision == ObjectionStatus.UPHELD:
            message = _("An objection to %(unit)s during its public notice was upheld: %(reason)s")
        else:
            message = _(
                "An objection to %(unit)s during its public notice was dismissed: %(reason)s"
            )
        message = message % {"unit": application.unit.name, "reason": reason}
    notify(
        _operators(application),
        message=message,
        link=reverse("workspace-application", args=[application.pk]),
        key=f"objection:{objection.pk}:resolved",
    )
    return objection


def _end_notice_upheld(
    notice: PublicNotice, *, objection: Objection, by: User, reason: str, now: dt.datetime
) -> None:
    target = S.DRAFT if objection.outcome == UpheldOutcome.RETURN else S.REJECTED
    fields: dict[str, Any] = {"staff_note": reason}
    if target == S.REJECTED:
        fields["decided_at"] = now
    services._transition(
        notice.application,
        by=by,
        sources={S.NOTICE},
        target=target,
        version=None,
        reason=reason,
        **fields,
    )
    PublicNotice.objects.filter(pk=notice.pk).update(closed_at=now)
    # Nothing is left to decide on the others: the application is no longer in notice.
    Objection.objects.filter(notice=notice, status=ObjectionStatus.OPEN).update(
        status=ObjectionStatus.CLOSED,
        resolution=_("The notice ended when another objection was upheld."),
        resolved_by=by,
        resolved_at=now,
    )


def objection_unmask(*, objection: Objection, by: User, reason: str, request: Any = None) -> str:
    """The objector's contact in clear, for a stated reason that the audit log keeps."""
    application = objection.notice.application
    if not by.has_perm("units.unmask_objector"):
        audit.record(
            "application.objection_unmask",
            request=request,
            actor=by,
            obj=application,
            outcome=audit.Outcome.DENIED,
        )
        raise ValidationError(_("You may not see objectors' contacts."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("State why you need to see the objector's contact.")})
    audit.record(
        "application.objection_unmask",
        request=request,
        actor=by,
        obj=application,
        objection=objection.pk,
        reason=reason,
    )
    return objection.contact


def mask_contact(value: str) -> str:
    """An objector's contact as staff see it by default: a phone masked like a complainant's,
    an e-mail address to its first character and domain, anything else like a name."""
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        local, _at, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if sum(ch.isdigit() for ch in value) >= 7:
        return mask_phone(value)
    return mask_name(value)


# --- The certificate ----------------------------------------------------------------------------


def issue_blockers(notice: PublicNotice | None, today: dt.date) -> list[str]:
    """Why the certificate cannot be issued today (empty: it can)."""
    if notice is None or notice.closed_at is not None:
        return [_("The application is not in public notice.")]
    blockers = []
    if today <= notice.ends_on:
        blockers.append(
            _("The public notice runs until %(date)s; the certificate can be issued from %(next)s.")
            % {"date": notice.ends_on.isoformat(), "next": notice.issue_from.isoformat()}
        )
    open_count = notice.objections.filter(status=ObjectionStatus.OPEN).count()
    if open_count:
        blockers.append(
            _("%(count)d objection(s) must be resolved before the certificate is issued.")
            % {"count": open_count}
        )
    return blockers


@transaction.atomic
def certificate_issue(
    *, application: DemonstrationApplication, by: User | None, today: dt.date | None = None
) -> DemonstrationApplication:
    """Issue the certificate of an application whose notice has ended with nothing open.

    ``by`` is None when the daily job issues it: the timeline names the staff member who approved
    (the decision was theirs) and the audit event names the system.
    """
    today = today or timezone.localdate()
    if by is not None and by.role != Role.STAFF:
        raise PermissionDenied
    # The row lock orders two issuers (the job and a staff member); the conditional UPDATE
    # below lets exactly one of them win.
    notice = (
        PublicNotice.objects.select_for_update()
        .filter(application=application, closed_at__isnull=True)
        .first()
    )
    blockers = issue_blockers(notice, today)
    if blockers:
        raise ValidationError(blockers, code="not_issuable")
    assert notice is not None
    claim(
        DemonstrationApplication.objects.filter(pk=application.pk),
        sources=[S.NOTICE],
        status=S.APPROVED,
        updated_at=timezone.now(),
    )
    application.refresh_from_db()
    number = services.next_certificate_number(application.year)
    DemonstrationApplication.objects.filter(pk=application.pk).update(certificate_no=number)
    application.certificate_no = number
    PublicNotice.objects.filter(pk=notice.pk).update(closed_at=timezone.now())
    ApplicationEvent.objects.create(
        application=application,
        from_status=S.NOTICE,
        to_status=S.APPROVED,
        actor=by or notice.opened_by,
        reason=_("Certificate %(number)s issued after the public notice.") % {"number": number},
    )
    valid_from, valid_until = application.valid_from, application.valid_until
    assert valid_from is not None and valid_until is not None
    claim(
        Unit.objects.filter(pk=application.unit_id),
        demonstration_status=DemonstrationStatus.APPROVED,
        certificate_no=number,
        certified_from=valid_from,
        certified_until=valid_until,
        status_reason="",
    )
    audit.record(
        "application.approved",
        actor=by,
        username="" if by else "system",
        obj=application,
        from_status=S.NOTICE,
        certificate_no=number,
    )
    audit.record(
        "unit.demonstration_approved",
        actor=by,
        username="" if by else "system",
        obj=application.unit,
        certificate_no=number,
        valid_until=valid_until.isoformat(),
    )
    with portal_language():
        message = _("The demonstration certificate %(number)s of %(unit)s was issued.") % {
            "number": number,
            "unit": application.unit.name,
        }
    notify(
        _operators(application),
        message=message,
        link=reverse("workspace-application", args=[application.pk]),
        key=f"application:{application.pk}:certificate:{number}",
    )
    return application


def certificates_issue_due(*, today: dt.date | None = None) -> int:
    """The daily job: issue every certificate whose notice has ended with nothing open.

    Each in its own transaction, so one refusal (an objection lodged at the last minute, a staff
    member who issued it a moment earlier) does not hold up the others. Idempotent.
    """
    today = today or timezone.localdate()
    due = (
        PublicNotice.objects.filter(
            closed_at__isnull=True, ends_on__lt=today, application__status=S.NOTICE
        )
        .exclude(objections__status=ObjectionStatus.OPEN)
        .select_related("application__unit")
        .order_by("ends_on", "pk")
    )
    issued = 0
    for notice in list(due):
        try:
            certificate_issue(application=notice.application, by=None, today=today)
        except ValidationError:
            continue
        issued += 1
    return issued
