"""Issue 6's acceptance for the dashboard, as a new user would try it in the browser.

A leader (carol) logs in, opens the dashboard from the menu, chooses a month, sees the charts
drawn (one small chart per target and the grade distributions, under the portal's CSP: no inline
scripts or styles) and a missed target, follows its numerator, and lands on the complaint list
behind it with the period's filters and the figure's as-of instant applied: as many complaints as
the numerator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from complaints import services
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.models import GradeSummary, TargetResult
from tests.browser.conftest import login
from tests.complaints.helpers import register
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def evaluated(period: periods.Period, numerator: int, denominator: int) -> None:
    """The targets as ``scoring.targets.refresh`` would leave them now: handling missed (with the
    given counts), food met, over the period and the two before it."""
    at = timezone.now()
    for order, (key, label, num, den, threshold, met) in enumerate(
        (
            ("complaint_handling_rate", "投诉处理率", numerator, denominator, "1", False),
            ("food_sampling_pass_rate", "食品抽检合格率", 97, 100, "0.97", True),
        )
    ):
        for when in period.last(3):
            TargetResult.objects.create(
                period=when.key,
                scope_code="district",
                key=key,
                label=label,
                numerator=Decimal(num),
                denominator=Decimal(den),
                value=Decimal(num) / Decimal(den),
                comparator="eq" if key.startswith("complaint") else "gte",
                threshold=Decimal(threshold),
                met=met,
                order=order,
                evaluated_at=at,
            )


def test_a_leader_follows_a_missed_target_to_the_list_behind_it(
    browser: Any, live_server: Any, leader: User, dengfeng: Jurisdiction
) -> None:
    # A complete month: the figure's window is the whole month.
    period = periods.last_complete()
    for grade, units in (("A", 4), ("B", 9), ("C", 2), ("D", 1)):
        GradeSummary.objects.create(
            period=period.key, jurisdiction=dengfeng, grade=grade, units=units
        )
    # Not accepted, so handled whatever today is: the handling rate counts it, as handled.
    in_period = register(dengfeng, on=period.start)
    services.complaint_refuse(
        complaint=in_period,
        by=None,
        version=in_period.version,
        ground="elsewhere",
        on=period.start,
    )
    # Still open and past its time limit: counted, not handled.
    still_open = register(dengfeng, on=period.start)
    before = register(dengfeng, on=period.start - dt.timedelta(days=1))
    # Evaluated after the complaints were recorded: the lists as of then hold them.
    evaluated(period, numerator=1, denominator=2)

    # A wide screen: the menu is not folded behind its toggler (navbar-expand-xxl).
    page = browser.new_page(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    login(page, live_server, leader.username, PASSWORD)
    with page.expect_navigation():
        page.locator("[data-testid=main-menu] a[href='/dashboard/']").click()
    assert urlsplit(page.url).path == "/dashboard/"
    # The month the figures are of, chosen explicitly (the default depends on settings).
    page.goto(f"{live_server.url}/dashboard/?period={period.key}")

    # The charts are drawn: one small chart per target and both grade distributions.
    page.wait_for_selector("html[data-charts-ready='4']")
    assert page.locator("[data-chart=trend] canvas").count() == 2
    assert page.locator("[data-testid=trend-chart-complaint_handling_rate] canvas").count() == 1
    assert page.locator("[data-chart=grades-all] canvas").count() == 1
    # Hovering shows the tooltips, drawn without inline styles (the CSP watcher would fail).
    page.hover("[data-testid=trend-chart-complaint_handling_rate]")
    page.hover("[data-chart=grades-all]")
    page.wait_for_timeout(300)

    # The missed target is marked, with its numbers.
    missed = page.locator("[data-testid=target-complaint_handling_rate]")
    assert missed.get_attribute("data-met") == "no"
    assert (
        page.locator("[data-testid=target-food_sampling_pass_rate]").get_attribute("data-met")
        == "yes"
    )
    numerator = page.inner_text("[data-testid=target-numerator-complaint_handling_rate]")
    assert numerator == "1"
    assert page.inner_text("[data-testid=target-denominator-complaint_handling_rate]") == "2"

    # Following the numerator opens the complaints it counted: received in the period, handled,
    # as recorded when the figure was evaluated.
    with page.expect_navigation():
        page.locator("[data-testid=target-numerator-link-complaint_handling_rate]").click()
    url = urlsplit(page.url)
    assert url.path == "/complaints/"
    query = parse_qs(url.query)
    assert set(query.pop("recorded_to"))
    assert query == {
        "kind": ["complaint"],
        "received_from": [period.start.isoformat()],
        "received_to": [period.end.isoformat()],
        "counted": ["handled"],
    }
    assert page.input_value("select[name=kind]") == "complaint"
    assert page.input_value("input[name=received_from]") == period.start.isoformat()
    table = page.inner_text("[data-testid=complaint-table]")
    assert in_period.record_no in table
    assert still_open.record_no not in table
    assert before.record_no not in table
    # The list holds exactly as many complaints as the figure's numerator.
    assert page.locator("[data-testid=complaint-table] tbody tr").count() == int(numerator)
