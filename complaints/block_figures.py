"""The complaint figures of a demonstration block or industry (``units.extensions``).

Over the complaints (举报 excluded) against the member units received in the period: how many were
received, how many are concluded, and the handling rate, defined as the district's
(complaints.figures): concluded ÷ (received − still open and within their legal time limit). A
complaint whose respondent is not linked to a registered unit counts for no block.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import OPEN_STATUSES, Complaint, Kind, Status
from lyushunkou.figures import figure
from units.extensions import BlockFigure, BlockFigureSource, register_block_figures
from units.models import Unit


def block_complaint_figures(
    units: QuerySet[Unit], start: dt.date, end: dt.date, today: dt.date
) -> list[BlockFigure]:
    """One aggregate query; ``units`` stays a subquery."""
    tz = timezone.get_current_timezone()
    received_from = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    received_until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    row = Complaint.objects.filter(
        unit__in=units.values("pk"),
        kind=Kind.COMPLAINT,
        received_at__gte=received_from,
        received_at__lt=received_until,
    ).aggregate(
        received=Count("id"),
        concluded=Count("id", filter=Q(status__in=(Status.CONCLUDED, Status.REFUSED))),
        open_within_limit=Count(
            "id",
            filter=Q(status__in=OPEN_STATUSES)
            & (Q(current_due__gte=today) | Q(current_due__isnull=True)),
        ),
    )
    return [
        BlockFigure("complaints_received", _("Complaints received"), count=row["received"]),
        BlockFigure("complaints_concluded", _("Complaints concluded"), count=row["concluded"]),
        BlockFigure(
            "complaint_handling_rate",
            _("Complaint handling rate"),
            rate=figure(row["concluded"], row["received"] - row["open_within_limit"]),
            note=_("Concluded ÷ received, less those still open within their time limit."),
        ),
    ]


def register() -> None:
    register_block_figures(
        BlockFigureSource("complaints", _("Complaints"), block_complaint_figures, order=10)
    )
