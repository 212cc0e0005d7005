"""Browser tests: Debian's chromium, driven by sync Playwright, against pytest-django's live server.

Every test under ``tests/browser`` carries the ``browser`` marker; ``-m "not browser"`` skips them.
Chromium is never downloaded: a machine without ``/usr/bin/chromium`` skips these tests, except on
CI (``CI`` set), where a missing browser is a failure.

Every page a test opens is also checked for accessibility (issue 15 item 8, GB/T 37668-2019 and
WCAG 2.1 AA) with the vendored axe-core (``vendor/axe-core``): once on each document's ``load``,
and once more on the page's final state when the test ends (or when the test closes the page).
A serious or critical violation fails the test with the page's address, the rule and the first
elements it found.
"""

from __future__ import annotations

import json
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

# --- Accessibility: axe-core in every page -----------------------------------------------

AXE_SOURCE = (BROWSER_DIR / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
AXE_BINDING = "__portalAxeReport"
TARGETS_SHOWN = 3

# The axe run, as a JS function body: queued behind any run already going or waiting (axe refuses
# two at once; the queue is taken synchronously, so no two runs can start together), and reduced to
# what a failure message needs. Only HTML documents the portal served are checked (not a PDF, a
# JSON answer, or the about:blank a new page starts on).
_AXE_RUN = f"""
  if (typeof axe === "undefined" || document.contentType !== "text/html") return null;
  if (!location.protocol.startsWith("http")) return null;
  const previous = (window.__portalAxeRun || Promise.resolve()).catch(() => null);
  const run = previous.then(async () => {{
    // Colours are judged at rest: a colour caught mid-transition (a button just clicked) is not
    // what a reader sees. Endless animations (a spinner) are not waited for.
    await Promise.all(document.getAnimations()
      .filter((a) => a instanceof CSSTransition)
      .map((a) => a.finished.catch(() => null)));
    // axe loads a stylesheet's @import (the admin's forms.css has one) through a <style> element
    // the CSP refuses; such a page is checked without the stylesheet preload, which only the
    // css-orientation-lock rule needs.
    const imports = [...document.styleSheets].some((sheet) => {{
      try {{ return [...sheet.cssRules].some((rule) => rule instanceof CSSImportRule); }}
      catch (e) {{ return true; }}
    }});
    return axe.run(document, {{
      runOnly: {{type: "tag", values: {json.dumps(AXE_TAGS)}}},
      resultTypes: ["violations"],
      preload: !imports,
    }});
  }});
  window.__portalAxeRun = run;
  const result = await run;
  return {{
    url: location.href,
    violations: result.violations
      .filter((v) => {json.dumps(FAILING_IMPACTS)}.includes(v.impact))
      .map((v) => ({{
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, {TARGETS_SHOWN}).map((n) => n.target.join(" ")),
        first: (v.nodes[0].html.slice(0, 160) + " " + v.nodes[0].failureSummary).slice(0, 500),
      }})),
  }};
"""
# Added to every document before its own scripts (an init script is not subject to the page's CSP,
# which blocks inline scripts): the top-level document runs axe once loaded and reports through the
# binding. A test that navigates on before axe finishes loses that run; the final check covers the
# page the test ends on.
AXE_INIT_SCRIPT = f"""
if (window.top === window) {{
{AXE_SOURCE}
;window.addEventListener("load", () => {{
  (async () => {{ {_AXE_RUN} }})().then(
    (report) => {{ if (report) window.{AXE_BINDING}(report); }},
    () => {{}},
  );
}});
}}
"""
AXE_NOW = f"async () => {{ {_AXE_RUN} }}"


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
    """The browser, but every page it opens reports Content-Security-Policy violations and runs
    axe-core, which the autouse fixtures below turn into test failures: a page that breaks under
    the CSP, or has a serious or critical accessibility violation, fails the test."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []
        # (url, rule id) -> one line describing it; a page seen twice reports once.
        self.axe_findings: dict[tuple[str, str], str] = {}
        self.pages: list[Any] = []
        self.contexts: list[tuple[Any, Any]] = []  # each context with its own close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def _watch(self, page: Any) -> None:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                self.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        self.pages.append(page)
        close = page.close

        def check_then_close(**kwargs: Any) -> None:
            self.check_accessibility(page)
            close(**kwargs)

        page.close = check_then_close

    def _instrument(self, context: Any) -> None:
        """Axe in every page of the context, pages (popups too) watched, checked before closing."""
        context.expose_binding(AXE_BINDING, lambda _source, report: self._record(report))
        context.add_init_script(AXE_INIT_SCRIPT)
        context.on("page", self._watch)
        close = context.close
        self.contexts.append((context, close))

        def check_then_close(**kwargs: Any) -> None:
            for page in context.pages:
                self.check_accessibility(page)
            close(**kwargs)

        context.close = check_then_close

    def _record(self, report: dict[str, Any] | None) -> None:
        if not report:
            return
        for v in report["violations"]:
            more = f" (+{v['count'] - TARGETS_SHOWN} more)" if v["count"] > TARGETS_SHOWN else ""
            self.axe_findings.setdefault(
                (report["url"], v["id"]),
                f"{report['url']}: {v['id']} ({v['impact']}) {v['help']} — "
                f"{' | '.join(v['targets'])}{more}; first: {v['first']}",
            )

    def check_accessibility(self, page: Any) -> None:
        """Run axe on the page as it is now; its serious or critical violations fail the test."""
        from playwright.sync_api import Error

        for attempt in (1, 2):
            if page.is_closed():
                return
            page.wait_for_load_state()
            try:
                self._record(page.evaluate(AXE_NOW))
                return
            except Error as error:
                # The page navigated while axe ran: check the document it arrived at instead.
                if attempt == 2 or "context was destroyed" not in str(error):
                    raise

    def new_page(self, **kwargs: Any) -> Any:
        # A page of its own context, as Browser.new_page makes it.
        context = self.new_context(**kwargs)
        return context.new_page()

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        self._instrument(context)
        return context

    def end_test(self) -> None:
        """Check the pages the test leaves open, then close them: they are not needed again."""
        try:
            for page in self.pages:
                self.check_accessibility(page)
        finally:
            for _context, close in self.contexts:
                close()
            self.pages.clear()
            self.contexts.clear()


@pytest.fixture(autouse=True)
def _no_csp_or_accessibility_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    if "browser" not in request.fixturenames:
        yield
        return
    watcher: CspWatchingBrowser = request.getfixturevalue("browser")
    watcher.violations.clear()
    watcher.axe_findings.clear()
    yield
    watcher.end_test()
    assert watcher.violations == [], "pages broke under the Content-Security-Policy"
    if watcher.axe_findings:
        findings = "\n".join(sorted(watcher.axe_findings.values()))
        pytest.fail(f"serious or critical accessibility violations (axe-core):\n{findings}")


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
