"""The sampling figures page: per role, period and scope; pure presentation of the selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.forms_entry import period_bounds
from lyushunkou.models import Jurisdiction, User
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.inspections.test_figures import fixture as fixture  # the hand-checked data

pytestmark = pytest.mark.django_db

URL = reverse("sampling-figures")


def rows(response: object) -> dict[str, Any]:
    return {row.key: row for row in response.context["rows"]}  # type: ignore[attr-defined]


def detection(response: object) -> dict[str, Any]:
    return {row.sampling_type: row for row in response.context["detection"]}  # type: ignore[attr-defined]


def test_district_staff_see_the_figures_beside_their_targets(
    district_staff: User, fixture: None
) -> None:
    response = client_for(district_staff).get(URL, {"period": "2025"})
    assert response.status_code == 200
    figures = rows(response)
    key = figures["key_goods_sampling_pass_rate"]
    assert (key.numerator, key.denominator, key.display, key.met) == (3, 4, "75.0%", False)
    food = figures["food_sampling_pass_rate"]
    assert (food.numerator, food.denominator, food.display) == (4, 5, "80.0%")
    per_thousand = figures["food_sampling_per_thousand"]
    assert per_thousand.numerator == 7
    assert per_thousand.denominator == pytest.approx(355)
    assert per_thousand.display == "0.02"
    assert per_thousand.met is False
    # Detection counts circulation-stage batches only (DESIGN.md §6): the key-goods batch of
    # the production stage is out of it.
    supervisory = detection(response)["supervisory"]
    assert supervisory.current_display == "40.0%"
    assert supervisory.previous_display == "50.0%"
    assert supervisory.fell is True
    page = response.content.decode()
    for text in ("75.0%", "80.0%", "≥ 96%", "≥ 97%", "40.0%", "50.0%"):
        assert text in page
    assert response.context["jurisdiction"] is None


def test_the_default_is_this_year_to_date_for_the_district(district_staff: User) -> None:
    today = timezone.localdate()
    response = client_for(district_staff).get(URL)
    assert response.status_code == 200
    assert response.context["start"] == dt.date(today.year, 1, 1)
    assert response.context["end"] <= today
    assert response.context["jurisdiction"] is None
    # Nothing sampled: the rates are no data, never 0%; per thousand residents it is 0.
    figures = rows(response)
    for key in ("key_goods_sampling_pass_rate", "food_sampling_pass_rate"):
        assert figures[key].value is None
        assert figures[key].met is None
    assert figures["food_sampling_per_thousand"].value == 0
    assert all(row.fell is None for row in response.context["detection"])


def test_a_quarter_and_a_month_and_a_jurisdiction(district_staff: User, fixture: None) -> None:
    client = client_for(district_staff)
    quarter = client.get(URL, {"period": "2025-Q1", "scope": DENGFENG})
    assert (quarter.context["start"], quarter.context["end"]) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
    )
    assert quarter.context["jurisdiction"].code == DENGFENG
    food = rows(quarter)["food_sampling_pass_rate"]
    assert (food.numerator, food.denominator) == (1, 1)
    month = client.get(URL, {"period": "2025-06", "scope": DENGFENG})
    key = rows(month)["key_goods_sampling_pass_rate"]
    assert (key.numerator, key.denominator, key.display) == (1, 1, "100.0%")
    assert (month.context["start"], month.context["end"]) == (
        dt.date(2025, 6, 1),
        dt.date(2025, 6, 30),
    )


def test_period_bounds() -> None:
    today = dt.date(2026, 5, 15)
    assert period_bounds("2026", today) == (dt.date(2026, 1, 1), today)
    assert period_bounds("2025-Q4", today) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert period_bounds("2025-12", today) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert period_bounds("2024-02", today) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_street_staff_see_only_their_jurisdiction(
    street_staff: User, fixture: None, dengfeng: Jurisdiction
) -> None:
    client = client_for(street_staff)
    default = client.get(URL, {"period": "2025"})
    assert default.status_code == 200
    assert default.context["jurisdiction"] == dengfeng
    scopes = dict(default.context["form"].fields["scope"].choices)
    assert DENGFENG in scopes
    assert DESHENG not in scopes
    assert "" not in scopes
    for scope in (DESHENG, ""):
        refused = client.get(URL, {"period": "2025", "scope": scope})
        assert refused.status_code == 200
        assert refused.context["jurisdiction"] == dengfeng
        assert rows(refused)["key_goods_sampling_pass_rate"].denominator == 1


def test_leaders_see_the_district_figures(leader: User, fixture: None) -> None:
    response = client_for(leader).get(URL, {"period": "2025"})
    assert response.status_code == 200
    assert rows(response)["key_goods_sampling_pass_rate"].denominator == 4
    assert "" in dict(response.context["form"].fields["scope"].choices)


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_login(db: None) -> None:
    assert Client().get(URL).status_code == 302


def test_the_query_count_does_not_grow_with_the_data(
    district_staff: User, request: pytest.FixtureRequest
) -> None:
    client = client_for(district_staff)
    client.get(URL, {"period": "2025"})  # warm the session
    with CaptureQueriesContext(connection) as empty:
        client.get(URL, {"period": "2025"})
    request.getfixturevalue("fixture")
    with CaptureQueriesContext(connection) as full:
        client.get(URL, {"period": "2025"})
    assert len(full) == len(empty) <= 9, [q["sql"][:80] for q in full.captured_queries]


def test_the_sampling_list_and_the_balance_link_the_page(leader: User) -> None:
    client = client_for(leader)
    assert URL in client.get(reverse("sampling-list")).content.decode()
    assert URL in client.get(reverse("sampling-balance")).content.decode()
