"""Reads for the leader dashboard (issue 6 item 6): one period, one scope, a fixed query count.

Everything comes from the summary tables the jobs refresh — ``TargetResult`` (written by
``scoring.targets.refresh``) and ``GradeSummary`` (written by the scoring engine) — plus three
counts on indexed columns of the raw tables (units in warning, overdue complaints, overdue
disposals). Nothing here scans raw rows per request (DESIGN.md §8), and the number of queries does
not depend on the amount of data: tests/scoring/test_dashboard.py pins it.

Every figure carries the URLs of the lists behind it. The key → list mapping is ``TARGET_LISTS``:
for each target the list filtered to exactly the records its denominator counts and to those its
numerator counts, over the days the figure counted (``figure_window``), in the dashboard's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from complaints.access import complaints_for_user
from complaints.models import OPEN_STATUSES, Kind, Outcome, Satisfaction, Status
from inspections.access import batches_for_user
from inspections.figures import pass_rate_types, per_thousand_types
from inspections.models import ProductCategory, SamplingResult, SamplingStage
from inspections.selectors import overdue_condition, with_disposal_state
from lyushunkou import audit
from lyushunkou.access import jurisdictions_for_user, within
from lyushunkou.models import Jurisdiction, User
from scoring import dashboard_trends, periods
from scoring.dashboard_trends import TREND_PERIODS, small_multiples, unit_label
from scoring.models import Grade, GradeSummary, Target, TargetResult
from scoring.periods import Period
from scoring.targets import DEMONSTRATION_STATUSES, DETECTION_HEADLINE_TYPE, format_value
from units.access import units_for_user
from units.models import DemonstrationStatus, Unit

DISTRICT = "district"
WARNING_LIMIT = 10
PERCENT = "%"

# --- The lists behind the figures ----------------------------------------------------------------

Query = dict[str, str | list[str]]
Params = Callable[[Period], Query]


@dataclass(frozen=True)
class Window:
    """The days a figure counted: the period, up to the day it was evaluated for while it ran
    (``Period.as_of``), so that records added since the evaluation do not show."""

    start: dt.date
    end: dt.date


WindowParams = Callable[[Window], Query]


def figure_window(period: Period, result: TargetResult) -> Window:
    """The window of an evaluated figure: its recorded ``as_of`` (station coverage stores one),
    else the period as of the day it was evaluated; a figure evaluated before its period began
    counted nothing, and links to the whole period."""
    recorded = (result.detail or {}).get("as_of")
    as_of: dt.date | None = None
    if isinstance(recorded, str):
        try:
            as_of = dt.date.fromisoformat(recorded)
        except ValueError:
            as_of = None
    if as_of is None:
        as_of = period.as_of(timezone.localdate(result.evaluated_at))
    if as_of < period.start:
        as_of = period.end
    return Window(period.start, as_of)


# The lists that can show records as of an instant (``recorded_to``: recorded at or before it),
# so that a figure's list holds exactly the records its figure counted, and says how many have
# been recorded since.
AS_OF_LISTS = frozenset({"complaint-list", "sampling-list"})


def _list_url(
    url_name: str,
    query: Query,
    jurisdiction: Jurisdiction | None,
    recorded_to: dt.datetime | None = None,
) -> str | None:
    """The list with the query (several values of a key repeat it: ``?x=a&x=b``) and the scope as
    the list's ``jurisdiction`` filter (a primary key, as the lists' ModelChoiceFilters expect;
    the lists include the jurisdictions below it, as the figures do)."""
    try:
        base = reverse(url_name)
    except NoReverseMatch:  # a list not installed (yet): the figure stays, unlinked
        return None
    query = dict(query)
    if jurisdiction is not None:
        query["jurisdiction"] = str(jurisdiction.pk)
    if recorded_to is not None and url_name in AS_OF_LISTS:
        # To the microsecond: truncated to the second, the list would leave out the records
        # recorded in the second before the evaluation (an import refreshes the figures at once).
        query["recorded_to"] = timezone.localtime(recorded_to).isoformat()
    return f"{base}?{urlencode(query, doseq=True)}" if query else base


@dataclass(frozen=True)
class ListLink:
    """A list page and the query string that narrows it to one figure of the period."""

    url_name: str
    params: Params

    def url(self, period: Period, jurisdiction: Jurisdiction | None) -> str | None:
        return _list_url(self.url_name, self.params(period), jurisdiction)


@dataclass(frozen=True)
class TargetLinks:
    """The records a target counts, on one list: the denominator's set and the numerator's (a
    subset of it). ``None`` where a side is not records (a population)."""

    url_name: str
    denominator: WindowParams | None
    numerator: WindowParams | None

    def urls(
        self,
        window: Window,
        jurisdiction: Jurisdiction | None,
        recorded_to: dt.datetime | None = None,
    ) -> tuple[str | None, str | None]:
        """(numerator URL, denominator URL), as of ``recorded_to`` (the figure's evaluation)."""
        return (
            _list_url(self.url_name, self.numerator(window), jurisdiction, recorded_to)
            if self.numerator
            else None,
            _list_url(self.url_name, self.denominator(window), jurisdiction, recorded_to)
            if self.denominator
            else None,
        )


def _received(w: Window) -> Query:
    return {
        "kind": Kind.COMPLAINT,
        "received_from": w.start.isoformat(),
        "received_to": w.end.isoformat(),
    }


def _concluded(w: Window) -> Query:
    """complaints.figures: resolution and satisfaction count complaints concluded in the period."""
    return {
        "kind": Kind.COMPLAINT,
        "status": Status.CONCLUDED,
        "concluded_from": w.start.isoformat(),
        "concluded_to": w.end.isoformat(),
    }


def _sampled(w: Window) -> Query:
    return {"sampled_from": w.start.isoformat(), "sampled_to": w.end.isoformat()}


def _answered(w: Window) -> Query:
    return {"answered_from": w.start.isoformat(), "answered_to": w.end.isoformat()}


RESOLUTION_OUTCOMES = [Outcome.MEDIATED, Outcome.FAILED, Outcome.TERMINATED]
ANSWERED = [Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.DISSATISFIED]
SATISFIED = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
FINAL_RESULTS = [SamplingResult.PASS, SamplingResult.FAIL]
YES = "yes"


def _pass_rate(category: str, stage: str = "") -> TargetLinks:
    """Passed ÷ final-result batches of the category (and stage), of the sampling types the pass
    rates count (inspections.figures.pass_rate_types: 监督抽检 + 评价性抽检 unless configured)."""

    def final(w: Window) -> Query:
        query: Query = {
            "category": category,
            "sampling_type": list(pass_rate_types()),
            "final_result": list(FINAL_RESULTS),
            **_sampled(w),
        }
        if stage:
            query["stage"] = stage
        return query

    return TargetLinks(
        "sampling-list", final, lambda w: {**final(w), "final_result": [SamplingResult.PASS]}
    )


def _detection(w: Window) -> Query:
    # The headline figure is supervisory sampling's (scoring.targets.DETECTION_HEADLINE_TYPE).
    return {
        "sampling_type": DETECTION_HEADLINE_TYPE,
        "stage": SamplingStage.CIRCULATION,
        "final_result": list(FINAL_RESULTS),
        **_sampled(w),
    }


def _demonstration_units(w: Window) -> Query:
    # scoring.targets.station_figures: approved units and units in warning, certified by then.
    return {"demonstration_status": list(DEMONSTRATION_STATUSES), "as_of": w.end.isoformat()}


# Every target's records, exactly as its figure counts them (complaints.figures,
# inspections.figures, scoring.targets.station_figures, complaints.figures.survey_figures).
TARGET_LISTS: dict[str, TargetLinks] = {
    # Of the complaints received: all but those still open and within their time limit; handled
    # are those concluded or not accepted.
    "complaint_handling_rate": TargetLinks(
        "complaint-list",
        lambda w: {**_received(w), "counted": "handling"},
        lambda w: {**_received(w), "counted": "handled"},
    ),
    # Concluded in the period: mediated + terminated because the parties settled ÷ mediated +
    # failed + terminated (withdrawals in neither).
    "complaint_resolution_rate": TargetLinks(
        "complaint-list",
        lambda w: {**_concluded(w), "outcome": list(RESOLUTION_OUTCOMES)},
        lambda w: {**_concluded(w), "counted": "resolved"},
    ),
    # Concluded in the period: 满意 + 基本满意 ÷ answered callbacks (未评价 left out).
    "complaint_satisfaction_rate": TargetLinks(
        "complaint-list",
        lambda w: {**_concluded(w), "satisfaction": list(ANSWERED)},
        lambda w: {**_concluded(w), "satisfaction": list(SATISFIED)},
    ),
    "key_goods_sampling_pass_rate": _pass_rate(ProductCategory.KEY_GOODS, SamplingStage.PRODUCTION),
    "food_sampling_pass_rate": _pass_rate(ProductCategory.FOOD),
    # The numerator: food batches sampled, 快检 excluded, pending results included; the
    # denominator is thousands of residents, not a list.
    "food_sampling_per_thousand": TargetLinks(
        "sampling-list",
        None,
        lambda w: {
            "category": ProductCategory.FOOD,
            "sampling_type": list(per_thousand_types()),
            **_sampled(w),
        },
    ),
    "problem_detection_rate": TargetLinks(
        "sampling-list",
        _detection,
        lambda w: {**_detection(w), "final_result": [SamplingResult.FAIL]},
    ),
    "station_coverage": TargetLinks(
        "unit-list",
        _demonstration_units,
        lambda w: {**_demonstration_units(w), "has_station": YES},
    ),
    # The consumer survey (complaints.figures.survey_figures); linked once its list is installed.
    "programme_awareness_rate": TargetLinks(
        "survey-list", _answered, lambda w: {**_answered(w), "aware": YES}
    ),
    "programme_recognition_rate": TargetLinks(
        "survey-list",
        lambda w: {**_answered(w), "aware": YES},
        lambda w: {**_answered(w), "aware": YES, "approves": YES},
    ),
    "life_services_satisfaction": TargetLinks(
        "survey-list",
        _answered,
        lambda w: {**_answered(w), "life_services": list(SATISFIED)},
    ),
}
WARNING_UNITS_LIST = ListLink(
    "unit-list", lambda p: {"demonstration_status": DemonstrationStatus.WARNING}
)
OVERDUE_COMPLAINTS_LIST = ListLink("complaint-list", lambda p: {"clock": "overdue"})
OVERDUE_DISPOSALS_LIST = ListLink("sampling-list", lambda p: {"overdue": "yes"})
# The scores list (scoring.views_scores): filters period, grade, jurisdiction, demonstration.
SCORES_LIST = "score-list"


def scores_url(
    period_key: str, grade: str, jurisdiction: Jurisdiction | None, *, demonstration: bool
) -> str | None:
    params = {"period": period_key, "grade": grade}
    if demonstration:
        params["demonstration"] = "yes"
    link = ListLink(SCORES_LIST, lambda p: dict[str, str | list[str]](params))
    return link.url(periods.parse(period_key), jurisdiction)


def dashboard_url(period: Period, scope_code: str) -> str:
    return f"{reverse('dashboard')}?{urlencode({'period': period.key, 'scope': scope_code})}"


# --- Scope ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    code: str  # "district" or a jurisdiction's code, as TargetResult.scope_code stores it
    jurisdiction: Jurisdiction | None  # None: the whole district

    @property
    def name(self) -> str:
        return self.jurisdiction.name if self.jurisdiction else _("Whole district")


def places_for_user(user: User) -> list[Jurisdiction]:
    """The jurisdictions (streets, zone, parks) the user may choose: all of them for leaders and
    district staff, their own (and any below it) for street-scoped staff."""
    return list(
        jurisdictions_for_user(user)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def scope_for_user(user: User, code: str, places: list[Jurisdiction]) -> Scope:
    """The scope asked for, or the user's default when none is; Http404 (audited) outside the
    user's scope — the district for street-scoped staff, another street, an unknown code."""
    code = (code or "").strip()
    if not code:
        if user.is_district_wide or not places:
            code = DISTRICT
        else:
            own = next((p for p in places if p.pk == user.jurisdiction_id), places[0])
            return Scope(own.code, own)
    if code == DISTRICT and user.is_district_wide:
        return Scope(DISTRICT, None)
    place = next((p for p in places if p.code == code), None)
    if place is None:
        audit.record(
            "access.denied",
            actor=user,
            outcome=audit.Outcome.DENIED,
            model="scoring.dashboard",
            requested=code[:20],
        )
        raise Http404("No such scope.")
    return Scope(place.code, place)


# --- Presentation of figures ---------------------------------------------------------------------


def _number(value: Decimal | None) -> str:
    """A count as a count (12), anything else with two decimals (29.58)."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def _threshold(comparator: str, threshold: Decimal | None, unit_label: str) -> str:
    if comparator == Target.Comparator.DECREASE:
        return str(Target.Comparator.DECREASE.label)
    if threshold is None:
        return "—"
    sign = dict(Target.Comparator.choices).get(comparator, comparator)
    if unit_label == PERCENT:
        shown = f"{threshold * 100:.1f}".removesuffix(".0") + "%"
    else:
        shown = f"{threshold:.2f}".rstrip("0").rstrip(".") + (
            f" {unit_label}" if unit_label else ""
        )
    return f"{sign} {shown}"


@dataclass
class TargetRow:
    key: str
    label: str
    value: Decimal | None
    display: str  # "" when there is no data
    threshold: str
    met: bool | None  # None: no data, neither met nor missed
    numerator: str
    denominator: str
    unit_label: str
    url: str | None  # the records the figure counts: its denominator's, else its numerator's
    numerator_url: str | None = None
    denominator_url: str | None = None
    as_of: dt.datetime | None = None  # when the figure was counted: "截至 HH:MM"
    insufficient: bool = False  # below the minimum sample: "样本不足", neither met nor missed
    min_denominator: int | None = None
    pending: bool = False  # short of the threshold in a running period: not judged yet

    @property
    def no_data(self) -> bool:
        return self.value is None


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


# --- The selectors -------------------------------------------------------------------------------


def target_rows(results: list[TargetResult], scope: Scope, period: Period) -> list[TargetRow]:
    """The figures as people read them, for the dashboard and the big screen alike."""
    rows = []
    for result in results:
        label = unit_label(result)
        detail = result.detail or {}
        link = TARGET_LISTS.get(result.key)
        numerator_url, denominator_url = (
            link.urls(figure_window(period, result), scope.jurisdiction, result.evaluated_at)
            if link
            else (None, None)
        )
        rows.append(
            TargetRow(
                key=result.key,
                label=result.label,
                value=result.value,
                display=format_value(result.value, label),
                threshold=_threshold(result.comparator, result.threshold, label),
                met=None if result.value is None else result.met,
                numerator=_number(result.numerator),
                denominator=_number(result.denominator),
                unit_label=label,
                url=denominator_url or numerator_url,
                numerator_url=numerator_url,
                denominator_url=denominator_url,
                as_of=timezone.localtime(result.evaluated_at),
                insufficient=bool(detail.get("insufficient")),
                min_denominator=detail.get("min_denominator"),
                pending=bool(detail.get("pending")),
            )
        )
    return rows


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
