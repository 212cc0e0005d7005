"""The report's complaints section: received by channel and category, outcomes, money recovered,
the businesses most often conceding, and complaints per jurisdiction. No personal data is read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from complaints.models import OPEN_STATUSES, Channel, Complaint, Kind, Outcome, Status
from complaints.models import Category as ComplaintCategory
from lyushunkou.access import within
from lyushunkou.models import Jurisdiction
from scoring.periods import Period
from scoring.reports.data.formatting import _counts
from scoring.reports.data.scope import _aware

TOP_RESPONDENTS = 10


def _complaints(
    period: Period, jurisdiction: Jurisdiction | None, as_of: dt.date, top: dict[int, Jurisdiction]
) -> dict[str, Any]:
    scoped = Complaint.objects.filter(within(jurisdiction))
    received = scoped.filter(
        received_at__gte=_aware(period.start), received_at__lt=_aware(period.end + dt.timedelta(1))
    )
    complaints = received.filter(kind=Kind.COMPLAINT)
    by_channel = _counts(
        complaints.values("channel").annotate(n=Count("id")).order_by(), "channel", Channel.choices
    )
    by_category = _counts(
        complaints.values("category").annotate(n=Count("id")).order_by(),
        "category",
        ComplaintCategory.choices,
    )
    totals = received.aggregate(
        complaints=Count("id", filter=Q(kind=Kind.COMPLAINT)),
        reports=Count("id", filter=Q(kind=Kind.REPORT)),
        overdue=Count(
            "id",
            filter=Q(kind=Kind.COMPLAINT, status__in=OPEN_STATUSES, current_due__lt=as_of),
        ),
        still_open=Count("id", filter=Q(kind=Kind.COMPLAINT, status__in=OPEN_STATUSES)),
    )
    concluded = scoped.filter(
        kind=Kind.COMPLAINT,
        status=Status.CONCLUDED,
        concluded_on__gte=period.start,
        concluded_on__lte=period.end,
    )
    outcomes = _counts(
        concluded.values("outcome").annotate(n=Count("id")).order_by(),
        "outcome",
        [(value, label) for value, label in Outcome.choices if value != Outcome.REFUSED],
    )
    recovered = concluded.aggregate(total=Sum("amount_recovered"))["total"] or Decimal(0)
    # Respondents are businesses; a complaint mediated successfully is one whose claim the
    # business conceded: "substantiated" in this report.
    top_rows = (
        concluded.filter(outcome=Outcome.MEDIATED)
        .values("respondent_name")
        .annotate(n=Count("id"))
        .order_by("-n", "respondent_name")[:TOP_RESPONDENTS]
    )
    by_jurisdiction: Counter[int] = Counter()
    if jurisdiction is None:
        for row in (
            complaints.values("jurisdiction_id", "jurisdiction__parent_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (
                row["jurisdiction_id"]
                if row["jurisdiction_id"] in top
                else row["jurisdiction__parent_id"]
            )
            by_jurisdiction[key] += row["n"]
    return {
        "received": totals["complaints"],
        "reports": totals["reports"],
        "overdue": totals["overdue"],
        "still_open": totals["still_open"],
        "by_channel": by_channel,
        "by_category": by_category,
        "outcomes": outcomes,
        "concluded": sum(row["n"] for row in outcomes),
        "amount_recovered": recovered,
        "amount_recovered_text": f"{recovered:,.2f}",
        "top_respondents": [{"name": row["respondent_name"], "n": row["n"]} for row in top_rows],
        "by_jurisdiction": by_jurisdiction,
    }
