"""Issue 15's acceptance, tried as a new user would on a 1366×768 office screen and a 390×844 phone.

A consumer finds a demonstration unit from the home page's search; a shop owner on a phone
registers from the home page, fills all five commitments with one 保存 and applies for
demonstration status, on operator pages that never scroll sideways; staff at 1366 px see the
whole menu and the notification badge without a menu button, and a list starts above the fold
with its filters folded. Staff steps (confirming the licence of a new credit code) are taken
through the services, as tests/browser/test_demonstration_flow.py does.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lyushunkou.models import Jurisdiction, User
from lyushunkou.notifications import notify
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, login
from tests.conftest import PASSWORD
from tests.units.helpers import PDF, approved_application
from units import services_claims
from units.credit_codes import generate_credit_code
from units.models import Commitment, DemonstrationApplication, Unit
from units.models_claims import UnitClaim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHOP = "旅顺口渔港海鲜酒家"

COMMITMENTS = {
    "first_ask-content": "首问负责：第一位接待的员工负责到底。",
    "advance_comp-content": "消费纠纷由本店先行赔付。",
    "purchase-content": "食材进货查验，索证索票，台账齐全。",
    "return-content": "预包装商品七日无理由退货。",
    "return-return_scope": "除生鲜食品外的预包装商品",
    "return-return_days": "7",
    "service-content": "投诉当日受理，十个工作日内办结。",
}


def open_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def scrolls_sideways(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


@pytest.mark.parametrize("viewport", [OFFICE, PHONE], ids=["1366x768", "390x844"])
def test_a_consumer_finds_a_demonstration_unit_from_the_home_page(
    browser: Any,
    live_server: Any,
    unit: Unit,
    operator: User,
    street_staff: User,
    viewport: dict[str, int],
) -> None:
    approved_application(unit, operator, street_staff)  # 旅顺老街海鲜馆, certified today
    page = open_page(browser, viewport)

    page.goto(f"{live_server.url}/")
    search = page.get_by_test_id("front-search")
    expect(search).to_be_in_viewport()  # the search box is on the first screen
    search.get_by_role("searchbox").fill("海鲜")
    submit(page, "[data-testid=front-search] button[type=submit]")

    results = page.get_by_test_id("directory")
    expect(results.get_by_role("link", name=unit.name)).to_be_visible()
    with page.expect_navigation():
        results.get_by_role("link", name=unit.name).click()
    assert page.url.endswith(f"/u/{unit.public_id}/")
    expect(page.get_by_test_id("certificate-no")).to_contain_text(unit.certificate_no)


def test_a_shop_owner_registers_commits_and_applies_on_a_phone(
    browser: Any, live_server: Any, street_staff: User, dengfeng: Jurisdiction, tmp_path: Path
) -> None:
    code = generate_credit_code(random.Random(1502))
    phone = open_page(browser, PHONE)

    # 1. From the home page to the registration form.
    phone.goto(f"{live_server.url}/")
    with phone.expect_navigation():
        phone.get_by_test_id("front-links").get_by_role("link", name="我是经营者").click()
    assert phone.url.endswith("/accounts/register/")
    assert not scrolls_sideways(phone)
    for name, value in {
        "username": "yugang",
        "full_name": "周八",
        "phone": "13900139000",
        "password1": "Lvshun-Yugang-2026",
        "password2": "Lvshun-Yugang-2026",
        "credit_code": code,
        "name": SHOP,
        "address": "辽宁省大连市旅顺口区登峰街道黄河路20号",
        "legal_representative": "周八",
    }.items():
        phone.fill(f"input[name={name}]", value)
    phone.select_option("select[name=industry]", "catering")
    phone.select_option("select[name=jurisdiction]", label=dengfeng.name)
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    phone.set_input_files("input[name=licence]", str(licence))
    submit(phone, "main form button[type=submit]")
    assert phone.url.endswith("/workspace/")
    unit = Unit.objects.get(credit_code=code)
    # Staff confirm the business licence of the new code: only then may the unit act.
    services_claims.claim_decide(
        claim=UnitClaim.objects.get(unit=unit), by=street_staff, approve=True
    )

    # 2. The workspace: a card per unit, its main actions full-width buttons.
    phone.reload()
    card = phone.get_by_test_id("unit-card").filter(has_text=SHOP)
    expect(card).to_be_visible()
    main_width = phone.locator("main").evaluate("e => e.clientWidth")
    for action in ("申请放心消费示范单位", "12315服务站", "承诺"):
        button = card.get_by_role("link", name=action, exact=True)
        box = button.bounding_box()
        assert box is not None, action
        assert box["width"] >= main_width * 0.75, action
    # The shop's name reads across the card, not one character a line.
    name_box = card.locator(".unit-name").bounding_box()
    assert name_box is not None
    assert name_box["width"] > 150
    assert not scrolls_sideways(phone)

    # 3. All five commitments, with one press of 保存.
    submit(phone, f"[data-testid=unit-card]:has-text('{SHOP}') a[href$='/commitments/']")
    for name, value in COMMITMENTS.items():
        phone.fill(f"[name='{name}']", value)
    assert not scrolls_sideways(phone)
    submit(phone, "[data-testid=commitments-form] button[type=submit]")
    saved = set(unit.commitments.filter(active=True).values_list("kind", flat=True))
    assert saved == set(Commitment.Kind.values)

    # 4. The application: a draft, then submitted.
    phone.goto(f"{live_server.url}/workspace/units/{unit.pk}/")
    assert not scrolls_sideways(phone)
    submit(phone, "[data-testid=unit-actions] a[href$='/applications/new/']")
    assert not scrolls_sideways(phone)
    phone.fill("textarea[name=statement]", "明码标价，食材进货查验台账齐全，五项承诺均已公开。")
    phone.check("input[name=commitments_confirmed]")
    submit(phone, "main form button[type=submit]")
    assert not scrolls_sideways(phone)
    submit(phone, "button[name=action][value=submit]")
    application = DemonstrationApplication.objects.get(unit=unit)
    assert application.status == "submitted"
    expect(phone.get_by_test_id("application-status")).to_have_text("已提交")

    # 5. The operator's other pages fit the phone too.
    pages = (
        "/workspace/",
        "/workspace/complaints/",
        "/workspace/grades/",
        f"/workspace/units/{unit.pk}/station/",
    )
    for path in pages:
        phone.goto(f"{live_server.url}{path}")
        assert not scrolls_sideways(phone), path


def test_staff_see_the_whole_menu_and_the_badge_at_1366(
    browser: Any, live_server: Any, district_staff: User
) -> None:
    notify([district_staff], message="测试通知", link="/complaints/", key="front-door-test")
    page = open_page(browser, OFFICE)
    login(page, live_server, district_staff.username, PASSWORD)

    expect(page.locator(".navbar-toggler")).to_be_hidden()
    menu = page.get_by_test_id("main-menu")
    expect(menu).to_be_visible()
    for entry in menu.locator(":scope > li").all():
        expect(entry).to_be_in_viewport()
    badge = page.get_by_test_id("notification-badge")
    expect(badge).to_be_visible()
    expect(badge.locator(".badge")).to_contain_text("1")

    # A list starts above the fold: its filters folded behind one button.
    page.goto(f"{live_server.url}/complaints/")
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.get_by_test_id("complaint-table")).to_be_in_viewport()
    page.get_by_test_id("filter-toggle").click()
    expect(page.locator("#filters")).to_be_visible()
