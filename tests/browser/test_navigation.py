"""Each role logs in through the real form and sees its own menu, in Chinese."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from lyushunkou.models import User
from tests.browser.conftest import login
from tests.conftest import PASSWORD

# Transactional, so that pytest-django runs these after the tests that rely on migration data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each role's menu: top-level links, and groups (a dropdown) with their entries.
Menu = list[tuple[str, list[str]]]
STAFF_MENU: Menu = [
    ("工作台", []),
    ("数据驾驶舱", []),
    ("经营主体", ["经营主体", "示范创建申请", "经营主体认领", "示范街区/行业"]),
    ("投诉举报", ["投诉举报", "问卷答卷"]),
    ("抽检检查", ["抽检", "现场检查", "风险监管"]),
    ("评价与报告", ["等级评定", "申诉", "报告"]),
    ("辖区与公告", ["辖区", "示范区创建与维权网络", "通知公告"]),
]
LEADER_MENU: Menu = [
    ("工作台", []),
    ("数据驾驶舱", []),
    ("经营主体", ["经营主体", "示范创建申请", "示范街区/行业"]),
    ("投诉举报", ["投诉举报", "问卷答卷"]),
    ("抽检检查", ["抽检", "现场检查", "风险监管"]),
    ("评价与报告", ["等级评定", "报告"]),
    ("辖区与公告", ["辖区", "示范区创建与维权网络"]),
]
ROLE_CASES = [
    ("district_staff", STAFF_MENU, "市场监管人员"),
    ("street_staff", STAFF_MENU, "市场监管人员"),
    ("leader", LEADER_MENU, "区领导"),
    (
        "operator",
        [("工作台", []), ("我的经营主体", []), ("投诉处理", []), ("我的等级", [])],
        "经营者",
    ),
    ("sysadmin", [("工作台", []), ("系统管理", [])], "系统管理员"),
    ("secadmin", [("工作台", []), ("系统管理", [])], "安全管理员"),
    ("auditor", [("工作台", []), ("审计日志", [])], "安全审计员"),
]
LOGIN_ERROR = ".alert-danger, .errorlist.nonfield, [role=alert]"
# Wide enough for the menu not to fold behind its toggler (navbar-expand-xxl).
WIDE = {"width": 1600, "height": 1000}


def menu_structure(page: Any) -> Menu:
    entries = page.get_by_test_id("main-menu").locator(":scope > li")
    return [
        (
            entry.locator(".nav-link").inner_text().strip(),
            [text.strip() for text in entry.locator(".dropdown-item").all_text_contents()],
        )
        for entry in entries.all()
    ]


@pytest.mark.parametrize(
    ("persona", "menu", "role_name"), ROLE_CASES, ids=[case[0] for case in ROLE_CASES]
)
def test_each_role_logs_in_and_sees_its_menu_in_chinese(
    request: pytest.FixtureRequest,
    live_server: Any,
    page: Any,
    persona: str,
    menu: Menu,
    role_name: str,
) -> None:
    user = request.getfixturevalue(persona)

    login(page, live_server, user.username, PASSWORD)

    assert page.url == f"{live_server.url}/"
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert menu_structure(page) == menu
    current_user = page.get_by_test_id("current-user")
    expect(current_user).to_have_text(f"{user.display_name} · {role_name}")
    if persona == "street_staff":
        # The data migration's jurisdictions reach the live server: the scope links to 登峰街道.
        expect(page.locator("main").get_by_role("link", name="登峰街道")).to_be_visible()
    if persona == "district_staff" and os.environ.get("SCREENSHOTS"):
        page.screenshot(path="/tmp/staff-workbench.png", full_page=True)  # noqa: S108


def test_staff_open_a_group_and_its_entry_and_the_group_shows_where_they_are(
    browser: Any, live_server: Any, street_staff: User
) -> None:
    page = browser.new_page(locale="zh-CN", viewport=WIDE)
    login(page, live_server, street_staff.username, PASSWORD)
    group = page.get_by_test_id("menu-group").filter(has_text="抽检检查")
    checks = group.get_by_role("link", name="现场检查")
    expect(checks).to_be_hidden()

    group.get_by_role("button", name="抽检检查").click()
    expect(checks).to_be_visible()
    with page.expect_navigation():
        checks.click()

    assert urlsplit(page.url).path == "/checks/"
    expect(group.locator(".dropdown-toggle")).to_have_class(re.compile(r"\bactive\b"))
    expect(group.locator("[aria-current=page]")).to_have_attribute("href", "/checks/")
    # Only the current page and its group are marked.
    expect(page.get_by_test_id("main-menu").locator(".active")).to_have_count(2)
    page.close()


def test_wrong_password_shows_a_clear_error_in_chinese(
    live_server: Any, page: Any, district_staff: Any
) -> None:
    login_url = f"{live_server.url}/accounts/login/"

    login(page, live_server, district_staff.username, "not-the-password")
    assert page.url.startswith(login_url)
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    error = page.locator(LOGIN_ERROR).first
    expect(error).to_contain_text("正确的")
    wrong_password_message = error.inner_text().strip()

    login(page, live_server, "nobody-by-this-name", "not-the-password")
    assert page.url.startswith(login_url)
    unknown_user_message = page.locator(LOGIN_ERROR).first.inner_text().strip()

    # The same words either way: the form must not tell who has an account.
    assert unknown_user_message == wrong_password_message


def test_language_switcher_changes_to_english(live_server: Any, page: Any, leader: Any) -> None:
    login(page, live_server, leader.username, PASSWORD)
    menu = page.get_by_test_id("main-menu")
    expect(menu).to_contain_text("工作台")

    with page.expect_navigation():
        page.locator("footer").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(menu).to_contain_text("Workbench")

    with page.expect_navigation():
        page.locator("footer").get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(menu).to_contain_text("工作台")


def test_the_admin_works_under_the_content_security_policy(
    page: Any, live_server: Any, sysadmin: User, secadmin: User
) -> None:
    response = page.goto(f"{live_server.url}/admin/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("input[name=username]", sysadmin.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    for path in (
        "/admin/",
        "/admin/lyushunkou/jurisdiction/",
        "/admin/lyushunkou/calendaroverride/add/",
        f"/admin/lyushunkou/user/{secadmin.pk}/change/",
        "/admin/django_celery_beat/periodictask/",
    ):
        assert page.goto(f"{live_server.url}{path}").status == 200
    # The calendar widget and the theme toggle are the admin's own scripts: they must run.
    page.goto(f"{live_server.url}/admin/lyushunkou/calendaroverride/add/")
    page.locator(".datetimeshortcuts a").first.click()
    assert page.input_value("input[name=date]")
