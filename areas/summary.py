"""A year's verdicts in brief, cached, for the leaders' dashboard (issue 14: the dashboard's query
count stays small and constant; issue 21 item 3: the verdict is shown on the dashboard).

Judging a year reads eight kinds of records (``areas.facts``); the dashboard is opened far more
often than those records change. ``year_summary`` keeps each place's verdict and the verdict issued
in force in the cache under a key made of the year and a *stamp* of every input the verdicts read
(the count and latest change of the year's item records, activities, communities, network points,
active streets, active items, evaluated targets and issued verdicts), read in one query. Any write
through the portal (a service, an import, scoring's evaluation of the targets, an issued verdict)
moves the stamp, so the next load judges again; otherwise a load costs that one query.
``SUMMARY_TTL`` bounds the life of an entry for changes made outside the portal's write paths (an
item's parameters edited from a shell), which the stamp cannot see.

The complaints received by channel only add words to the "complaint channels open" item, never
its status, so the summary judges without them (no year of complaints grouped per load).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Aggregate, Count, Max, QuerySet, Subquery, Sum, Value

from areas.facts import load_facts
from areas.models import (
    AreaActivity,
    AreaConfirmation,
    AreaCriterion,
    Community,
    NetworkPoint,
    Verdict,
)
from areas.models_assessment import AreaVerdict
from areas.standard import district_report
from lyushunkou.models import Jurisdiction
from scoring.models import TargetResult

SUMMARY_TTL = 15 * 60  # seconds
CACHE_PREFIX = "areas:year-summary:v2"


@dataclass(frozen=True)
class Issued:
    """The verdict issued in force for a place: what the dashboard's card shows of it."""

    verdict: str
    number: int
    issued_on: dt.date

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)


@dataclass(frozen=True)
class PlaceVerdict:
    pk: int
    verdict: str  # a ``Verdict`` value

    @property
    def as_verdict(self) -> Verdict:
        return Verdict(self.verdict)


@dataclass(frozen=True)
class YearSummary:
    year: int
    district: PlaceVerdict  # the district's verdict: its own items and every street's
    streets: tuple[PlaceVerdict, ...]  # every active street, in order
    issued: dict[int, Issued]  # by jurisdiction id

    def streets_read_by(self, place_ids: set[int]) -> list[PlaceVerdict]:
        return [street for street in self.streets if street.pk in place_ids]


def _scalar(qs: QuerySet[Any], aggregate: Aggregate) -> Subquery:
    """``aggregate`` over the whole of ``qs`` as a scalar subquery: grouped by a constant, which
    Django leaves out of GROUP BY, so the subquery gives one row."""
    return Subquery(
        qs.order_by().annotate(_one=Value(1)).values("_one").annotate(v=aggregate).values("v")
    )


def _stamp_query(year: int) -> QuerySet[Any, Any]:
    """The one-row query of the counts and latest changes of every input of the year's
    verdicts."""
    confirmations = AreaConfirmation.objects.filter(year=year)
    activities = AreaActivity.objects.filter(held_on__year=year)
    targets = TargetResult.objects.filter(period=str(year))
    verdicts = AreaVerdict.objects.filter(year=year)
    criteria = AreaCriterion.objects.filter(active=True)
    streets = Jurisdiction.objects.filter(active=True, kind=Jurisdiction.Kind.STREET)
    parts = {
        "confirmations": _scalar(confirmations, Count("pk")),
        "confirmations_changed": _scalar(confirmations, Max("recorded_at")),
        "confirmations_versions": _scalar(confirmations, Sum("version")),
        "activities": _scalar(activities, Count("pk")),
        "activities_last": _scalar(activities, Max("pk")),
        "communities": _scalar(Community.objects.all(), Count("pk")),
        "communities_changed": _scalar(Community.objects.all(), Max("updated_at")),
        "points": _scalar(NetworkPoint.objects.all(), Count("pk")),
        "points_changed": _scalar(NetworkPoint.objects.all(), Max("updated_at")),
        # Jurisdictions keep no time of change: the set of active streets is what counts.
        "streets": _scalar(streets, Count("pk")),
        "streets_ids": _scalar(streets, Sum("pk")),
        "criteria": _scalar(criteria, Count("pk")),
        "criteria_last": _scalar(criteria, Max("pk")),
        "criteria_order": _scalar(criteria, Sum("order")),
        "targets": _scalar(targets, Count("pk")),
        "targets_changed": _scalar(targets, Max("evaluated_at")),
        "verdicts": _scalar(verdicts, Count("pk")),
        "verdicts_last": _scalar(verdicts, Max("pk")),
    }
    return Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).order_by().values(**parts)


@functools.lru_cache(maxsize=16)
def _stamp_sql(alias: str, year: int) -> tuple[str, tuple[Any, ...]]:
    # Compiling eighteen subqueries costs more than running them (~15 ms against under 1 ms on
    # the demo data): the SQL of a year is compiled once per database and process.
    sql, params = _stamp_query(year).query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def stamp(year: int) -> str:
    """A digest of every input of the year's verdicts, in one query: it changes whenever the
    portal adds or changes any of them. Read where the router sends reads (the replica inside
    ``use_replica``)."""
    alias = router.db_for_read(Jurisdiction)
    sql, params = _stamp_sql(alias, year)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


def _issued(year: int) -> dict[int, Issued]:
    latest: dict[int, Issued] = {}
    for place_id, verdict, number, issued_on in (
        AreaVerdict.objects.filter(year=year)
        .order_by("place_id", "number")
        .values_list("place_id", "verdict", "number", "issued_on")
    ):
        latest[place_id] = Issued(verdict=verdict, number=number, issued_on=issued_on)
    return latest


def judge_year(year: int) -> YearSummary:
    """Every place's verdict for the year, judged now (ten queries, however many records)."""
    report = district_report(year, facts=load_facts(year, complaints=False))
    district = report.own.place
    return YearSummary(
        year=year,
        district=PlaceVerdict(district.pk, str(report.verdict)),
        streets=tuple(PlaceVerdict(s.place.pk, str(s.verdict)) for s in report.streets),
        issued=_issued(year),
    )


def year_summary(year: int) -> YearSummary:
    """The year's verdicts from the cache while their inputs are unchanged (one query), judged
    again and cached when any changed."""
    key = f"{CACHE_PREFIX}:{year}:{stamp(year)}"
    found = cache.get(key)
    if isinstance(found, YearSummary):
        return found
    summary = judge_year(year)
    cache.set(key, summary, SUMMARY_TTL)
    return summary
