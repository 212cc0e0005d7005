"""Browser tests: Debian's chromium, driven by sync Playwright, against pytest-django's live server.

Every test under ``tests/browser`` carries the ``browser`` marker; ``-m "not browser"`` skips them.
Chromium is never downloaded: a machine without ``/usr/bin/chromium`` skips these tests, except on
CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The live server thread and sync Playwright share the test process; Django would otherwise refuse
# ORM calls made while Playwright's event loop is running.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium package to run browser tests"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must install it).", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield CspWatchingBrowser(browser)
        finally:
            browser.close()


class CspWatchingBrowser:
    """The browser, but every page it opens reports Content-Security-Policy violations, which
    the autouse fixture below turns into test failures: a page that breaks under the CSP fails."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def _watch(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def new_page(self, **kwargs: Any) -> Any:
        page = self._browser.new_page(**kwargs)
        self._watch(page)
        return page

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.on("page", self._watch)
        return context


@pytest.fixture(autouse=True)
def _no_csp_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    if "browser" not in request.fixturenames:
        yield
        return
    watcher: CspWatchingBrowser = request.getfixturevalue("browser")
    watcher.violations.clear()
    yield
    assert watcher.violations == [], "pages broke under the Content-Security-Policy"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    """Log in through the real login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    _field(page, "用户名", "username").fill(username)
    _field(page, "密码", "password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def _field(page: Any, label: str, name: str) -> Any:
    # crispy-forms appends "*" to a required field's label, so match the label text loosely.
    by_label = page.get_by_label(label)
    if by_label.count() == 1:
        return by_label
    return page.locator(f"input[name={name}]")
