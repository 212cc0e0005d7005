"""Issue 6's acceptance for explaining a grade, as a new user would try it in the browser.

Operator dave opens his grade from "My grades", sees why it is D (a price-fraud penalty vetoes it;
a failed sampling batch takes quality points), and appeals it naming the price guarantee; staff
of his street find the appeal in their list, uphold it with a correction that lifts the veto, and
dave sees the re-scored grade with the correction among its evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from inspections import services_checks as checks
from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.grading import engine
from scoring.models import Appeal, UnitScore
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.inspections.helpers import batch as record_batch
from tests.scoring.conftest import default_rubric
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Wide enough for the whole menu (the navbar collapses below Bootstrap's xxl breakpoint).
WIDE = {"width": 1600, "height": 1000}


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


@pytest.fixture
def graded(unit: Unit, street_staff: User, dengfeng: Jurisdiction) -> UnitScore:
    # The expected points below are rubric v1's (version 2, migration 0009, is the active one):
    # load v1 again if a flush removed it, and make it the active version.
    default_rubric()
    today = timezone.localdate()
    record_batch(
        street_staff,
        dengfeng,
        sampled_on=today - dt.timedelta(days=20),
        sampled_unit_name=unit.name,
        sampled_unit_credit_code=unit.credit_code,
        result="fail",
    )
    checks.penalty_save(
        by=street_staff,
        unit=unit,
        kind="price_fraud",
        decision_no="旅市监罚〔2026〕11号",
        decided_on=today - dt.timedelta(days=10),
        amount=3000,
    )
    engine.score_units(periods.current(), unit_ids=[unit.pk])
    return UnitScore.objects.get(unit=unit)


def test_an_operator_sees_why_and_appeals_and_staff_uphold_it(
    browser: Any, live_server: Any, graded: UnitScore, operator: User, street_staff: User
) -> None:
    unit = graded.unit
    assert graded.grade == "D"

    # 1. Dave opens his grades from the menu and follows his unit's grade.
    own = browser.new_page(locale="zh-CN", viewport=WIDE)
    login(own, live_server, operator.username, PASSWORD)
    with own.expect_navigation():
        own.locator("[data-testid=main-menu] a[href='/workspace/grades/']").click()
    submit(own, f"[data-testid=operator-grade][data-unit='{unit.pk}'] [data-testid=open-grade]")
    assert own.locator("[data-testid=score-grade]").inner_text().strip() == "D"

    # 2. He sees why: the veto and the evidence lines, each with its records.
    assert own.locator("[data-testid=score-vetoes]").is_visible()
    assert "旅市监罚〔2026〕11号" in own.locator("[data-testid=score-vetoes]").inner_text()
    fail = own.locator("[data-testid=evidence-line][data-indicator=q_sampling_fail]")
    assert fail.locator("[data-testid=evidence-points]").inner_text().strip() == "-4.0"
    assert fail.locator("[data-testid=evidence-record]").count() == 1
    assert (
        own.locator("[data-testid=guarantee-quality] [data-testid=guarantee-points]").inner_text()
        == "13.0"
    )

    # 3. He appeals, naming the price guarantee.
    own.check("[data-testid=appeal-form] input[name=kind][value=appeal]")
    own.select_option("[data-testid=appeal-form] select[name=guarantee]", "price")
    own.fill(
        "[data-testid=appeal-form] textarea[name=text]", "该处罚已经行政复议撤销，附复议决定书。"
    )
    submit(own, "[data-testid=appeal-form] button[type=submit]")
    assert own.locator("[data-testid=appeal][data-status=pending]").count() == 1
    appeal = Appeal.objects.get(unit=unit)

    # 4. Staff of his street find it among the appeals awaiting a decision and uphold it.
    staff = browser.new_page(locale="zh-CN", viewport=WIDE)
    login(staff, live_server, street_staff.username, PASSWORD)
    # Appeals are in a group of the menu: open its dropdown first.
    appeals = staff.locator("a[href='/appeals/']")
    group = staff.get_by_test_id("menu-group").filter(has=appeals)
    group.locator(".dropdown-toggle").click()
    with staff.expect_navigation():
        group.locator(appeals).click()
    submit(staff, f"[data-testid=appeal-row][data-appeal='{appeal.pk}'] a")
    assert "该处罚已经行政复议撤销" in staff.locator("[data-testid=appeal-text]").inner_text()
    form = "[data-testid=decision-form]"
    staff.check(f"{form} input[name=decision][value=upheld]")
    staff.select_option(f"{form} select[name=guarantee]", "price")
    staff.select_option(f"{form} select[name=indicator]", "p_fraud_veto")
    staff.fill(f"{form} input[name=points]", "0")
    staff.check(f"{form} input[name=lift_veto]")
    staff.fill(f"{form} textarea[name=reason]", "处罚决定已被复议撤销，取消一票否决。")
    submit(staff, f"{form} button[type=submit]")
    assert staff.locator("[data-testid=appeal-status]").first.inner_text().strip() != ""
    appeal.refresh_from_db()
    assert appeal.status == "upheld"

    # 5. Dave sees the re-scored grade, the correction among the evidence, and the decision.
    own.reload()
    assert own.locator("[data-testid=score-grade]").inner_text().strip() != "D"
    assert own.locator("[data-testid=score-vetoes]").count() == 0
    correction = own.locator("[data-testid=evidence-line][data-kind=correction]")
    assert correction.count() == 1
    assert correction.locator(f"a[href='#appeal-{appeal.pk}']").count() == 1
    decided = own.locator("[data-testid=appeal][data-status=upheld]")
    assert "处罚决定已被复议撤销" in decided.locator("[data-testid=appeal-decision]").inner_text()
