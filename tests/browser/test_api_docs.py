"""Issue 18 item 1 in a real browser: the API's docs page (/api/v1/docs/) renders its operations
under the portal's Content-Security-Policy, from assets the portal serves itself (no CDN); its
link to the OpenAPI schema answers with the schema; and a token pasted into Authorize reads data
through "Try it out". The conftest fails the test on any CSP violation and on serious or critical
accessibility findings (axe-core), on load and on the page as the test leaves it (an operation
expanded, its answer shown)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from lyushunkou.models import User
from tests.api.helpers import system, token_for
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = "/api/v1/docs/"
ZERO_WIDTH_SPACE = "\u200b"  # Swagger UI breaks long paths with it


def shown_paths(page: Any) -> list[str]:
    texts = page.locator(".opblock-summary-path").all_inner_texts()
    return [text.replace(ZERO_WIDTH_SPACE, "").strip() for text in texts]


def operation(page: Any, method: str, path: str) -> Any:
    return page.locator(f".opblock-{method}").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )


def test_a_staff_member_reads_the_operations_and_opens_the_schema(
    page: Any, live_server: Any, district_staff: User
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_server, district_staff.username, PASSWORD)

    page.goto(f"{live_server.url}{DOCS}")
    page.locator("[data-testid=api-docs] .opblock").first.wait_for()
    paths = shown_paths(page)
    for path in ("/api/v1/complaints/", "/api/v1/sampling/", "/api/v1/open/units/"):
        assert path in paths
    assert operation(page, "post", "/api/v1/complaints/").count() == 1
    assert operation(page, "post", "/api/v1/sampling/").count() == 1

    # An operation opens on its parameters, read from the schema.
    get_complaints = operation(page, "get", "/api/v1/complaints/")
    get_complaints.locator(".opblock-summary-control").click()
    get_complaints.locator('tr[data-param-name="jurisdiction"]').wait_for()
    assert get_complaints.locator('tr[data-param-name="cursor"]').count() == 1

    # Nothing came from anywhere but the portal.
    own = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in requested if url.startswith("http")} == {own}

    # The schema link answers with the OpenAPI document the page rendered.
    href = page.get_by_test_id("api-schema-link").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert "openapi" in response.headers["content-type"]
    assert response.text().startswith("openapi: 3")
    assert "/api/v1/complaints/:" in response.text()


def test_a_token_given_to_authorize_reads_through_try_it_out(
    page: Any, live_server: Any, secadmin: User
) -> None:
    token = token_for(system(secadmin), secadmin)
    page.goto(f"{live_server.url}{DOCS}")
    page.locator(".btn.authorize").first.click()
    page.locator(".modal-ux input").first.fill(token)
    page.locator(".modal-ux .modal-btn.authorize").click()
    page.locator(".modal-ux button.close-modal").click()

    units = operation(page, "get", "/api/v1/units/")
    units.locator(".opblock-summary-control").click()
    units.get_by_role("button", name="Try it out").click()
    units.get_by_role("button", name="Execute").click()
    status = units.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert '"results"' in units.locator(".live-responses-table .highlight-code").inner_text()
