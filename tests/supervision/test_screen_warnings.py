"""Early warnings on the leaders' big screen (issue 19 item 2): the week's alerts list the early
warnings still open or acknowledged that the nightly job raised or kept up this week, within the
screen's scope, in a number of queries that does not grow with them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import Jurisdiction, User
from supervision.models import EarlyWarning
from tests.conftest import DESHENG, client_for

pytestmark = pytest.mark.django_db

URL = reverse("dashboard-screen")


def warning(
    street: Jurisdiction,
    *,
    category: str = "price",
    ended: int = 1,
    state: str = "open",
    observed: int = 9,
) -> EarlyWarning:
    """A street warning whose window ended ``ended`` days ago."""
    end = timezone.localdate() - dt.timedelta(days=ended)
    return EarlyWarning.objects.create(
        key=f"complaints:street:{street.pk}:{category}:{state}:{ended}",
        metric="complaints",
        jurisdiction=street,
        category=category,
        window_start=end - dt.timedelta(days=29),
        window_end=end,
        observed=observed,
        baseline=2.0,
        limit=8,
        evidence={"records": [], "more": 0},
        state=state,
        note="已核实" if state == "closed" else "",
        closed_at=timezone.now() if state == "closed" else None,
    )


def test_the_weeks_open_warnings_are_among_the_alerts(leader: User, dengfeng: Jurisdiction) -> None:
    shown = warning(dengfeng, observed=11)
    acknowledged = warning(dengfeng, category="quality", state="acknowledged")
    warning(dengfeng, category="service", state="closed")
    warning(dengfeng, category="safety", ended=20)  # not kept up this week: it no longer rose
    alerts = client_for(leader).get(URL).context["screen"].alerts
    assert alerts.early_warnings == 2
    assert [row.title for row in alerts.early_warning_rows] == [
        shown.subject,
        acknowledged.subject,
    ]
    assert alerts.early_warning_rows[0].place == dengfeng.name


def test_the_count_is_on_the_screen(leader: User, dengfeng: Jurisdiction) -> None:
    warning(dengfeng)
    html = client_for(leader).get(URL).content.decode()
    assert 'data-testid="alert-early-warnings">1<' in html


def test_a_streets_screen_shows_only_its_own_warnings(
    leader: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    warning(dengfeng)
    alerts = client_for(leader).get(URL, {"scope": DESHENG}).context["screen"].alerts
    assert alerts.early_warnings == 0


def test_street_staff_see_their_streets_warnings_only(
    street_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    mine = warning(dengfeng)
    warning(desheng)
    alerts = client_for(street_staff).get(URL).context["screen"].alerts
    assert [row.title for row in alerts.early_warning_rows] == [mine.subject]


def test_more_warnings_cost_no_more_queries(leader: User, dengfeng: Jurisdiction) -> None:
    client = client_for(leader)
    warning(dengfeng)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for category in ("quality", "safety", "service", "contract", "after_sales", "other"):
        warning(dengfeng, category=category)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
