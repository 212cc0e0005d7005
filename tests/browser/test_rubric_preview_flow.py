"""Issue 13's "done when", tried in the browser: the system administrator copies the active rubric
as a draft, raises the price baseline in the admin, previews the draft on the calibration page
(the distribution beside the active version and the units whose grade would change), and activates
it after the confirmation that repeats that summary; an operator's grade page lists the items
still waiting for verification (待核实).

The records are dated relative to today, 45 days back: always inside last month's window, which
is the period the activation confirmation grades on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lyushunkou.models import Jurisdiction, User
from scoring import periods
from scoring.grading import engine
from scoring.models import Indicator, Rubric
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.scoring.conftest import check, make_unit
from tests.scoring.test_rubric_v2 import rubric_v2
from units.models import Commitment, ServiceStation, Unit

pytestmark = pytest.mark.django_db(transaction=True)


def near_b(staff: User, street: Jurisdiction, owner: User | None = None) -> Unit:
    """Verified first-asking, advance compensation and public service commitments, a verified
    station and a passed safety check; nothing on quality or price: 12 + 18 + 12 + 14 + 16 = 72,
    a C under v2, and a B once the price baseline is 16. Its purchase inspection is declared but
    not verified (待核实)."""
    on = timezone.localdate() - dt.timedelta(days=45)
    verified = timezone.now() - dt.timedelta(days=50)
    unit = make_unit(
        "差一点到B的店",
        street,
        owner=owner,
        commitments=("first_ask", "advance_comp", "service", "purchase"),
        station=True,
    )
    Commitment.objects.filter(unit=unit).exclude(kind="purchase").update(
        verified_at=verified, verified_by=staff, verification_note="查阅了制度文本。"
    )
    ServiceStation.objects.filter(unit=unit).update(verified_at=verified, verified_by=staff)
    check(unit, staff, on, "safety")
    return unit


def admin_login(page: Any, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()


def run_action(page: Any, version: int, label: str) -> None:
    """Tick the rubric of ``version`` on the change list and run the action named ``label``."""
    row = page.locator("#result_list tbody tr").filter(
        has=page.locator("th, td").get_by_text(str(version), exact=True)
    )
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", label=label)
    with page.expect_navigation():
        page.locator("button[name=index], input[name=index]").first.click()


def test_the_sysadmin_previews_a_draft_that_raises_the_price_baseline_and_activates_it(
    live_server: Any, page: Any, sysadmin: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    rubric_v2()
    unit = near_b(district_staff, dengfeng)
    last_month = periods.current().previous()

    admin_login(page, live_server, sysadmin)
    page.goto(f"{live_server.url}/admin/scoring/rubric/")
    run_action(page, 2, "复制为新草稿")
    draft = Rubric.objects.get(status=Rubric.Status.DRAFT)
    expect(page.locator(".messagelist")).to_contain_text(f"草稿第 {draft.version} 版")

    # Raise the price baseline to 16 and lower the price check's award to 4 (the caps of a
    # guarantee's awards must still add up to 20), in the draft's indicator table.
    page.goto(f"{live_server.url}/admin/scoring/rubric/{draft.pk}/change/")
    for code, points in (("p_base", "16"), ("p_check_pass", "4")):
        indicator = Indicator.objects.get(rubric=draft, code=code)
        row = page.locator("tr.form-row").filter(
            has=page.locator(f"input[name$='-id'][value='{indicator.pk}']")
        )
        row.locator("input[name$='-points']").fill(points)
        row.locator("input[name$='-limit']").fill(points)
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Indicator.objects.get(rubric=draft, code="p_base").points == 16

    # The preview: the draft beside the active version and the unit whose grade would change.
    page.goto(
        f"{live_server.url}/grades/calibration/?period={last_month.key}&rubric={draft.version}"
    )
    changes = page.get_by_test_id("calibration-changes")
    expect(changes).to_contain_text(unit.name)
    expect(changes).to_contain_text("C")
    expect(changes).to_contain_text("B")

    # Activation asks first, with the same summary, then activates.
    page.goto(f"{live_server.url}/admin/scoring/rubric/")
    run_action(page, draft.version, "启用（先校验）")
    expect(page.get_by_test_id("activation-distribution")).to_be_visible()
    expect(page.get_by_test_id("activation-changes")).to_contain_text(unit.name)
    assert Rubric.objects.get(pk=draft.pk).status == Rubric.Status.DRAFT
    with page.expect_navigation():
        page.get_by_role("button", name="是，启用").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"第 {draft.version} 版")
    assert Rubric.objects.get(pk=draft.pk).status == Rubric.Status.ACTIVE
    assert Rubric.objects.get(version=2).status == Rubric.Status.RETIRED


def test_an_operators_grade_page_shows_what_waits_for_verification(
    live_server: Any, page: Any, operator: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    rubric_v2()
    unit = near_b(district_staff, dengfeng, owner=operator)
    period = periods.current().previous()
    engine.score_units(period, unit_ids=[unit.pk], tell_operators=False)

    login(page, live_server, operator.username, PASSWORD)
    page.goto(f"{live_server.url}/workspace/grades/")
    with page.expect_navigation():
        page.locator(f"a[href*='/grades/{unit.pk}/{period.key}/']").first.click()
    pending = page.get_by_test_id("score-pending")
    expect(pending).to_contain_text("待核实")
    expect(page.get_by_test_id("pending-item")).to_have_count(1)
    expect(page.get_by_test_id("pending-item")).to_contain_text("进货查验")
