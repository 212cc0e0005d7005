"""Reads for the leaders' big screen (issue 14 item 6; DESIGN.md §7 ``/dashboard/screen/``).

One scope (the dashboard's: ``scoring.targets.dashboard.scope_for_user``), one period, a fixed
number of queries whatever the amount of data (tests/scoring/test_screen.py pins it):

- the targets from the ``TargetResult`` summary rows the dashboard reads, formatted and judged
  as the dashboard does (``scoring.targets.dashboard.target_rows``): below the minimum sample the
  value with 样本不足, short of the threshold while the period runs 进行中（截至 X 日）, and neither
  counted missed;
- the map: the streets' outlines (``Jurisdiction.boundary``, uploaded by the administrator),
  demonstration units, the complaints of the last ``MAP_DAYS`` days and failed batches still
  awaiting disposal, each at its unit's coordinates and grouped per place so the points stay few
  (at most ``MAP_LIMIT`` a layer, the largest first);
- the week's alerts: open complaints past their legal time limit, batches whose failure became
  known this week, units put in warning this week, and the early warnings (issue 19) open or
  acknowledged that the nightly job raised or kept up this week.

Complaints and batches carry no coordinates of their own: they are placed at the unit they
concern, and those without one (or whose unit has no coordinates) are counted, not drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.access import complaints_for_user
from complaints.models import OPEN_STATUSES, Complaint, Kind
from inspections.access import batches_for_user
from inspections.models import SamplingBatch, SamplingResult
from inspections.selectors import overdue_condition, with_disposal_state
from lyushunkou.access import jurisdictions_for_user, within
from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring.models import TargetResult
from scoring.periods import Period
from scoring.targets.dashboard import Scope, TargetRow, target_rows
from scoring.targets.dashboard import trends as dashboard_trends
from supervision.access import warnings_for_user
from supervision.models_warnings import WarningState
from units.access import units_for_user
from units.models import DemonstrationStatus

WEEK_DAYS = 7
MAP_DAYS = 30
MAP_LIMIT = 2000
ALERT_ROWS = 8
WARNING_ACTION = "unit.demonstration_warning"


class State:
    """How a tile is judged: its colour (the tile's class) and the word beside it."""

    MET = "met"
    MISSED = "missed"
    INSUFFICIENT = "insufficient"  # below the minimum sample: the value with 样本不足
    IN_PROGRESS = "in-progress"  # short of the threshold while the period runs: not judged yet
    NO_DATA = "none"


@dataclass(frozen=True)
class ScreenTarget:
    key: str
    label: str
    value_text: str  # "" with no data
    threshold_text: str
    fraction_text: str
    met: bool | None  # None: neither met nor missed (see ``state``)
    state: str  # a ``State``
    verdict: str  # 达标, 未达标, 样本不足, 进行中（截至 X 日）, 无数据
    min_denominator: int | None = None  # with ``State.INSUFFICIENT``


@dataclass(frozen=True)
class AlertRow:
    title: str  # a record number, sample number or unit name: never a complainant
    place: str  # the jurisdiction
    note: str  # the due date, the failed product, the warning's reason


@dataclass(frozen=True)
class Alerts:
    overdue_complaints: int
    overdue_complaint_rows: list[AlertRow]
    failed_batches: int
    failed_batch_rows: list[AlertRow]
    overdue_disposals: int
    warned_units: int
    warned_unit_rows: list[AlertRow]
    early_warnings: int
    early_warning_rows: list[AlertRow]


@dataclass(frozen=True)
class Screen:
    scope: Scope
    period: Period
    evaluated_at: dt.datetime | None
    targets: list[ScreenTarget]
    open_label: str  # "进行中（截至 X 日）" while the period runs, as on the dashboard
    week_start: dt.date
    today: dt.date
    alerts: Alerts
    map: dict[str, Any]  # the JSON the map script reads (json_script)
    unplaced: int  # complaints and batches on the map's layers that have no coordinates

    @property
    def missed(self) -> int:
        return sum(1 for target in self.targets if target.met is False)

    @property
    def met(self) -> int:
        return sum(1 for target in self.targets if target.met is True)


def _state(row: TargetRow) -> str:
    """The dashboard's order of precedence (templates/scoring/dashboard/dashboard.html)."""
    if row.insufficient:
        return State.INSUFFICIENT
    if row.pending:
        return State.IN_PROGRESS
    if row.met is None:
        return State.NO_DATA
    return State.MET if row.met else State.MISSED


def _targets(
    scope: Scope, period: Period, open_label: str
) -> tuple[list[ScreenTarget], dt.datetime | None]:
    """The period's figures, formatted by the dashboard's ``target_rows`` so that both say the
    same thing about the same figure."""
    results = list(
        TargetResult.objects.filter(scope_code=scope.code, period=period.key).order_by(
            "order", "key"
        )
    )
    verdicts = {
        State.MET: _("Met"),
        State.MISSED: _("Not met"),
        State.INSUFFICIENT: _("Insufficient sample"),
        # A running period's label says how far it has counted; "In progress" if, oddly, a
        # figure is pending in a period that has ended.
        State.IN_PROGRESS: open_label or _("In progress"),
        State.NO_DATA: _("no data"),
    }
    tiles = []
    for row in target_rows(results, scope, period):
        state = _state(row)
        tiles.append(
            ScreenTarget(
                key=row.key,
                label=row.label,
                value_text=row.display,
                threshold_text=row.threshold,
                fraction_text=f"{row.numerator} / {row.denominator}",
                met=row.met,
                state=state,
                verdict=verdicts[state],
                min_denominator=row.min_denominator,
            )
        )
    return tiles, max((r.evaluated_at for r in results), default=None)


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _point(lon: Decimal | None, lat: Decimal | None) -> list[float] | None:
    if lon is None or lat is None:
        return None
    return [round(float(lon), 6), round(float(lat), 6)]


def _grouped(rows: QuerySet[Any, dict[str, Any]]) -> tuple[list[list[Any]], int]:
    """Points [lon, lat, unit name, count] of rows grouped per unit, the largest first; and the
    number of records without coordinates."""
    points: list[list[Any]] = []
    unplaced = 0
    for row in rows:
        point = _point(row["unit__longitude"], row["unit__latitude"])
        if point is None:
            unplaced += row["n"]
        elif len(points) < MAP_LIMIT:
            points.append([*point, row["unit__name"], row["n"]])
    return points, unplaced


def _per_unit(qs: QuerySet[Any]) -> QuerySet[Any, dict[str, Any]]:
    grouped: QuerySet[Any, dict[str, Any]] = (
        qs.values("unit__longitude", "unit__latitude", "unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "unit__name")
    )
    return grouped


def _outlines(scope: Scope, user: User) -> list[dict[str, Any]]:
    """The uploaded outlines of the streets in scope, as GeoJSON features."""
    place = scope.jurisdiction
    streets = (
        jurisdictions_for_user(user)
        .filter(Q(pk=place.pk) | Q(parent_id=place.pk) if place else Q())
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .filter(boundary__isnull=False)
        .order_by("sort_order", "code")
        .values("code", "name", "boundary")
    )
    return [
        {
            "type": "Feature",
            "properties": {"name": row["name"], "code": row["code"]},
            "geometry": row["boundary"],
        }
        for row in streets
    ]


def _alerts(user: User, in_scope: Q, week_start: dt.date, today: dt.date) -> Alerts:
    overdue = (
        complaints_for_user(user)
        .filter(in_scope, status__in=OPEN_STATUSES, current_due__lt=today)
        .select_related("jurisdiction")
        .order_by("current_due", "id")
    )
    overdue_rows = list(overdue[:ALERT_ROWS])
    # A failure becomes known when imported, notified, or confirmed by a re-test.
    failed = (
        batches_for_user(user)
        .filter(in_scope, final_result=SamplingResult.FAIL)
        .filter(
            Q(created_at__gte=_aware(week_start))
            | Q(notified_on__gte=week_start)
            | Q(retest_decided_on__gte=week_start)
        )
        .select_related("jurisdiction")
        .order_by("-sampled_on", "-id")
    )
    failed_rows = list(failed[:ALERT_ROWS])
    overdue_disposals = (
        with_disposal_state(batches_for_user(user)).filter(in_scope, overdue_condition(today))
    ).count()
    warned_ids = AuditEvent.objects.filter(
        action=WARNING_ACTION, object_type="units.unit", created_at__gte=_aware(week_start)
    ).values_list("object_id", flat=True)
    warned = (
        units_for_user(user)
        .filter(in_scope, demonstration_status=DemonstrationStatus.WARNING)
        .filter(pk__in=_as_pks(warned_ids))
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )
    warned_rows = list(warned[:ALERT_ROWS])
    # The nightly job counts up to the day before it runs: the one of the week's first day ended
    # its window the day before. A warning still above its limit has its window moved on nightly.
    early = (
        warnings_for_user(user)
        .filter(
            in_scope,
            state__in=(WarningState.OPEN, WarningState.ACKNOWLEDGED),
            window_end__gte=week_start - dt.timedelta(days=1),
        )
        .order_by("-observed", "-pk")
        # The total with the rows, in one query: the screen refreshes itself all day.
        .annotate(total=Window(Count("pk")))
    )
    early_rows = list(early[:ALERT_ROWS])
    return Alerts(
        overdue_complaints=overdue.count(),
        overdue_complaint_rows=[
            AlertRow(c.record_no, c.jurisdiction.name, c.current_due.isoformat())
            for c in overdue_rows
            if c.current_due is not None
        ],
        failed_batches=failed.count(),
        failed_batch_rows=[
            AlertRow(b.sample_no, b.jurisdiction.name, b.product_name) for b in failed_rows
        ],
        overdue_disposals=overdue_disposals,
        warned_units=warned.count(),
        warned_unit_rows=[
            AlertRow(u.name, u.jurisdiction.name, u.status_reason) for u in warned_rows
        ],
        early_warnings=early_rows[0].total if early_rows else 0,
        early_warning_rows=[
            AlertRow(
                w.subject,
                w.jurisdiction.name,
                _("%(metric)s %(observed)s (limit %(limit)s)")
                % {"metric": w.get_metric_display(), "observed": w.observed, "limit": w.limit},
            )
            for w in early_rows
        ],
    )


def _as_pks(object_ids: Iterable[str]) -> list[int]:
    """Audit events keep the object's id as text; a week's warnings are few."""
    return [int(object_id) for object_id in object_ids if object_id.isdigit()]


def big_screen(user: User, scope: Scope, period: Period, *, today: dt.date | None = None) -> Screen:
    """Everything the screen shows, materialised: no query runs while rendering."""
    today = today or timezone.localdate()
    week_start = today - dt.timedelta(days=WEEK_DAYS - 1)
    in_scope = within(scope.jurisdiction)
    open_label = dashboard_trends.open_label(period, today)
    targets, evaluated_at = _targets(scope, period, open_label)

    units = list(
        units_for_user(user)
        .filter(
            in_scope,
            demonstration_status__in=(DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING),
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("pk")
        .values_list("longitude", "latitude", "name", "demonstration_status")[:MAP_LIMIT]
    )
    complaints: QuerySet[Complaint] = complaints_for_user(user).filter(
        in_scope, kind=Kind.COMPLAINT, received_at__gte=_aware(today - dt.timedelta(MAP_DAYS - 1))
    )
    complaint_points, complaints_unplaced = _grouped(_per_unit(complaints))
    undisposed: QuerySet[SamplingBatch] = batches_for_user(user).filter(
        in_scope, final_result=SamplingResult.FAIL, disposals__isnull=True
    )
    batch_points, batches_unplaced = _grouped(_per_unit(undisposed))
    map_data = {
        "outlines": {"type": "FeatureCollection", "features": _outlines(scope, user)},
        "units": [
            [*(_point(lon, lat) or []), name, status == DemonstrationStatus.WARNING]
            for lon, lat, name, status in units
        ],
        "complaints": complaint_points,
        "failed": batch_points,
    }
    return Screen(
        scope=scope,
        period=period,
        evaluated_at=evaluated_at,
        targets=targets,
        open_label=open_label,
        week_start=week_start,
        today=today,
        alerts=_alerts(user, in_scope, week_start, today),
        map=map_data,
        unplaced=complaints_unplaced + batches_unplaced,
    )
