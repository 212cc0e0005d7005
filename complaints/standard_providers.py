"""The complaints rule of the demonstration-unit standard (``units.extensions``): the unit's own
handling of the complaints forwarded to it through ODR (在线消费纠纷解决) over the last months.

Handling rate: answered ÷ forwarded. Reconciliation rate: settled by the operator ÷ forwarded.
A complaint still with the operator and within its response period is not yet counted either
way. Below ``min_complaints`` counted complaints there is too little to judge: "no data".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.models import Complaint, Kind, OdrResponse, Status
from units.extensions import CriterionResult, CriterionStatus, RecordLink
from units.models import Unit
from units.standard import months_ago

RECORD_LIMIT = 10


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def complaint_handling_rule(
    unit: Unit, params: Mapping[str, Any], today: dt.date
) -> CriterionResult:
    months = int(params.get("months", 12))
    rows = list(
        Complaint.objects.filter(
            unit=unit,
            kind=Kind.COMPLAINT,
            odr_forwarded_on__gte=months_ago(today, months),
            odr_forwarded_on__lte=today,
        )
        .order_by("-odr_forwarded_on", "-id")
        .values_list("pk", "record_no", "status", "odr_response", "odr_due")
    )
    counted = [
        row
        for row in rows
        if not (row[2] == Status.ODR and not row[3] and (row[4] is None or row[4] >= today))
    ]
    figures = {"months": months, "count": len(counted)}
    minimum = int(params.get("min_complaints", 3))
    if len(counted) < minimum:
        return CriterionResult(
            CriterionStatus.NO_DATA,
            _(
                "%(count)s complaints forwarded for settlement by the business itself (within 10 "
                "working days) in the last %(months)s months: fewer than %(minimum)s, too few to "
                "judge."
            )
            % {**figures, "minimum": minimum},
        )
    handled = sum(1 for row in counted if row[3])
    settled = sum(1 for row in counted if row[3] == OdrResponse.SETTLED)
    handling, reconciliation = _rate(handled, len(counted)), _rate(settled, len(counted))
    need_handling = Decimal(str(params.get("handling_rate", 100)))
    need_reconciliation = Decimal(str(params.get("reconciliation_rate", 90)))
    met = handling >= need_handling and reconciliation > need_reconciliation
    records = tuple(
        RecordLink(
            str(record_no),
            reverse("complaint-detail", args=[pk]),
            reverse("workspace-complaint", args=[pk]),
        )
        for pk, record_no, _status, response, _due in counted
        if response != OdrResponse.SETTLED
    )[:RECORD_LIMIT]
    return CriterionResult(
        CriterionStatus.MET if met else CriterionStatus.NOT_MET,
        _(
            "%(count)s complaints forwarded for settlement by the business itself (within 10 "
            "working days) in the last %(months)s months: handling rate %(handling)s%% "
            "(required %(need_handling)s%%), reconciliation rate %(reconciliation)s%% (required "
            "above %(need_reconciliation)s%%)."
        )
        % {
            **figures,
            "handling": handling,
            "need_handling": need_handling,
            "reconciliation": reconciliation,
            "need_reconciliation": need_reconciliation,
        },
        records,
    )


def register() -> None:
    from units.extensions import register_standard_rule

    register_standard_rule("complaint_handling", complaint_handling_rule)
