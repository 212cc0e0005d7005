"""The lists behind the dashboard's figures: for each target (``TARGET_LISTS``) the list filtered to
exactly the records its denominator counts and to those its numerator counts, over the days the
figure counted (``figure_window``), in the dashboard's scope; the counters' lists, the scores list
and the dashboard's own URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from complaints.models import Kind, Outcome, Satisfaction, Status
from inspections.figures import pass_rate_types, per_thousand_types
from inspections.models import ProductCategory, SamplingResult, SamplingStage
from lyushunkou.models import Jurisdiction
from scoring import periods
from scoring.models import TargetResult
from scoring.periods import Period
from scoring.targets import DEMONSTRATION_STATUSES, DETECTION_HEADLINE_TYPE
from units.models import DemonstrationStatus

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
# The scores list (scoring.grading.views): filters period, grade, jurisdiction, demonstration.
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
