"""Tell the responsible staff, once, about each complaint whose current clock has run out."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import OPEN_STATUSES, Complaint
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify


def responsible_staff(complaint: Complaint) -> list[User]:
    """The handler; failing that, the active staff of its street, then district-wide staff."""
    if complaint.handler_id and complaint.handler and complaint.handler.is_active:
        return [complaint.handler]
    staff = User.objects.filter(role=Role.STAFF, is_active=True)
    street = list(staff.filter(jurisdiction=complaint.jurisdiction_id))
    return street or list(staff.filter(jurisdiction__isnull=True))


def flag_overdue(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    created = 0
    overdue = Complaint.objects.filter(
        Q(status__in=OPEN_STATUSES), current_due__lt=today
    ).select_related("handler")
    for complaint in overdue.iterator(chunk_size=500):
        created += notify(
            responsible_staff(complaint),
            message=_("Complaint %(no)s is overdue: %(clock)s was due on %(date)s.")
            % {
                "no": complaint.record_no,
                "clock": complaint.get_current_clock_display(),
                "date": complaint.current_due.isoformat() if complaint.current_due else "",
            },
            link=reverse("complaint-detail", args=[complaint.pk]),
            key=f"complaint:{complaint.pk}:overdue:{complaint.current_clock}",
        )
    return created
