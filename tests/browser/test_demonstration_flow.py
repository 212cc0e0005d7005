"""Issue 3's acceptance, as a new user would try it in the browser.

An operator registers and claims a new unit, records a commitment and a 12315 station, applies;
staff of that street review and approve; after the public notice the plaque page shows it valid,
and its printed QR code, decoded from a screenshot, leads back to that page; staff of another
street cannot see it.
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from tests.browser.conftest import login
from tests.conftest import PASSWORD, make_user
from tests.units.helpers import PDF, certify, meet_standard
from units import services_claims
from units.models import DemonstrationApplication, Unit, UnitClaim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Any, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_an_operator_applies_and_street_staff_approve_it(
    browser: Any, live_server: Any, street_staff: User, desheng: Jurisdiction, tmp_path: Path
) -> None:
    code = generate_credit_code(random.Random(2026))
    operator_page = browser.new_page(locale="zh-CN")

    # 1. The operator registers with a new credit code (pasted in lower case with spaces).
    operator_page.goto(f"{live_server.url}/accounts/register/")
    for name, value in {
        "username": "haixian",
        "full_name": "孙七",
        "phone": "13800138000",
        "password1": "Lvshun-Haixian-2026",
        "password2": "Lvshun-Haixian-2026",
        "credit_code": f" {code[:9].lower()} {code[9:]} ",
        "name": "旅顺口海鲜酒家",
        "address": "辽宁省大连市旅顺口区登峰街道黄河路18号",
        "legal_representative": "孙七",
    }.items():
        operator_page.fill(f"input[name={name}]", value)
    operator_page.select_option("select[name=industry]", "catering")
    operator_page.select_option("select[name=jurisdiction]", label="登峰街道")
    licence = tmp_path / "营业执照.pdf"  # a new code is verified by staff from its licence
    licence.write_bytes(PDF)
    operator_page.set_input_files("input[name=licence]", str(licence))
    submit(operator_page)
    assert operator_page.url.endswith("/workspace/")
    unit = Unit.objects.get(credit_code=code)
    # Staff confirm the licence of the new code (tests/browser/test_demonstration_standard_flow.py
    # does it in the browser): only then may the unit apply.
    services_claims.claim_decide(
        claim=UnitClaim.objects.get(unit=unit), by=street_staff, approve=True
    )

    # 2. A commitment and the 12315 station.
    operator_page.goto(f"{live_server.url}/workspace/units/{unit.pk}/commitments/")
    operator_page.fill("textarea[name='first_ask-content']", "首问负责：第一位接待的员工负责到底。")
    # All commitments are saved together by the one button of the form.
    submit(operator_page, "[data-testid=commitments-form] button[type=submit]")
    operator_page.goto(f"{live_server.url}/workspace/units/{unit.pk}/station/")
    for name, value in {
        "contact_person": "孙七",
        "phone": "0411-86201234",
        "hours": "9:00-18:00",
        "location": "一楼收银台",
    }.items():
        operator_page.fill(f"input[name={name}]", value)
    submit(operator_page)

    # 3. The application: a draft first, then submitted.
    operator_page.goto(f"{live_server.url}/workspace/units/{unit.pk}/applications/new/")
    operator_page.fill(
        "textarea[name=statement]", "明码标价，食材进货查验台账齐全，设有12315维权服务站。"
    )
    operator_page.check("input[name=commitments_confirmed]")
    submit(operator_page)
    with operator_page.expect_navigation():
        operator_page.locator("button[name=action][value=submit]").click()
    application = DemonstrationApplication.objects.get(unit=unit)
    assert application.status == "submitted"
    # The records the standard asks for (station, verified systems, a grade B), set up directly.
    meet_standard(unit, street_staff, unit.owner)

    # 4. Staff of 登峰街道 review, check on site and approve.
    staff_page = browser.new_page(locale="zh-CN")
    login(staff_page, live_server, street_staff.username, PASSWORD)
    staff_page.goto(f"{live_server.url}/applications/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="旅顺口海鲜酒家").click()
    for action in ("start_review", "onsite_check", "approve"):
        with staff_page.expect_navigation():
            staff_page.locator(f"form[action$='/{action}/'] button[type=submit]").click()
    application.refresh_from_db()
    assert application.status == "notice"  # approval opens the public notice (公示)
    # No objection: the certificate is issued the day after the notice ends, as the daily job
    # would (tests/browser/test_demonstration_standard_flow.py goes through an objection).
    certify(application, street_staff)
    application.refresh_from_db()
    staff_page.reload()
    assert application.certificate_no in staff_page.content()

    # 5. Staff of another street see none of it.
    outsider = make_user("ivan", Role.STAFF, desheng)
    outsider_page = browser.new_page(locale="zh-CN")
    login(outsider_page, live_server, outsider.username, PASSWORD)
    for path in (f"/applications/{application.pk}/", f"/units/{unit.pk}/"):
        assert outsider_page.goto(f"{live_server.url}{path}").status == 404
    outsider_page.goto(f"{live_server.url}/applications/")
    assert "旅顺口海鲜酒家" not in outsider_page.content()

    # 6. The public plaque is valid, and the printed QR code leads to it.
    public = browser.new_page(locale="zh-CN")
    plaque_url = f"{live_server.url}/u/{unit.public_id}/"
    public.goto(plaque_url)
    assert application.certificate_no in public.locator("[data-testid=certificate-no]").inner_text()
    assert "alert-success" in (
        public.locator("[data-testid=plaque-alert]").get_attribute("class") or ""
    )
    public.goto(f"{plaque_url}plaque/")
    shot = public.locator(".plaque-qr").screenshot()
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert decoded == [plaque_url]
    public.goto(decoded[0])
    assert "旅顺口海鲜酒家" in public.content()
