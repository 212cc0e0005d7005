"""The leader dashboard: the targets with their numbers and met flags from a known set of
TargetResult rows, "no data", the trend, and the ranking of jurisdictions."""

from __future__ import annotations

import re

import pytest

from lyushunkou.models import User
from scoring.targets import dashboard
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.helpers import english
from tests.scoring.dashboard_helpers import (
    DISTRICT_RESULTS,
    PERIOD,
    URL,
    cell_text,
    district_results,
    href,
    result,
    street_results,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


# --- Targets --------------------------------------------------------------------------------------


def test_every_target_shows_value_threshold_met_numerator_and_denominator(leader: User) -> None:
    district_results()
    response = english(leader).get(URL, {"period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.key: row for row in response.context["board"].targets}
    assert list(rows) == [row[0] for row in DISTRICT_RESULTS]

    handling = rows["complaint_handling_rate"]
    assert (handling.display, handling.threshold, handling.met) == ("90.0%", "= 100%", False)
    assert (handling.numerator, handling.denominator) == ("45", "50")
    assert 'data-testid="target-complaint_handling_rate" data-met="no"' in html
    assert cell_text(html, "target-value-complaint_handling_rate") == "90.0%"
    assert cell_text(html, "target-numerator-complaint_handling_rate") == "45"
    assert cell_text(html, "target-denominator-complaint_handling_rate") == "50"

    food = rows["food_sampling_pass_rate"]
    assert (food.display, food.threshold, food.met) == ("97.0%", "≥ 97%", True)
    assert 'data-testid="target-food_sampling_pass_rate" data-met="yes"' in html

    detection = rows["problem_detection_rate"]
    assert (detection.display, detection.threshold) == ("2.5%", "falls year on year")

    per_thousand = rows["food_sampling_per_thousand"]
    assert (per_thousand.display, per_thousand.threshold) == ("0.71 批次/千人", "≥ 2 批次/千人")
    assert (per_thousand.numerator, per_thousand.denominator) == ("21", "29.58")
    assert cell_text(html, "missed-count").startswith("2")


def test_no_data_is_shown_as_no_data_never_as_a_percentage(leader: User) -> None:
    district_results()
    response = english(leader).get(URL, {"period": PERIOD})
    html = response.content.decode()
    row = next(r for r in response.context["board"].targets if r.key.startswith("key_goods"))
    assert row.met is None
    assert row.display == ""
    assert 'data-testid="target-key_goods_sampling_pass_rate" data-met="none"' in html
    assert cell_text(html, "target-value-key_goods_sampling_pass_rate") == "no data"
    row_html = re.search(r'data-testid="target-key_goods_sampling_pass_rate".*?</tr>', html, re.S)
    assert row_html
    shown = re.sub(r"<[^>]+>", "", row_html.group(0))  # the text, not the links' %-escapes
    assert shown.count("%") == 1  # the threshold's, never a value of 0% or 100%


def test_a_street_sees_its_own_results_not_the_districts(street_staff: User) -> None:
    district_results()
    street_results(DENGFENG, missed=2)
    response = client_for(street_staff).get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert [row.met for row in board.targets] == [False, False, True]


def test_nothing_evaluated_yet_says_so(leader: User) -> None:
    response = english(leader).get(URL, {"period": PERIOD})
    html = response.content.decode()
    assert 'data-testid="targets-empty"' in html
    assert response.context["board"].targets == []


def test_trend_covers_the_last_twelve_periods_with_gaps_as_null(leader: User) -> None:
    district_results("2026-10")
    district_results("2026-08")
    result("2025-11", "district", 0, DISTRICT_RESULTS[0])  # eleven months back: the first
    result("2025-10", "district", 0, DISTRICT_RESULTS[0])  # twelve months back: outside
    response = client_for(leader).get(URL, {"period": "2026-10"})
    trend = response.context["board"].chart["trend"]
    assert len(trend["periods"]) == dashboard.TREND_PERIODS == 12
    assert trend["links"][0] == f"{URL}?period=2025-11&scope=district"
    assert trend["links"][-1] == f"{URL}?period=2026-10&scope=district"
    assert trend["open"] == [False] * 12  # all of them ended
    handling = next(s for s in trend["series"] if s["key"] == "complaint_handling_rate")
    assert handling["values"] == [90.0, *[None] * 8, 90.0, None, 90.0]
    assert handling["percent"] is True
    missed = {s["key"] for s in trend["series"] if s["missed"]}  # the chart opens on these
    assert missed == {"complaint_handling_rate", "food_sampling_per_thousand"}
    per_thousand = next(s for s in trend["series"] if s["key"] == "food_sampling_per_thousand")
    assert per_thousand["percent"] is False
    assert per_thousand["values"][-1] == 0.71
    key_goods = next(s for s in trend["series"] if s["key"].startswith("key_goods"))
    assert key_goods["values"][-1] is None  # no data, not 0
    assert 'id="dashboard-data"' in response.content.decode()


# --- Ranking --------------------------------------------------------------------------------------


def test_jurisdictions_are_ranked_by_targets_missed(leader: User) -> None:
    street_results(DESHENG, missed=1)
    street_results(DENGFENG, missed=3)
    response = client_for(leader).get(URL, {"period": PERIOD})
    ranking = response.context["board"].ranking
    assert [r.jurisdiction.code for r in ranking[:2]] == [DENGFENG, DESHENG]
    assert (ranking[0].missed, ranking[0].met) == (3, 0)
    assert ranking[0].missed_labels == ["投诉处理率", "食品抽检合格率", "重点消费品抽检合格率"]
    assert not ranking[2].evaluated
    html = response.content.decode()
    assert href(html, f"rank-missed-{DENGFENG}") == f"{URL}?period={PERIOD}&scope={DENGFENG}"
