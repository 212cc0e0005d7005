"""The accessibility gate itself (conftest.py): axe-core runs in every page a browser test opens,
on each load and on the page a test ends on, and reports serious or critical violations with the
page, the rule and the element. A served page with a known failure must be caught."""

from __future__ import annotations

import time
from typing import Any

from tests.browser.conftest import CspWatchingBrowser

ORIGIN = "http://portal.test"
# Grey on white (#aaa: 2.3:1) is a serious colour-contrast violation; the rest is a clean page.
FAILING = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>测试</title>
</head><body><main><h1>标题</h1><p style="color:#aaa">对比度不足的文字</p></main></body></html>"""
PASSING = FAILING.replace("color:#aaa", "color:#333")


def serve(page: Any, html: str) -> None:
    page.route(
        f"{ORIGIN}/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )


def wait_for(page: Any, findings: dict[tuple[str, str], str], key: tuple[str, str]) -> bool:
    # Playwright delivers the page's report only while it runs: wait through it, not time.sleep.
    deadline = time.monotonic() + 5
    while key not in findings and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return key in findings


def test_a_page_with_a_contrast_failure_is_reported_on_load(browser: CspWatchingBrowser) -> None:
    page = browser.new_page()
    serve(page, FAILING)
    page.goto(f"{ORIGIN}/low-contrast/")
    found = wait_for(page, browser.axe_findings, (f"{ORIGIN}/low-contrast/", "color-contrast"))
    line = browser.axe_findings.get((f"{ORIGIN}/low-contrast/", "color-contrast"), "")
    browser.axe_findings.clear()  # the failure is this test's subject, not a failure of it
    page.unroute(f"{ORIGIN}/**")
    serve(page, PASSING)
    page.goto(f"{ORIGIN}/fine/")
    assert found
    assert "(serious)" in line
    assert "对比度不足的文字" in line


def test_the_page_a_test_ends_on_is_checked_as_it_is_then(browser: CspWatchingBrowser) -> None:
    page = browser.new_page()
    serve(page, PASSING)
    page.goto(f"{ORIGIN}/changing/")
    page.evaluate("() => window.__portalAxeRun.then(() => true)")  # the load's run, passed
    page.evaluate("document.querySelector('p').style.color = '#bbb'")
    browser.check_accessibility(page)
    found = [key for key in browser.axe_findings if key[1] == "color-contrast"]
    browser.axe_findings.clear()
    page.evaluate("document.querySelector('p').style.color = '#333'")
    assert found == [(f"{ORIGIN}/changing/", "color-contrast")]
