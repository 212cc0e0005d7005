"""The leader dashboard: the grade distribution of units and of demonstration units."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from lyushunkou.models import Jurisdiction, User
from scoring.targets import dashboard
from tests.conftest import DENGFENG, client_for
from tests.scoring.dashboard_helpers import (
    PERIOD,
    URL,
    grade_summaries,
    href,
    query,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


def test_grade_distribution_of_units_and_of_demonstration_units(
    leader: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    grade_summaries(PERIOD, dengfeng)
    grade_summaries(PERIOD, desheng)
    grade_summaries("2026-09", dengfeng, scale=100)  # another period: not counted
    response = client_for(leader).get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert board.grades_period.key == PERIOD
    grades = {row.grade: row for row in board.grades}
    assert (grades["A"].units, grades["A"].demonstration_units) == (14, 4)
    assert (grades["D"].units, grades["D"].vetoed) == (4, 2)
    # A, B, C, D, then U (未评定, rubric v2): none of the summaries is ungraded.
    assert board.chart["grades"]["grades"] == ["A", "B", "C", "D", "U"]
    assert board.chart["grades"]["all"] == [14, 22, 6, 4, 0]
    assert board.chart["grades"]["demonstration"] == [4, 2, 0, 0, 0]

    street = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG})
    assert street.context["board"].chart["grades"]["all"] == [7, 11, 3, 2, 0]


def test_a_quarter_shows_the_grades_of_its_latest_scored_month(
    leader: User, dengfeng: Jurisdiction
) -> None:
    grade_summaries("2026-07", dengfeng)
    grade_summaries("2026-08", dengfeng, scale=2)
    board = client_for(leader).get(URL, {"period": "2026-Q3"}).context["board"]
    assert board.grades_period.key == "2026-08"
    assert board.chart["grades"]["all"] == [14, 22, 6, 4, 0]


def test_grades_link_to_the_scores_list(leader: User, dengfeng: Jurisdiction) -> None:
    try:
        scores = reverse(dashboard.SCORES_LIST)
    except NoReverseMatch:
        pytest.skip("the scores list is not installed")
    grade_summaries(PERIOD, dengfeng)
    html = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG}).content.decode()
    link = href(html, "grade-link-all-B")
    assert link.startswith(scores)
    assert query(link) == {"period": [PERIOD], "grade": ["B"], "jurisdiction": [str(dengfeng.pk)]}
    demo = href(html, "grade-link-demonstration-A")
    assert query(demo)["demonstration"] == ["yes"]
