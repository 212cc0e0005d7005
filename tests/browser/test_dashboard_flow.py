"""Issue 6's acceptance for the dashboard, as a new user would try it in the browser.

A leader (carol) logs in, opens the dashboard from the menu, sees the charts drawn (under the
portal's CSP: no inline scripts or styles) and a missed target, follows it, and lands on the
complaint list behind it with the period's filters applied.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from complaints import services
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.models import GradeSummary, TargetResult
from tests.browser.conftest import login
from tests.complaints.helpers import register
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def evaluated(period: periods.Period) -> None:
    """The targets as ``scoring.targets.refresh`` would leave them: handling missed, food met."""
    for order, (key, label, numerator, denominator, threshold, met) in enumerate(
        (
            ("complaint_handling_rate", "投诉处理率", 3, 4, "1", False),
            ("food_sampling_pass_rate", "食品抽检合格率", 97, 100, "0.97", True),
        )
    ):
        for when in period.last(3):
            TargetResult.objects.create(
                period=when.key,
                scope_code="district",
                key=key,
                label=label,
                numerator=Decimal(numerator),
                denominator=Decimal(denominator),
                value=Decimal(numerator) / Decimal(denominator),
                comparator="eq" if key.startswith("complaint") else "gte",
                threshold=Decimal(threshold),
                met=met,
                order=order,
                evaluated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )


def test_a_leader_follows_a_missed_target_to_the_list_behind_it(
    browser: Any, live_server: Any, leader: User, dengfeng: Jurisdiction
) -> None:
    period = periods.current()
    evaluated(period)
    for grade, units in (("A", 4), ("B", 9), ("C", 2), ("D", 1)):
        GradeSummary.objects.create(
            period=period.key, jurisdiction=dengfeng, grade=grade, units=units
        )
    # Not accepted, so handled whatever today is: the handling rate counts it.
    in_period = register(dengfeng, on=period.start)
    services.complaint_refuse(
        complaint=in_period,
        by=None,
        version=in_period.version,
        ground="elsewhere",
        on=period.start,
    )
    before = register(dengfeng, on=period.start - dt.timedelta(days=1))

    # A wide screen: the menu is not folded behind its toggler (navbar-expand-xxl).
    page = browser.new_page(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    login(page, live_server, leader.username, PASSWORD)
    with page.expect_navigation():
        page.locator("[data-testid=main-menu] a[href='/dashboard/']").click()
    assert urlsplit(page.url).path == "/dashboard/"

    # The charts are drawn: the trend and both grade distributions.
    page.wait_for_selector("html[data-charts-ready='3']")
    assert page.locator("[data-chart=trend] canvas").count() == 1
    assert page.locator("[data-chart=grades-all] canvas").count() == 1
    # Hovering shows the tooltips, drawn without inline styles (the CSP watcher would fail).
    page.hover("[data-chart=trend]")
    page.hover("[data-chart=grades-all]")
    page.wait_for_timeout(300)

    # The missed target is marked, with its numbers.
    missed = page.locator("[data-testid=target-complaint_handling_rate]")
    assert missed.get_attribute("data-met") == "no"
    assert (
        page.locator("[data-testid=target-food_sampling_pass_rate]").get_attribute("data-met")
        == "yes"
    )
    assert page.inner_text("[data-testid=target-numerator-complaint_handling_rate]") == "3"
    assert page.inner_text("[data-testid=target-denominator-complaint_handling_rate]") == "4"

    # Following it opens the complaints received in the period.
    with page.expect_navigation():
        page.locator("[data-testid=target-link-complaint_handling_rate]").click()
    url = urlsplit(page.url)
    assert url.path == "/complaints/"
    assert parse_qs(url.query) == {
        "kind": ["complaint"],
        "received_from": [period.start.isoformat()],
        "received_to": [period.end.isoformat()],
        "counted": ["handling"],
    }
    assert page.input_value("select[name=kind]") == "complaint"
    assert page.input_value("input[name=received_from]") == period.start.isoformat()
    table = page.inner_text("[data-testid=complaint-table]")
    assert in_period.record_no in table
    assert before.record_no not in table
