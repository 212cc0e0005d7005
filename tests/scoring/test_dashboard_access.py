"""The leader dashboard: who reaches it, which scope each sees, and the period asked for (the
malformed-period message)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring import periods
from scoring.targets import dashboard
from scoring.targets.dashboard import trends as dashboard_trends
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.helpers import english
from tests.scoring.dashboard_helpers import (
    URL,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_minimum_sample")]


# --- Who reaches it -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_operators_and_administrators_are_refused(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


@pytest.mark.parametrize("persona", ["leader", "district_staff"])
def test_leader_and_district_staff_see_the_district_and_may_choose_any_jurisdiction(
    persona: str, request: pytest.FixtureRequest, dengfeng: Jurisdiction
) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["scope"].code == "district"
    codes = {place.code for place in response.context["places"]}
    assert {DENGFENG, DESHENG} <= codes
    response = client.get(URL, {"scope": DENGFENG})
    assert response.status_code == 200
    assert response.context["scope"].jurisdiction == dengfeng


def test_street_staff_see_their_own_jurisdiction_by_default(street_staff: User) -> None:
    response = client_for(street_staff).get(URL)
    assert response.status_code == 200
    assert response.context["scope"].code == DENGFENG
    assert [place.code for place in response.context["places"]] == [DENGFENG]
    assert 'value="district"' not in response.content.decode()


@pytest.mark.parametrize("scope", ["district", DESHENG, "999999999999"])
def test_street_staff_asking_for_another_scope_get_404(street_staff: User, scope: str) -> None:
    assert client_for(street_staff).get(URL, {"scope": scope}).status_code == 404
    assert AuditEvent.objects.filter(
        actor=street_staff, action="access.denied", detail__requested=scope
    ).exists()


def test_an_unknown_jurisdiction_is_404_for_a_leader_too(leader: User) -> None:
    assert client_for(leader).get(URL, {"scope": "210212999000"}).status_code == 404


# --- Period ---------------------------------------------------------------------------------------


def test_default_period_is_the_last_complete_month(leader: User) -> None:
    """Never a month a few days old: the dashboard opens on the last month that has ended."""
    response = client_for(leader).get(URL)
    expected = periods.last_complete(periods.MONTH, timezone.localdate())
    assert response.context["board"].period.key == expected.key
    assert response.context["board"].open_label == ""
    assert dashboard_trends.default_period(dt.date(2026, 12, 5)).key == "2026-11"
    assert dashboard_trends.default_period(dt.date(2026, 1, 31)).key == "2025-12"


def test_default_period_may_be_the_last_complete_quarter(leader: User, settings: Any) -> None:
    settings.DASHBOARD_DEFAULT_PERIOD = "quarter"
    response = client_for(leader).get(URL)
    expected = periods.last_complete(periods.QUARTER, timezone.localdate())
    assert response.context["board"].period.key == expected.key
    assert dashboard_trends.default_period(dt.date(2026, 12, 5)).key == "2026-Q3"


@pytest.mark.parametrize("text", ["2026-13", "October", "2026-Q5", "1999"])
def test_a_malformed_period_is_explained_not_a_500(leader: User, text: str) -> None:
    response = english(leader).get(URL, {"period": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="period-error"' in html
    assert "Malformed period" in html
    assert "board" not in response.context  # no figures for a period that is not one


@pytest.mark.parametrize(("text", "key"), [("2026", "2026"), ("2026-q3", "2026-Q3")])
def test_years_and_quarters_are_periods_too(leader: User, text: str, key: str) -> None:
    response = client_for(leader).get(URL, {"period": text})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.period.key == key
    assert len(board.chart["trend"]["periods"]) == dashboard.TREND_PERIODS
