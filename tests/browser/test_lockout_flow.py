"""Five wrong passwords lock a login, through the real form (issue 8, item 1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lyushunkou.models import AuditEvent, User
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def retry_time(page: Any) -> dt.datetime:
    text = page.get_by_test_id("retry-at").inner_text()
    found = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert found, text
    return dt.datetime.strptime(found.group(0), "%Y-%m-%d %H:%M").replace(
        tzinfo=timezone.get_current_timezone()
    )


def test_five_wrong_passwords_lock_the_login_and_say_when_to_retry(
    live_server: Any, page: Any, district_staff: User
) -> None:
    for _ in range(4):
        login(page, live_server, district_staff.username, "not-the-password")
        expect(page.locator("input[name=password]")).to_be_visible()  # still the login form
        expect(page.get_by_test_id("retry-at")).to_have_count(0)

    login(page, live_server, district_staff.username, "not-the-password")
    locked_at = timezone.now()

    expect(page.get_by_test_id("retry-at")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)
    # The page names the minute the 30-minute cool-off ends, in local time.
    expected = timezone.localtime(locked_at + dt.timedelta(minutes=30))
    assert abs(retry_time(page) - expected) < dt.timedelta(minutes=2)

    # While locked, the right password is refused too, and the page says the same.
    login(page, live_server, district_staff.username, PASSWORD)
    expect(page.get_by_test_id("retry-at")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    page.goto(f"{live_server.url}/units/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")

    assert AuditEvent.objects.filter(action="auth.locked_out", username="alice").exists()
    assert not AuditEvent.objects.filter(action="auth.login", actor=district_staff).exists()
