"""Issue 4's acceptance, as a new user would try it in the browser.

Street staff import a one-row 12315 file (received 2026-09-30, so acceptance is due 2026-10-15
across the National Day holiday), accept the complaint and forward it to the operator; the
operator sees it masked in their workspace and responds; staff conclude it as mediated with an
amount recovered and create a callback link; the complainant answers with one click; staff see
the satisfaction on the complaint page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from complaints.exports import HEADERS
from complaints.models import Complaint, Satisfaction, Status
from lyushunkou.models import User
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_NO = "12315-20260930-0001"


def twelve315_file(unit: Unit, folder: Path) -> Path:
    row = {
        "登记编号": RECORD_NO,
        "登记时间": "2026-09-30 10:15",
        "来源": "12315热线",
        "投诉人": "欧阳娜娜",
        "联系电话": "13812345678",
        "被投诉单位": unit.name,
        "统一社会信用代码": unit.credit_code,
        "被投诉单位地址": unit.address,
        "所属街道": "登峰街道",
        "消费类别": "服务",
        "问题类别": "价格",
        "诉求内容": "点菜时未标明按斤计价，结账时被收取高价，要求退还差价。",
        "涉及金额": "680",
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([row.get(header, "") for header in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    path = folder / "12315导出.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def test_a_complaint_from_import_to_the_callback(
    browser: Any,
    live_server: Any,
    street_staff: User,
    operator: User,
    unit: Unit,
    tmp_path: Path,
) -> None:
    # 1. Staff import the 12315 file.
    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, street_staff.username, PASSWORD)
    staff.goto(f"{live_server.url}/complaints/")
    with staff.expect_navigation():
        staff.locator("a[href='/complaints/import/']").click()
    staff.set_input_files("input[name=file]", str(twelve315_file(unit, tmp_path)))
    click(staff, "main form button[type=submit]")
    assert staff.locator("[data-testid=import-summary]").count() == 1
    complaint = Complaint.objects.get(record_no=RECORD_NO)
    assert complaint.unit == unit

    # 2. The list shows it masked; its page shows acceptance due 2026-10-15.
    staff.goto(f"{live_server.url}/complaints/?q={RECORD_NO}")
    row = staff.locator("[data-testid=complaint-table] tbody tr").first
    assert "欧阳**" in row.inner_text()
    assert "138****5678" in row.inner_text()
    assert "13812345678" not in staff.content()
    with staff.expect_navigation():  # the row's link (the filter's chip names the number too)
        row.get_by_role("link", name=RECORD_NO).click()
    clocks = staff.locator("[data-testid=clocks]").inner_text()
    assert "2026-10-15" in clocks

    # 3. Accept, then forward to the operator.
    click(staff, "form[action$='/accept/'] button[type=submit]")
    click(staff, "form[action$='/forward/'] button[type=submit]")
    complaint.refresh_from_db()
    assert complaint.status == Status.ODR
    assert f"{complaint.odr_due:%Y-%m-%d}" in staff.locator("[data-testid=clocks]").inner_text()

    # 4. The operator finds it in the workspace, masked, and responds.
    shop = browser.new_page(locale="zh-CN")
    login(shop, live_server, operator.username, PASSWORD)
    shop.goto(f"{live_server.url}/workspace/complaints/")
    listing = shop.content()
    assert RECORD_NO in listing
    assert "欧阳**" in listing
    assert "欧阳娜娜" not in listing
    with shop.expect_navigation():
        shop.get_by_role("link", name=RECORD_NO).click()
    assert f"{complaint.odr_due:%Y-%m-%d}" in shop.locator("[data-testid=odr-due]").inner_text()
    assert "13812345678" not in shop.content()
    shop.check("input[name=response][value=proposal]")
    shop.fill("textarea[name=text]", "同意按标价退还差价300元。")
    click(shop, "[data-testid=respond-form] button[type=submit]")
    assert shop.locator("[data-testid=odr-closed]").count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATING

    # 5. Staff conclude it as mediated with the amount recovered, and create a callback link.
    staff.reload()
    assert "同意按标价退还差价300元" in staff.locator("[data-testid=odr-response]").inner_text()
    staff.select_option("form[action$='/conclude/'] select[name=outcome]", "mediated")
    staff.fill("form[action$='/conclude/'] input[name=amount_recovered]", "300")
    staff.fill("form[action$='/conclude/'] textarea[name=note]", "商家退还差价300元。")
    click(staff, "form[action$='/conclude/'] button[type=submit]")
    complaint.refresh_from_db()
    assert complaint.status == Status.CONCLUDED
    assert complaint.amount_recovered == 300
    click(staff, "form[action$='/callback_link/'] button[type=submit]")
    link = staff.locator("[data-testid=callback-link] a").get_attribute("href")
    assert link
    assert link.startswith(f"{live_server.url}/callback/")

    # 6. The complainant opens the link without logging in and clicks 满意.
    context = browser.new_context(locale="zh-CN")
    consumer = context.new_page()
    consumer.goto(link)
    assert RECORD_NO in consumer.content()
    assert "欧阳" not in consumer.content()
    click(consumer, "form:has(input[name=answer][value=satisfied]) button")
    assert consumer.locator("[data-testid=callback-thanks]").count() == 1
    assert consumer.goto(link).status == 410
    context.close()

    # 7. Staff see the answer on the complaint page.
    staff.reload()
    with translation.override("zh-hans"):
        satisfied = str(Satisfaction.SATISFIED.label)
    assert satisfied in staff.locator("[data-testid=satisfaction]").inner_text()
    complaint.refresh_from_db()
    assert complaint.satisfaction == Satisfaction.SATISFIED
    assert complaint.satisfaction_via_link
