"""The operator's grades and the grade section of the unit pages (issue 6 item 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from lyushunkou.models import Jurisdiction, User
from scoring.grading.access import latest_scores
from scoring.grading.sections import grade_section
from tests.conftest import client_for
from tests.scoring.matrix_scores import make_score
from tests.scoring.scores_helpers import PERIOD, more_units, score_url
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The operator's grades and the unit pages ------------------------------------------------


def test_the_operator_sees_the_latest_grade_of_each_of_their_units(
    unit: Unit, operator: User, dengfeng: Jurisdiction, other_unit: Unit
) -> None:
    second = more_units(dengfeng, 1)[0]
    second.owner = operator
    second.save()
    make_score(unit, "2026-10", quality="10.0")
    make_score(unit)
    make_score(other_unit)
    response = client_for(operator).get(reverse("operator-score-list"))
    rows = dict(response.context["rows"])
    assert set(rows) == {unit, second}
    assert rows[unit].period == PERIOD
    assert rows[second] is None
    assert score_url(unit) in response.content.decode()


def test_the_unit_pages_show_the_latest_grade_with_a_link(
    unit: Unit, operator: User, street_staff: User
) -> None:
    make_score(unit, "2026-10")
    make_score(unit, grade="C", quality="5.0")
    for user, page in (
        (street_staff, reverse("unit-detail", kwargs={"pk": unit.pk})),
        (operator, reverse("workspace-unit", kwargs={"pk": unit.pk})),
    ):
        html = client_for(user).get(page).content.decode()
        assert 'data-testid="grade-section"' in html
        assert f'href="{score_url(unit)}" data-testid="unit-grade-link"' in html


def test_the_grade_section_costs_one_query_and_respects_scope(
    unit: Unit,
    other_operator: User,
    street_staff: User,
    django_assert_num_queries: Any,
) -> None:
    for month in ("2026-07", "2026-08", "2026-09", "2026-10", PERIOD):
        make_score(unit, month)
    with django_assert_num_queries(1):
        context = grade_section(unit, street_staff)
    assert context is not None
    assert context["score"].period == PERIOD
    assert latest_scores(other_operator, [unit]) == {}


def test_the_list_without_any_score_is_empty_not_in_error(district_staff: User) -> None:
    response = client_for(district_staff).get(reverse("score-list"))
    assert response.status_code == 200
    assert not response.context["filter"].form.errors
    assert 'data-testid="empty-state"' in response.content.decode()


def test_the_hand_checked_world_lists_and_explains_as_computed(
    scoring_world: Any, district_staff: User, operator: User
) -> None:
    scoring_world.score()
    units = scoring_world.units
    staff = client_for(district_staff)

    def names(**query: str) -> set[str]:
        response = staff.get(reverse("score-list"), {"period": "2026-10", **query})
        return {score.unit.name for score in response.context["page"].object_list}

    assert names(capped="yes") == {units["capped"].name}
    assert names(vetoed="yes") == {units[n].name for n in ("incident", "listed", "fraud", "harmed")}
    assert names(grade="A") == {units["clean"].name}
    # The capped unit's operator (dave) sees why: quality 11, below 12, caps B at C.
    response = client_for(operator).get(score_url(units["capped"], "2026-10"))
    assert response.context["score"].grade == "C"
    cap = response.context["explanation"].cap
    assert (cap["points"], cap["below"], cap["grade"]) == (Decimal("11.0"), Decimal(12), "C")
    quality = response.context["explanation"].guarantees[0]
    assert quality.capping
    assert quality.key == "quality"
    fails = [line for line in quality.lines if line.code == "q_sampling_fail"]
    assert fails
    assert fails[0].count == 2
    assert len(fails[0].records) == 2
