"""The leader dashboard: the links behind the figures open the lists of the records counted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lyushunkou.models import Jurisdiction, User
from scoring.models import TargetResult
from tests.complaints.helpers import register
from tests.conftest import DENGFENG, client_for
from tests.scoring.dashboard_helpers import (
    AS_OF,
    DISTRICT_RESULTS,
    PERIOD,
    URL,
    district_results,
    href,
    query,
    result,
    street_results,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


# --- The lists behind the figures -----------------------------------------------------------------


def test_complaint_targets_link_to_the_complaints_of_the_period(
    leader: User, dengfeng: Jurisdiction
) -> None:
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    link = href(html, "target-link-complaint_handling_rate")
    assert link.startswith(reverse("complaint-list"))
    # The handling rate's denominator: received in the period, less those open and in time.
    assert query(link) == {
        "kind": ["complaint"],
        "received_from": ["2026-10-01"],
        "received_to": ["2026-10-31"],
        "counted": ["handling"],
        **AS_OF,
    }
    # The numerator and the denominator are links too: the concluded ones, and the counted ones.
    numerator = href(html, "target-numerator-link-complaint_handling_rate")
    assert query(numerator)["counted"] == ["handled"]
    assert query(href(html, "target-denominator-link-complaint_handling_rate")) == query(link)
    # A jurisdiction's dashboard narrows the list to it.
    street_results(DENGFENG, missed=1)
    html = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG}).content.decode()
    assert query(href(html, "target-link-complaint_handling_rate"))["jurisdiction"] == [
        str(dengfeng.pk)
    ]


def test_following_a_complaint_target_lists_exactly_its_complaints(
    leader: User, dengfeng: Jurisdiction
) -> None:
    district_results()
    october = register(dengfeng, on=dt.date(2026, 10, 15))  # overdue since: counted
    september = register(dengfeng, on=dt.date(2026, 9, 15))
    # Counted after they were recorded, as the evaluation does: the list shows them as of then.
    TargetResult.objects.update(evaluated_at=timezone.now())
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    response = client_for(leader).get(href(html, "target-link-complaint_handling_rate"))
    assert response.status_code == 200
    shown = {c.record_no for c in response.context["page"]}
    assert october.record_no in shown
    assert september.record_no not in shown


def test_sampling_and_station_targets_link_to_their_lists(leader: User) -> None:
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    october = {"sampled_from": ["2026-10-01"], "sampled_to": ["2026-10-31"]}
    food = href(html, "target-link-food_sampling_pass_rate")
    assert food.startswith(reverse("sampling-list"))
    # 监督抽检 + 评价性抽检 with a final result (inspections.figures.pass_rate_types).
    assert query(food) == {
        "category": ["food"],
        "sampling_type": ["supervisory", "evaluative"],
        "final_result": ["pass", "fail"],
        **october,
        **AS_OF,
    }
    # Per thousand residents: the batches are the numerator (快检 left out, pending included).
    per_thousand = href(html, "target-link-food_sampling_per_thousand")
    assert query(per_thousand) == {
        "category": ["food"],
        "sampling_type": ["supervisory", "evaluative", "risk_monitoring"],
        **october,
        **AS_OF,
    }
    station = href(html, "target-link-station_coverage")
    assert station.startswith(reverse("unit-list"))
    assert query(station) == {
        "demonstration_status": ["approved", "warning"],
        "as_of": ["2026-10-31"],  # units are listed as of a day, not of an instant
    }
    detection = href(html, "target-link-problem_detection_rate")
    assert query(detection) == {
        "sampling_type": ["supervisory"],
        "stage": ["circulation"],  # the detection rate counts the circulation stage
        "final_result": ["pass", "fail"],
        **october,
        **AS_OF,
    }
    rows = {
        row.key: row
        for row in client_for(leader).get(URL, {"period": PERIOD}).context["board"].targets
    }
    assert query(rows["problem_detection_rate"].numerator_url or "")["final_result"] == ["fail"]
    assert query(rows["station_coverage"].numerator_url or "")["has_station"] == ["yes"]
    assert rows["food_sampling_per_thousand"].denominator_url is None  # residents: no list


def test_survey_targets_link_to_the_survey_answers(leader: User) -> None:
    try:
        answers = reverse("survey-list")
    except NoReverseMatch:
        pytest.skip("the survey list is not installed")
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    link = href(html, "target-link-programme_awareness_rate")
    assert link.startswith(answers)
    assert query(link) == {"answered_from": ["2026-10-01"], "answered_to": ["2026-10-31"]}


def test_a_running_period_links_up_to_the_day_it_was_evaluated(leader: User) -> None:
    """Records added since the evaluation are not in the figure, so not in its list either."""
    result("2026-10", "district", 0, DISTRICT_RESULTS[0])
    TargetResult.objects.update(evaluated_at=dt.datetime(2026, 10, 20, 2, 0, tzinfo=dt.UTC))
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    assert query(href(html, "target-link-complaint_handling_rate"))["received_to"] == ["2026-10-20"]
