"""A staff login that requires a TOTP code, through the real forms (issue 8, item 2)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lyushunkou.models import AuditEvent, User
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_login_asks_for_the_authenticator_code(
    settings: Any, live_server: Any, page: Any, district_staff: User
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=district_staff, name="phone", confirmed=True)

    login(page, live_server, district_staff.username, PASSWORD)

    assert page.url.startswith(f"{live_server.url}/accounts/2fa/verify/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The workbench stays closed until the code is entered.
    page.goto(f"{live_server.url}/units/")
    assert page.url.startswith(f"{live_server.url}/accounts/2fa/verify/")

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=token]").fill(f"{totp.token():06d}")
    with page.expect_navigation():
        page.locator("form:not([action]) button[type=submit]").click()

    assert page.url == f"{live_server.url}/units/"
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_test_id("main-menu")).to_contain_text("工作台")
    assert AuditEvent.objects.filter(action="auth.2fa_verified", actor=district_staff).exists()


def test_staff_without_a_device_sets_one_up_from_the_qr_code_page(
    settings: Any, live_server: Any, page: Any, district_staff: User
) -> None:
    settings.TWO_FACTOR_REQUIRED = True

    login(page, live_server, district_staff.username, PASSWORD)

    assert page.url.startswith(f"{live_server.url}/accounts/2fa/setup/")
    qr = page.get_by_test_id("otp-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    device = TOTPDevice.objects.get(user=district_staff, confirmed=False)
    expect(page.get_by_test_id("otp-secret")).to_have_text(
        base64.b32encode(device.bin_key).decode()
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=token]").fill(f"{totp.token():06d}")
    with page.expect_navigation():
        page.locator("form:not([action]) button[type=submit]").click()

    # The backup codes, once, with their download; then on to the workbench.
    assert page.url.startswith(f"{live_server.url}/accounts/2fa/backup-codes/")
    codes = page.get_by_test_id("backup-codes").locator("li").all_inner_texts()
    assert len(set(codes)) == 10
    with page.expect_download() as download:
        page.get_by_role("button", name="下载备用码").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert [line for line in saved if line in codes] == codes
    with page.expect_navigation():
        page.get_by_role("link", name="我已保存，继续").click()

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_test_id("main-menu")).to_contain_text("工作台")
    device.refresh_from_db()
    assert device.confirmed

    # A new session without the phone: a backup code instead of the app's code.
    page.context.clear_cookies()
    login(page, live_server, district_staff.username, PASSWORD)
    assert page.url.startswith(f"{live_server.url}/accounts/2fa/verify/")
    page.get_by_text("无法使用手机？请输入备用码").click()
    page.locator("input[name=backup_code]").fill(codes[0])
    with page.expect_navigation():
        page.get_by_role("button", name="使用备用码登录").click()
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_test_id("main-menu")).to_contain_text("工作台")
    assert AuditEvent.objects.filter(action="otp.backup_code_used", actor=district_staff).exists()
