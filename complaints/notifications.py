"""Who waits for a complaint's step, and what they are told (docs/notifications.md).

The steps in ``complaints.services`` call these inside their transaction. An operator hears only
of complaints forwarded to them (the only ones ``complaints.access`` shows them, never a report),
on the complaint's page in their workspace; staff hear on the complaint's page, the handler first
(``overdue.responsible_staff``). Messages are written in the portal's language: they are stored
and read later by someone else than whoever caused them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.models import Complaint, Kind
from complaints.overdue import responsible_staff
from lyushunkou.models import User
from lyushunkou.notifications import notify, portal_language


def _operator(complaint: Complaint) -> User | None:
    """The respondent unit's operator, if the complaint reached them (forwarded, not a report)."""
    unit = complaint.unit
    if complaint.kind != Kind.COMPLAINT or complaint.odr_forwarded_on is None or unit is None:
        return None
    owner = unit.owner
    return owner if owner is not None and owner.is_active else None


def _for_operator(complaint: Complaint) -> str:
    return reverse("workspace-complaint", args=[complaint.pk])


def _for_staff(complaint: Complaint) -> str:
    return reverse("complaint-detail", args=[complaint.pk])


def tell_forwarded(complaint: Complaint) -> int:
    """To the operator: a complaint awaits their answer within the period."""
    operator = _operator(complaint)
    if operator is None:
        return 0
    with portal_language():
        message = _("A consumer complaint against %(unit)s awaits your response.") % {
            "unit": complaint.respondent_name
        }
    return notify(
        [operator],
        message=message,
        link=_for_operator(complaint),
        key=f"complaint:{complaint.pk}:odr",
    )


def tell_answered(complaint: Complaint) -> int:
    """To the staff handling it: the operator answered, the complaint is back with them."""
    with portal_language():
        message = _(
            "The operator of %(unit)s answered complaint %(no)s; it is back with you to mediate "
            "or conclude."
        ) % {"unit": complaint.respondent_name, "no": complaint.record_no}
    return notify(
        responsible_staff(complaint),
        message=message,
        link=_for_staff(complaint),
        key=f"complaint:{complaint.pk}:answered",
    )


def tell_escalated(complaint: Complaint) -> int:
    """To the staff handling it: the operator let the period pass without answering."""
    with portal_language():
        message = _("Complaint %(no)s came back from the operator unanswered.") % {
            "no": complaint.record_no
        }
    return notify(
        responsible_staff(complaint),
        message=message,
        link=_for_staff(complaint),
        key=f"complaint:{complaint.pk}:escalated",
    )


def tell_concluded(complaint: Complaint) -> int:
    """To the operator it was forwarded to: how it ended. Keyed by version, since a complaint
    reopened and concluded again ends twice."""
    operator = _operator(complaint)
    if operator is None:
        return 0
    with portal_language():
        message = _("Complaint %(no)s against %(unit)s was concluded: %(outcome)s.") % {
            "no": complaint.record_no,
            "unit": complaint.respondent_name,
            "outcome": complaint.get_outcome_display(),
        }
    return notify(
        [operator],
        message=message,
        link=_for_operator(complaint),
        key=f"complaint:{complaint.pk}:concluded:{complaint.version}",
    )
