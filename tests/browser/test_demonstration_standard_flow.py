"""Issue 12's "Done when", as a new user would try it in the browser.

A stranger registering an existing unit's credit code gets a pending claim and no access; staff
approve the claim after opening the licence; an application missing a 12315 station and one
verified system is refused naming both; with them added it is approved, goes through the 7-day
public notice with one objection (lodged on the public page, dismissed by staff), and the
certificate PDF downloads with the right number and a QR code holding the plaque page's address;
a grade of C then moves the unit to warning on its public page.

Time is never waited for: the certificate is issued by the service with the day after the notice
ends, as the daily job would on that day.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.utils import timezone
from pypdf import PdfReader

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, User
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from tests.units.helpers import (
    PDF,
    SYSTEMS,
    add_station,
    grade,
    submitted_application,
    verified_system,
)
from units import services, services_notice, services_status
from units.models import DemonstrationApplication, Unit, UnitClaim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_a_claimed_unit_is_certified_through_the_standard_and_the_notice(
    browser: Any,
    live_server: Any,
    street_staff: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    tmp_path: Path,
) -> None:
    # A restaurant already in the register (imported by staff), nobody acting for it yet.
    unit = services.unit_create(
        by=district_staff,
        credit_code=generate_credit_code(random.Random(1212)),
        name="旅顺口老街海鲜馆",
        industry="catering",
        address="辽宁省大连市旅顺口区登峰街道黄河路26号",
        jurisdiction=dengfeng,
        legal_representative="周八",
    )

    # 1. A stranger registers with its credit code: a pending claim, and no access to the unit.
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    stranger = browser.new_page(locale="zh-CN")
    stranger.goto(f"{live_server.url}/accounts/register/")
    for name, value in {
        "username": "zhouba",
        "full_name": "周八",
        "phone": "13900139000",
        "password1": "Lvshun-Zhouba-2026",
        "password2": "Lvshun-Zhouba-2026",
        "credit_code": unit.credit_code,
        "legal_representative": "周八",
    }.items():
        stranger.fill(f"input[name={name}]", value)
    stranger.set_input_files("input[name=licence]", str(licence))
    submit(stranger, "main form button[type=submit]")
    assert stranger.url.endswith("/workspace/")
    claim = UnitClaim.objects.get(unit=unit)
    assert claim.status == "pending"
    assert stranger.goto(f"{live_server.url}/workspace/units/{unit.pk}/").status == 404
    unit.refresh_from_db()
    assert unit.owner is None

    # 2. Staff of 登峰 open the licence, then approve the claim.
    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, street_staff.username, PASSWORD)
    staff.goto(f"{live_server.url}/units/claims/")
    href = staff.locator(f"a[href$='/claims/{claim.pk}/licence/']").first.get_attribute("href")
    opened = staff.request.get(f"{live_server.url}{href}")
    assert opened.ok
    assert opened.body().startswith(b"%PDF")
    submit(staff, f"form[action$='/claims/{claim.pk}/decide/'] button[value=approve]")
    unit.refresh_from_db()
    operator = User.objects.get(username="zhouba")
    assert unit.owner == operator
    assert stranger.goto(f"{live_server.url}/workspace/units/{unit.pk}/").status == 200

    # 3. An application with three systems verified, the fourth only declared, no station, a B.
    for kind in ("first_ask", "purchase", "return"):
        verified_system(unit, kind, operator, street_staff)
    services.commitment_save(unit=unit, by=operator, kind="advance_comp", **SYSTEMS["advance_comp"])
    grade(unit, "B", on=timezone.localdate().replace(day=1) - dt.timedelta(days=1))  # last month
    application = submitted_application(unit, operator)
    staff.goto(f"{live_server.url}/applications/{application.pk}/")
    for action in ("start_review", "onsite_check", "approve"):
        submit(staff, f"form[action$='/{action}/'] button[type=submit]")
    refusal = staff.locator("form[action$='/approve/']").inner_text()
    assert "12315" in refusal
    assert "先行赔付" in refusal
    application.refresh_from_db()
    assert application.status == "onsite_check"

    # 4. With the station and the fourth system verified, approval opens the public notice.
    add_station(unit, operator)
    verified_system(unit, "advance_comp", operator, street_staff)
    staff.goto(f"{live_server.url}/applications/{application.pk}/")
    submit(staff, "form[action$='/approve/'] button[type=submit]")
    application.refresh_from_db()
    assert application.status == "notice"
    notice = services_notice.open_notice(application)
    assert notice is not None
    assert (notice.ends_on - notice.starts_on).days == 6  # 7 days, both ends included

    # 5. The public sees the unit in notice, on the list and on its plaque page, and objects.
    public = browser.new_page(locale="zh-CN")
    public.goto(f"{live_server.url}/notice/")
    row = public.locator("[data-testid=notice-row]", has_text="旅顺口老街海鲜馆")
    assert notice.ends_on.isoformat() in row.inner_text()
    public.goto(f"{live_server.url}/u/{unit.public_id}/")
    assert "公示中" in public.locator("[data-testid=plaque-alert]").inner_text()
    public.goto(f"{live_server.url}/notice/")
    submit(public, "[data-testid=notice-row] a[href$='/objection/']")
    public.fill("textarea[name=text]", "上月在该店就餐，菜价与标价不符。")
    public.fill("input[name=contact]", "13712345678")
    submit(public, "main form button[type=submit]")
    assert public.url.endswith("/notice/")
    assert "13712345678" not in public.content()

    # 6. Staff see the objection (contact masked) and dismiss it with a reason.
    staff.goto(f"{live_server.url}/applications/{application.pk}/")
    objection = staff.locator("[data-testid=objection]")
    assert "137****5678" in objection.inner_text()
    assert "13712345678" not in staff.content()
    objection.locator("input[value=dismissed]").check()
    objection.locator("textarea[name$=reason]").fill("经核查，该店价签与收银一致，异议不成立。")
    submit(staff, "[data-testid=resolve-form] button[type=submit]")
    assert "不成立" in staff.locator("[data-testid=objection-status]").inner_text()

    # 7. The day after the notice ends the certificate is issued (as the daily job does).
    issued = services_notice.certificates_issue_due(today=notice.issue_from)
    assert issued == 1
    application.refresh_from_db()
    assert application.status == "approved"

    # 8. The operator downloads the certificate: its number, and a QR code to the plaque page.
    stranger.goto(f"{live_server.url}/workspace/applications/{application.pk}/")
    with stranger.expect_download() as download_info:
        stranger.locator("[data-testid=certificate-download]").click()
    pdf = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert len(pdf.pages) == 1
    assert application.certificate_no in pdf.pages[0].extract_text()
    decoded = [r.text for image in pdf.pages[0].images for r in zxingcpp.read_barcodes(image.image)]
    plaque_url = f"{live_server.url}/u/{unit.public_id}/"
    assert decoded == [plaque_url]
    public.goto(decoded[0])
    assert application.certificate_no in public.locator("[data-testid=certificate-no]").inner_text()

    # 9. A grade of C from this month's scoring run moves the unit to warning on its public page
    # (the nightly job that follows the scoring run checks the standard again).
    grade(unit, "C")
    services_status.units_follow_standard()
    public.reload()
    assert "alert-warning" in (
        public.locator("[data-testid=plaque-alert]").get_attribute("class") or ""
    )
    assert "C" in public.locator("[data-testid=status-reason]").inner_text()
    assert DemonstrationApplication.objects.filter(unit=unit, status="approved").count() == 1
    assert Unit.objects.get(pk=unit.pk).demonstration_status == "warning"
