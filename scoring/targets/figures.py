"""The figures behind the targets for a period and a scope: the apps' selectors
(``complaints.figures``, ``inspections.figures``) plus the 12315 station coverage of
demonstration units, computed here with one aggregate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from complaints.figures import complaint_figures, survey_figures
from inspections.figures import sampling_figures
from inspections.models import SamplingType
from lyushunkou.access import within
from lyushunkou.models import Jurisdiction
from scoring.periods import Period
from scoring.targets.definitions import DEMONSTRATION_STATUSES, TARGET_KEYS
from units.models import Unit


def station_figures(*, as_of: dt.date, jurisdiction: Jurisdiction | None) -> dict[str, Any]:
    """Valid demonstration units (approved or in warning, not revoked, their certificate valid on
    ``as_of``: issued by then and not expired) with an active 12315 station registered by
    ``as_of`` ÷ valid demonstration units, in one aggregate.

    The demonstration status is today's: a unit revoked since then no longer counts for a past
    period, and one certified after the period's end does not count for it either.
    """
    row = (
        Unit.objects.filter(within(jurisdiction))
        .filter(demonstration_status__in=DEMONSTRATION_STATUSES)
        .filter(Q(certified_from__isnull=True) | Q(certified_from__lte=as_of))
        .filter(Q(certified_until__isnull=True) | Q(certified_until__gte=as_of))
        .aggregate(
            units=Count("pk"),
            stations=Count("pk", filter=Q(station__active=True, station__registered_on__lte=as_of)),
        )
    )
    return _figure(row["stations"], row["units"])


def _figure(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator / denominator if denominator else None,
    }


def _no_data_figures() -> dict[str, Any]:
    """The figures of a period that has not started: every denominator is zero."""
    empty = {key: _figure(0, 0) for key in TARGET_KEYS}
    empty["food_sampling_per_thousand"] = {"numerator": 0, "denominator": None, "value": None}
    empty["problem_detection_rate"] = {
        sampling_type: {"current": _figure(0, 0), "previous": _figure(0, 0)}
        for sampling_type in SamplingType.values
    }
    return empty


def collect_figures(
    period: Period, jurisdiction: Jurisdiction | None, *, today: dt.date
) -> dict[str, Any]:
    """Every figure of the scope for the period, keyed by target key; a constant number of
    queries (two for complaints, one for the survey, one or two for sampling, one for stations)."""
    as_of = period.as_of(today)
    if as_of < period.start:
        return _no_data_figures()
    window: dict[str, Any] = {"start": period.start, "end": as_of, "jurisdiction": jurisdiction}
    figures: dict[str, Any] = {}
    figures.update(complaint_figures(**window, today=today))
    figures.update(survey_figures(**window))
    figures.update(sampling_figures(**window))
    figures["station_coverage"] = station_figures(as_of=as_of, jurisdiction=jurisdiction)
    return figures
