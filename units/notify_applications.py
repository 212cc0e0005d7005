"""Who waits for a demonstration application's move, and what they are told (docs/notifications.md).

``services._transition`` calls ``tell_application_moved`` for every move it claims, inside the
same transaction: a submission goes to the staff whose scope covers the unit (on the page where
they review it); a return or a rejection goes to the operator (on the application's page in their
workspace, where they change and resubmit it). Approval is told by ``services_notice.notice_open``
(the application goes into public notice) and the certificate by ``certificate_issue``; a move
out of the notice comes from an upheld objection, which ``objection_resolve`` tells.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lyushunkou.notifications import notify, portal_language, staff_covering
from units.models import ApplicationStatus, DemonstrationApplication

S = ApplicationStatus


def tell_application_moved(
    application: DemonstrationApplication, *, source: str, target: str, reason: str
) -> int:
    """Notify whoever now has to act on ``application``; returns how many were told.

    Keys carry the application's version, so a resubmission after a return is told again while
    the same move is never told twice.
    """
    unit = application.unit
    facts = {"unit": unit.name, "year": application.year, "reason": reason}
    if target == S.SUBMITTED:
        with portal_language():
            message = (
                _(
                    "%(unit)s applied for demonstration-unit status for %(year)s; the application "
                    "awaits your review."
                )
                % facts
            )
        return notify(
            staff_covering(unit.jurisdiction),
            message=message,
            link=reverse("application-detail", args=[application.pk]),
            key=f"application:{application.pk}:submitted:{application.version}",
        )
    if source == S.NOTICE or target not in (S.DRAFT, S.REJECTED):
        return 0
    owner = unit.owner
    if owner is None or not owner.is_active:
        return 0
    with portal_language():
        if target == S.DRAFT:
            message = _(
                "Your demonstration application for %(unit)s (%(year)s) was returned for "
                "changes: %(reason)s"
            )
        else:
            message = _(
                "Your demonstration application for %(unit)s (%(year)s) was rejected: %(reason)s"
            )
        message = message % facts
    return notify(
        [owner],
        message=message,
        link=reverse("workspace-application", args=[application.pk]),
        key=f"application:{application.pk}:{'returned' if target == S.DRAFT else 'rejected'}:"
        f"{application.version}",
    )
