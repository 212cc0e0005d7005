"""Issue 19's acceptance, as staff would try it in the browser: complaints about quality jump in
登峰街道; staff of 登峰 generate the month's sampling proposals, accept the first into the sampling
plan, record the batch they sampled for it (it failed), link it, and see the detection rate of
proposal-driven sampling beside routine sampling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User
from supervision.models import ProposalState, SamplingProposal
from tests.browser.conftest import login
from tests.conftest import DENGFENG, PASSWORD
from tests.inspections.helpers import batch as record_batch
from tests.supervision.helpers import add_complaints, add_units, streets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()


def test_staff_accept_a_proposal_record_its_batch_and_compare_detection_rates(
    browser: Any, live_server: Any, street_staff: User
) -> None:
    this_year, last_year = dt.date(2026, 10, 12), dt.date(2025, 10, 14)
    for street in streets():
        units = add_units(street, 20)
        for day in (last_year, this_year):
            add_complaints(street, 2, on=day, category="quality", units=units)
    dengfeng = Jurisdiction.objects.get(code=DENGFENG)
    add_complaints(dengfeng, 13, on=this_year, category="quality")
    today = timezone.localdate()
    record_batch(street_staff, dengfeng, sampled_on=today, product_name="大米")  # routine, passed

    staff = browser.new_page(locale="zh-CN")
    login(staff, live_server, street_staff.username, PASSWORD)

    # 1. Generate October's proposals: 登峰 × 质量 ranks first.
    staff.goto(f"{live_server.url}/supervision/proposals/")
    staff.fill("[data-testid=generate-form] input[name=period]", "2026-10")
    submit(staff, "[data-testid=generate-form]")
    rows = staff.locator("[data-testid=proposal-row]")
    assert rows.count() == 1
    assert "登峰街道" in rows.first.inner_text()

    # 2. Open it and accept it into the sampling plan.
    with staff.expect_navigation():
        rows.first.locator("a").first.click()
    assert staff.locator("[data-testid=complaints] tbody tr").count() == 15
    staff.fill("textarea[name=accept-note]", "第44周抽检食用油")
    submit(staff, "[data-testid=accept-form]")
    proposal = SamplingProposal.objects.get()
    assert proposal.state == ProposalState.ACCEPTED

    # 3. Record the batch sampled for it: it failed.
    with staff.expect_navigation():
        staff.locator("[data-testid=link-form] a").click()
    staff.fill("input[name=sample_no]", "SC-E2E-19")
    staff.select_option("select[name=sampling_type]", "supervisory")
    staff.select_option("select[name=category]", "food")
    staff.fill("input[name=product_name]", "花生油")
    staff.fill("input[name=sampled_unit_name]", "登峰粮油店")
    staff.select_option("select[name=jurisdiction]", str(dengfeng.pk))
    staff.fill("input[name=lab]", "大连市产品质量检验检测研究院")
    staff.select_option("select[name=result]", "fail")
    staff.fill("textarea[name=failed_items]", "酸价")
    submit(staff, "[data-testid=sampling-form]")
    batch = SamplingBatch.objects.get(sample_no="SC-E2E-19")

    # 4. Link it to the proposal.
    staff.goto(f"{live_server.url}/supervision/proposals/{proposal.pk}/")
    staff.select_option("select[name=link-batch]", str(batch.pk))
    submit(staff, "[data-testid=link-form]")
    assert "SC-E2E-19" in staff.locator("[data-testid=batches]").inner_text()

    # 5. The two detection rates, side by side.
    staff.goto(f"{live_server.url}/supervision/figures/?period={today.year}")
    supervisory = staff.locator("[data-testid=detection-supervisory]")
    assert "100.0%" in supervisory.locator("[data-testid=proposal-rate]").inner_text()
    assert "(1 / 1)" in supervisory.locator("[data-testid=proposal-rate]").inner_text()
    assert "0.0%" in supervisory.locator("[data-testid=routine-rate]").inner_text()
    staff.close()
