"""The leader dashboard of one period and scope, materialised: the figures, the streets ranked by
targets missed, the grade distribution, the counters of units in warning and of overdue complaints
and disposals, and the charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from complaints.access import complaints_for_user
from complaints.models import OPEN_STATUSES
from inspections.access import batches_for_user
from inspections.selectors import overdue_condition, with_disposal_state
from lyushunkou.access import within
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.models import Grade, GradeSummary, TargetResult
from scoring.periods import Period
from scoring.targets.dashboard import trends as dashboard_trends
from scoring.targets.dashboard.figures import TargetRow, target_rows
from scoring.targets.dashboard.links import (
    OVERDUE_COMPLAINTS_LIST,
    OVERDUE_DISPOSALS_LIST,
    WARNING_UNITS_LIST,
    dashboard_url,
    scores_url,
)
from scoring.targets.dashboard.scope import Scope
from scoring.targets.dashboard.trends import TREND_PERIODS, small_multiples
from units.access import units_for_user
from units.models import DemonstrationStatus, Unit

WARNING_LIMIT = 10


@dataclass
class RankRow:
    jurisdiction: Jurisdiction
    missed: int
    met: int
    no_data: int
    missed_labels: list[str]
    url: str

    @property
    def evaluated(self) -> bool:
        return bool(self.missed or self.met or self.no_data)


@dataclass
class GradeRow:
    grade: str
    units: int
    vetoed: int
    demonstration_units: int
    demonstration_vetoed: int
    url: str | None
    demonstration_url: str | None


@dataclass
class Counter:
    count: int
    url: str | None


@dataclass
class Dashboard:
    period: Period
    scope: Scope
    targets: list[TargetRow]
    evaluated_at: dt.datetime | None
    ranking: list[RankRow]
    grades: list[GradeRow]
    grades_period: Period | None
    warning_units: list[Unit]
    warning: Counter
    overdue_complaints: Counter
    overdue_disposals: Counter
    chart: dict[str, Any] = field(default_factory=dict)
    open_label: str = ""  # "进行中（截至 X 日）" while the period runs
    comparison: dict[str, Any] | None = None  # streets compared on one target

    @property
    def trend_columns(self) -> list[tuple[str, str, bool]]:
        """(label, link, still in progress) per period of the trend."""
        trend = self.chart["trend"]
        return list(zip(trend["periods"], trend["links"], trend["open"], strict=True))

    @property
    def missed(self) -> list[TargetRow]:
        return [row for row in self.targets if row.met is False]


def _ranking(
    period: Period, places: list[Jurisdiction], rows: list[tuple[str, str, str, bool | None]]
) -> list[RankRow]:
    by_code = {
        place.code: RankRow(place, 0, 0, 0, [], dashboard_url(period, place.code))
        for place in places
    }
    for scope_code, _key, label, met in rows:
        rank = by_code.get(scope_code)
        if rank is None:
            continue
        if met is None:
            rank.no_data += 1
        elif met:
            rank.met += 1
        else:
            rank.missed += 1
            rank.missed_labels.append(label)
    order = {place.code: i for i, place in enumerate(places)}
    return sorted(
        by_code.values(),
        key=lambda r: (not r.evaluated, -r.missed, -r.met, order[r.jurisdiction.code]),
    )


def grade_period_candidates(period: Period) -> list[Period]:
    """The periods whose grade summary can stand for ``period``: itself, else the latest period
    inside it that was scored (the scoring job may run monthly while a leader looks at a year)."""
    inside: list[Period] = []
    if period.kind == periods.YEAR:
        inside += [periods.parse(f"{period.start.year}-Q{q}") for q in range(1, 5)]
    if period.kind in (periods.YEAR, periods.QUARTER):
        day = period.start
        while day <= period.end:
            inside.append(periods.containing(day, periods.MONTH))
            day = inside[-1].end + dt.timedelta(days=1)
    # Latest first; of two ending the same day, the longer (the quarter before its last month).
    inside.sort(key=lambda p: (p.end, p.days), reverse=True)
    return [period, *inside]


def _grades(period: Period, scope: Scope) -> tuple[list[GradeRow], Period | None]:
    candidates = grade_period_candidates(period)
    summary = (
        GradeSummary.objects.filter(
            within(scope.jurisdiction), period__in=[p.key for p in candidates]
        )
        .values("period", "demonstration", "grade")
        .annotate(units=Sum("units"), vetoed=Sum("vetoed"))
        .order_by()
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for row in summary:
        found.setdefault(row["period"], []).append(row)
    chosen = next((p for p in candidates if p.key in found), None)
    counts = {(g, demo): [0, 0] for g in Grade.values for demo in (False, True)}
    for row in found.get(chosen.key, []) if chosen else []:
        counts[(row["grade"], row["demonstration"])] = [row["units"] or 0, row["vetoed"] or 0]
    rows = []
    for grade in Grade.values:
        plain, demo = counts[(grade, False)], counts[(grade, True)]
        rows.append(
            GradeRow(
                grade=grade,
                units=plain[0] + demo[0],
                vetoed=plain[1] + demo[1],
                demonstration_units=demo[0],
                demonstration_vetoed=demo[1],
                url=scores_url(chosen.key, grade, scope.jurisdiction, demonstration=False)
                if chosen
                else None,
                demonstration_url=scores_url(
                    chosen.key, grade, scope.jurisdiction, demonstration=True
                )
                if chosen
                else None,
            )
        )
    return rows, chosen


def leader_dashboard(
    user: User,
    period: Period,
    scope: Scope,
    places: list[Jurisdiction],
    today: dt.date | None = None,
    compare: str = "",
) -> Dashboard:
    """Everything the page shows, materialised (no query runs while rendering); with
    ``compare`` (a target key), every street's figure of that target too."""
    today = today or timezone.localdate()
    trend_periods = period.last(TREND_PERIODS)

    scope_results = list(
        TargetResult.objects.filter(
            scope_code=scope.code, period__in=[p.key for p in trend_periods]
        ).order_by("order", "key")
    )
    current = [r for r in scope_results if r.period == period.key]
    ranking_rows = list(
        TargetResult.objects.filter(period=period.key, scope_code__in=[p.code for p in places])
        .order_by("order", "key")
        .values_list("scope_code", "key", "label", "met")
    )
    grades, grades_period = _grades(period, scope)

    # Records of the scope: the jurisdiction and those below it, as the figures count them.
    in_scope = within(scope.jurisdiction)
    warning_units = units_for_user(user).filter(
        in_scope, demonstration_status=DemonstrationStatus.WARNING
    )
    overdue_complaints = complaints_for_user(user).filter(
        in_scope, status__in=OPEN_STATUSES, current_due__lt=today
    )
    overdue_disposals = with_disposal_state(batches_for_user(user)).filter(
        in_scope, overdue_condition(today)
    )
    chart = {
        "trend": small_multiples(
            scope_results,
            trend_periods,
            [dashboard_url(p, scope.code) for p in trend_periods],
            today,
        ),
        "grades": {
            "grades": list(Grade.values),
            "all": [row.units for row in grades],
            "demonstration": [row.demonstration_units for row in grades],
            "allLinks": [row.url for row in grades],
            "demonstrationLinks": [row.demonstration_url for row in grades],
        },
    }
    comparison = (
        dashboard_trends.street_comparison(
            compare, period, places, lambda code: dashboard_url(period, code)
        )
        if compare
        else None
    )
    if comparison is not None:
        chart["compare"] = comparison["chart"]
    return Dashboard(
        period=period,
        scope=scope,
        targets=target_rows(current, scope, period),
        evaluated_at=max((r.evaluated_at for r in current), default=None),
        ranking=_ranking(period, places, ranking_rows),
        grades=grades,
        grades_period=grades_period,
        warning_units=list(warning_units.order_by("name", "pk")[:WARNING_LIMIT]),
        warning=Counter(warning_units.count(), WARNING_UNITS_LIST.url(period, scope.jurisdiction)),
        overdue_complaints=Counter(
            overdue_complaints.count(), OVERDUE_COMPLAINTS_LIST.url(period, scope.jurisdiction)
        ),
        overdue_disposals=Counter(
            overdue_disposals.count(), OVERDUE_DISPOSALS_LIST.url(period, scope.jurisdiction)
        ),
        chart=chart,
        open_label=dashboard_trends.open_label(period, today),
        comparison=comparison,
    )


def period_choices(today: dt.date | None = None) -> list[Period]:
    """Suggestions for the period field: this year and last, their quarters so far, the last
    twelve months. Any other well-formed period can be typed."""
    now = periods.current(periods.MONTH, today)
    months = now.last(12)
    quarters = periods.current(periods.QUARTER, today).last(4)
    years = periods.current(periods.YEAR, today).last(2)
    return [*reversed(months), *reversed(quarters), *reversed(years)]
