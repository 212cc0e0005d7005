"""The complaint figures of the district targets (DESIGN.md §6), as SQL aggregates.

For a period [start, end] and a scope (the district, or one jurisdiction and those below it):

- handling rate = concluded ÷ (received − still open and within their legal time limit), over
  complaints received in the period; an open complaint past its limit stays in the denominator.
- resolution rate = (mediated successfully + mediation terminated because the parties settled) ÷
  (mediated + mediation failed + terminated), over complaints concluded in the period. The Art. 21
  ground "withdrawn or settled by the parties" (``TerminationGround.SETTLED``) is the settled one:
  a complainant who withdraws is recorded with the outcome 撤回 (``Outcome.WITHDRAWN``), which is in
  neither the numerator nor the denominator (DESIGN.md §6, updated).
- satisfaction rate = (满意 + 基本满意) ÷ answered callbacks (未评价 excluded), over complaints
  concluded in the period.

Reports (举报) are not complaints and count in none of them. Every figure is
lyushunkou.figures.figure(): numerator, denominator and the value as a fraction, None when the
denominator is zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from complaints.models import (
    OPEN_STATUSES,
    Complaint,
    Kind,
    Outcome,
    Satisfaction,
    Status,
    TerminationGround,
)
from lyushunkou.access import within
from lyushunkou.figures import figure
from lyushunkou.models import Jurisdiction


def _scoped(jurisdiction: Jurisdiction | None) -> QuerySet[Complaint]:
    return Complaint.objects.filter(within(jurisdiction), kind=Kind.COMPLAINT)


def complaint_figures(
    *,
    start: dt.date,
    end: dt.date,
    jurisdiction: Jurisdiction | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    received_from = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    received_until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    scoped = _scoped(jurisdiction)
    received = scoped.filter(received_at__gte=received_from, received_at__lt=received_until)
    handling = received.aggregate(
        received=Count("id"),
        concluded=Count("id", filter=Q(status__in=(Status.CONCLUDED, Status.REFUSED))),
        open_within_limit=Count(
            "id",
            filter=Q(status__in=OPEN_STATUSES)
            & (Q(current_due__gte=today) | Q(current_due__isnull=True)),
        ),
    )
    concluded = scoped.filter(
        status=Status.CONCLUDED, concluded_on__gte=start, concluded_on__lte=end
    ).aggregate(
        mediated=Count("id", filter=Q(outcome=Outcome.MEDIATED)),
        failed=Count("id", filter=Q(outcome=Outcome.FAILED)),
        terminated=Count("id", filter=Q(outcome=Outcome.TERMINATED)),
        settled=Count(
            "id",
            filter=Q(outcome=Outcome.TERMINATED, termination_ground=TerminationGround.SETTLED),
        ),
        recovered=Sum("amount_recovered"),
        satisfied=Count(
            "id", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASICALLY))
        ),
        answered=Count(
            "id",
            filter=Q(
                satisfaction__in=(
                    Satisfaction.SATISFIED,
                    Satisfaction.BASICALLY,
                    Satisfaction.DISSATISFIED,
                )
            ),
        ),
    )
    handling_denominator = handling["received"] - handling["open_within_limit"]
    resolution_denominator = concluded["mediated"] + concluded["failed"] + concluded["terminated"]
    return {
        "received": handling["received"],
        "amount_recovered": concluded["recovered"] or Decimal("0"),
        "complaint_handling_rate": figure(handling["concluded"], handling_denominator),
        "complaint_resolution_rate": figure(
            concluded["mediated"] + concluded["settled"], resolution_denominator
        ),
        "complaint_satisfaction_rate": figure(concluded["satisfied"], concluded["answered"]),
    }


def survey_figures(
    *, start: dt.date, end: dt.date, jurisdiction: Jurisdiction | None = None
) -> dict[str, Any]:
    """Awareness, recognition and life-services satisfaction from the consumer survey."""
    from complaints.models import SurveyResponse

    qs = SurveyResponse.objects.filter(
        within(jurisdiction), answered_on__gte=start, answered_on__lte=end
    )
    counts = qs.aggregate(
        respondents=Count("id"),
        n_aware=Count("id", filter=Q(aware=True)),
        n_approve=Count("id", filter=Q(aware=True, approves=True)),
        n_satisfied=Count("id", filter=Q(life_services__in=("satisfied", "basically"))),
    )
    return {
        "programme_awareness_rate": figure(counts["n_aware"], counts["respondents"]),
        "programme_recognition_rate": figure(counts["n_approve"], counts["n_aware"]),
        "life_services_satisfaction": figure(counts["n_satisfied"], counts["respondents"]),
    }
