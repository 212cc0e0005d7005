"""Issue 5's acceptance, as a new user would try it in the browser.

Staff of 登峰街道 import a sampling file through the page, record a re-test that overturns one
failure and the disposal of another, record an on-site price-marking check with a finding; the
operator sees the finding on their unit's page and records the rectification.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from inspections.exports import COLUMNS
from inspections.models import Finding, SamplingBatch
from lyushunkou.models import User
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sampling_file(unit: Unit, day: dt.date) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    for number, product in (("SC-E2E-1", "花生油"), ("SC-E2E-2", "韭菜")):
        values = {
            "抽样单编号": number,
            "抽样日期": day.isoformat(),
            "抽检类型": "监督抽检",
            "产品类别": "食品",
            "产品名称": product,
            "被抽样单位": unit.name,
            "被抽样单位统一社会信用代码": unit.credit_code,
            "所属街道": "登峰街道",
            "检验机构": "大连市产品质量检验检测研究院",
            "检验结论": "不合格",
            "不合格项目": "酸价" if number.endswith("1") else "腐霉利",
        }
        writer.writerow([values.get(column.header, "") for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def test_staff_record_sampling_and_a_check_and_the_operator_rectifies(
    browser: Any, live_server: Any, street_staff: User, operator: User, unit: Unit
) -> None:
    today = timezone.localdate()
    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, street_staff.username, PASSWORD)

    # 1. Import a sampling file through the page.
    staff.goto(f"{live_server.url}/sampling/import/")
    staff.set_input_files(
        "input[name=file]",
        {"name": "抽检.csv", "mimeType": "text/csv", "buffer": sampling_file(unit, today)},
    )
    submit(staff, "main form[enctype]")
    assert staff.locator("[data-testid=import-summary]").count() == 1
    first, second = SamplingBatch.objects.order_by("sample_no")
    assert first.unit == unit

    # 2. A re-test overturns the first failure.
    staff.goto(f"{live_server.url}/sampling/{first.pk}/")
    staff.fill("input[name=notify-notified_on]", today.isoformat())
    submit(staff, "[data-testid=notify-form]")
    staff.fill("input[name=retest-applied_on]", today.isoformat())
    staff.fill("input[name=retest-lab]", "辽宁省食品检验检测院")
    submit(staff, "[data-testid=retest-form]")
    staff.check("input[name=retest_result-result][value=pass]")
    staff.fill("input[name=retest_result-decided_on]", today.isoformat())
    submit(staff, "[data-testid=retest-result-form]")
    first.refresh_from_db()
    assert (first.result, first.final_result) == ("fail", "pass")

    # 3. The second failure is delisted.
    staff.goto(f"{live_server.url}/sampling/{second.pk}/")
    staff.select_option("select[name=disposal-kind]", "delisted")
    staff.fill("input[name=disposal-done_on]", today.isoformat())
    submit(staff, "[data-testid=disposal-form]")
    assert second.disposals.filter(kind="delisted").exists()

    # 4. An on-site price-marking check with a finding, from the unit's page.
    staff.goto(f"{live_server.url}/units/{unit.pk}/")
    with staff.expect_navigation():
        staff.locator(f"a[href='/checks/new/{unit.pk}/']").click()
    staff.fill("input[name=inspectors]", "张三、李四")
    staff.uncheck("input[name=items-0-passed]")
    staff.fill("input[name=items-0-note]", "部分商品无价签")
    staff.select_option("select[name=findings-0-guarantee]", "price")
    staff.select_option("select[name=findings-0-severity]", "general")
    staff.fill("textarea[name=findings-0-description]", "部分商品未明码标价")
    submit(staff, "[data-testid=check-form]")
    finding = Finding.objects.get(unit=unit)
    assert "部分商品未明码标价" in staff.content()

    # 5. The operator sees the finding and records the rectification.
    own = browser.new_page(locale="zh-CN")
    login(own, live_server, operator.username, PASSWORD)
    own.goto(f"{live_server.url}/workspace/units/{unit.pk}/")
    assert "部分商品未明码标价" in own.content()
    prefix = f"rectify-{finding.pk}"
    own.fill(f"input[name={prefix}-rectified_on]", today.isoformat())
    own.fill(f"textarea[name={prefix}-note]", "已为全部商品补齐价签")
    submit(own, "[data-testid=rectify-form]")
    finding.refresh_from_db()
    assert finding.rectified_on == today
    assert finding.status() == "rectified"
    assert "已为全部商品补齐价签" in own.content()
