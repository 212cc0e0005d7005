"""The summary table ``TargetResult`` the dashboard and the reports read: writing one evaluation
(``store``) and re-evaluating every scope of a period (``refresh``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lyushunkou.models import Jurisdiction
from scoring.models import DemonstrationArea, Target, TargetResult
from scoring.periods import Period
from scoring.targets.evaluation import evaluate_scope


def _decimal(value: Any, places: int) -> Decimal | None:
    if value is None:
        return None
    return round(Decimal(str(value)), places)


def _result_rows(result: dict[str, Any], evaluated_at: dt.datetime) -> list[TargetResult]:
    return [
        TargetResult(
            period=result["period"],
            scope_code=result["scope"],
            key=row["key"],
            label=row["label"],
            numerator=_decimal(row["numerator"], 4),
            denominator=_decimal(row["denominator"], 4),
            value=_decimal(row["value"], 6),
            comparator=row["comparator"],
            threshold=_decimal(row["threshold"], 4),
            met=row["met"],
            detail=row["detail"],
            order=order,
            evaluated_at=evaluated_at,
        )
        for order, row in enumerate(result["targets"], 1)
    ]


RESULT_FIELDS = [
    "label",
    "numerator",
    "denominator",
    "value",
    "comparator",
    "threshold",
    "met",
    "detail",
    "order",
    "evaluated_at",
]


@transaction.atomic
def _upsert(period_key: str, results: list[dict[str, Any]], evaluated_at: dt.datetime) -> int:
    """Insert or update the rows of the results; delete rows of those scopes and the period whose
    target no longer applies (deactivated, or a demonstration-area target of a former area)."""
    rows = [row for result in results for row in _result_rows(result, evaluated_at)]
    TargetResult.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["period", "scope_code", "key"],
        update_fields=RESULT_FIELDS,
    )
    kept = {(row.scope_code, row.key) for row in rows}
    existing = TargetResult.objects.filter(
        period=period_key, scope_code__in=[result["scope"] for result in results]
    ).values_list("pk", "scope_code", "key")
    stale = [pk for pk, code, key in existing if (code, key) not in kept]
    if stale:
        TargetResult.objects.filter(pk__in=stale).delete()
    return len(rows)


def store(result: dict[str, Any]) -> int:
    """Write one result of ``evaluate`` to ``TargetResult``; returns the number of rows written."""
    evaluated_at = dt.datetime.fromisoformat(result["evaluated_at"])
    return _upsert(result["period"], [result], evaluated_at)


def refresh(period: Period, *, today: dt.date | None = None) -> int:
    """Evaluate the district and every active jurisdiction for the period and upsert their
    ``TargetResult`` rows; returns the number of rows written. Two queries for the targets and
    the demonstration areas, then a constant number per scope, then the write."""
    today = today or timezone.localdate()
    now = timezone.now()
    targets = list(Target.objects.filter(active=True))
    designated = dict(DemonstrationArea.objects.values_list("jurisdiction_id", "designated_on"))
    scopes: list[Jurisdiction | None] = [None]
    scopes += list(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )
    results = [
        evaluate_scope(period, scope, targets=targets, designated=designated, today=today, now=now)
        for scope in scopes
    ]
    return _upsert(period.key, results, now)
