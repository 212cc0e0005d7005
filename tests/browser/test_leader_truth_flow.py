"""Issue 14's "done when", tried as a leader would in the browser: "Leaders see the truth".

A leader (carol) opens the dashboard: it is on last month, complete, with one small chart per
target and its threshold line. This month is marked 进行中. A complaint imported now (by a staff
member, through the importer the page uses) is in this month's figures after one refresh — the
refresh the scheduler runs — and the numerator's link opens a list of exactly that many; the
handling rate, with a denominator of 2, shows 样本不足. From the dashboard the 大屏展示 link opens
the big screen, which draws the unit map (an ECharts canvas) and can be paused.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from openpyxl import Workbook

from complaints.imports import import_complaints
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, User
from scoring import periods, targets
from scoring.targets import refreshing as targets_refresh
from tests.browser.conftest import login
from tests.conftest import PASSWORD
from units.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
    "登记编号",
    "登记时间",
    "来源",
    "投诉人",
    "联系电话",
    "被投诉单位",
    "被投诉单位地址",
    "所属街道",
    "消费类别",
    "问题类别",
    "诉求内容",
    "受理决定",
    "受理日期",
    "办结日期",
    "处理结果",
    "满意度",
]
HANDLING = "complaint_handling_rate"


def complaint_file(record_no: str, received: dt.date, concluded: dt.date) -> bytes:
    """A 12315 export with one complaint, accepted on the day it arrived and mediated since."""
    values = {
        "登记编号": record_no,
        "登记时间": received.isoformat(),
        "来源": "12315热线",
        "投诉人": "王小明",
        "联系电话": "13812345678",
        "被投诉单位": "旅顺某海鲜馆",
        "被投诉单位地址": "辽宁省大连市旅顺口区登峰街道黄河路1号",
        "所属街道": "登峰街道",
        "消费类别": "服务",
        "问题类别": "价格",
        "诉求内容": "结账时被收取高价，要求退还差价。",
        "受理决定": "受理",
        "受理日期": received.isoformat(),
        "办结日期": concluded.isoformat(),
        "处理结果": "调解成功",
        "满意度": "满意",
    }
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append([values[header] for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_one(record_no: str, by: User) -> None:
    today = timezone.localdate()
    content = complaint_file(record_no, today.replace(day=1), today)
    result = import_complaints(content=content, filename="12315.xlsx", by=by)
    assert result.ok, result.messages


def demonstration_unit_on_the_map(place: Jurisdiction) -> Unit:
    today = timezone.localdate()
    return Unit.objects.create(
        name="旅顺口区示范海鲜馆",
        credit_code=generate_credit_code(random.Random(1414)),
        kind="enterprise",
        industry="catering",
        address="辽宁省大连市旅顺口区登峰街道黄河路2号",
        jurisdiction=place,
        legal_representative="赵六",
        demonstration_status="approved",
        certificate_no="LSK-FXXF-2026-01414",
        certified_from=today - dt.timedelta(days=30),
        certified_until=today + dt.timedelta(days=335),
        longitude="121.262700",
        latitude="38.812000",
    )


# Every small chart's threshold as the page's data gives it and as its chart draws it (the
# ECharts instance's dashed markLine), keyed by target.
THRESHOLD_LINES = """() => {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const out = {};
  document.querySelectorAll("[data-chart=trend]").forEach((el) => {
    const s = data.trend.series[Number(el.getAttribute("data-series"))];
    const line = (echarts.getInstanceByDom(el).getOption().series[0].markLine || {}).data;
    out[s.key] = {threshold: s.threshold, drawn: line ? line[0].yAxis : null,
                  canvas: el.querySelectorAll("canvas").length};
  });
  return out;
}"""


def test_a_leader_sees_fresh_complete_and_honest_figures(
    browser: Any,
    live_server: Any,
    leader: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.DASHBOARD_DEFAULT_PERIOD = "month"
    # No worker runs in the test: the refresh an import queues is noted, and the test then runs
    # the refresh the scheduler's job runs.
    queued: list[str] = []
    monkeypatch.setattr(targets_refresh, "_send", lambda: queued.append("refresh"))
    today = timezone.localdate()
    last_month = periods.last_complete(periods.MONTH, today)
    this_month = periods.current(periods.MONTH, today)
    demonstration_unit_on_the_map(dengfeng)
    first = f"1210212{today:%Y%m}0001"
    import_one(first, district_staff)
    targets.refresh(last_month, today=today)
    targets_refresh.refresh_open_periods(today)

    page = browser.new_page(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    login(page, live_server, leader.username, PASSWORD)

    # The dashboard opens on last month, complete: not marked in progress.
    page.goto(f"{live_server.url}/dashboard/")
    assert page.input_value("[data-testid=period-input]") == last_month.key
    assert last_month.label in page.inner_text("[data-testid=dashboard-heading]")
    assert page.locator("[data-testid=period-open]").count() == 0

    # The small multiples: one chart per target, each drawn with its threshold line.
    page.wait_for_selector("html[data-charts-ready]")
    lines = page.evaluate(THRESHOLD_LINES)
    assert HANDLING in lines
    assert len(lines) >= 10
    assert lines[HANDLING] == {"threshold": 100, "drawn": 100, "canvas": 1}
    for key, line in lines.items():
        assert line["canvas"] == 1, key
        assert line["drawn"] == line["threshold"], key

    # This month is in progress: marked, and it counts the complaint imported before.
    page.goto(f"{live_server.url}/dashboard/?period={this_month.key}")
    assert "进行中" in page.inner_text("[data-testid=period-open]")
    assert page.inner_text(f"[data-testid=target-numerator-{HANDLING}]") == "1"

    # A complaint imported now: the import queues a refresh; until it runs, the figures stand.
    second = f"1210212{today:%Y%m}0002"
    queued.clear()
    import_one(second, district_staff)
    assert queued == ["refresh"]
    page.reload()
    assert page.inner_text(f"[data-testid=target-numerator-{HANDLING}]") == "1"

    # One refresh, then a reload: the complaint is in this month's figures, as of the refresh.
    targets_refresh.refresh_open_periods()
    page.reload()
    numerator = page.inner_text(f"[data-testid=target-numerator-{HANDLING}]")
    assert numerator == "2"
    assert page.inner_text(f"[data-testid=target-denominator-{HANDLING}]") == "2"
    assert "截至" in page.inner_text(f"[data-testid=target-as-of-{HANDLING}]")

    # A denominator of 2 is below the minimum sample: 样本不足, neither met nor missed.
    row = page.locator(f"[data-testid=target-{HANDLING}]")
    assert row.get_attribute("data-met") == "none"
    assert page.inner_text(f"[data-testid=target-insufficient-{HANDLING}]") == "样本不足"

    # The numerator's link opens exactly the complaints it counted.
    with page.expect_navigation():
        page.locator(f"[data-testid=target-numerator-link-{HANDLING}]").click()
    assert urlsplit(page.url).path == "/complaints/"
    table = page.locator("[data-testid=complaint-table] tbody tr")
    assert table.count() == int(numerator)
    text = page.inner_text("[data-testid=complaint-table]")
    assert first in text
    assert second in text
    assert page.locator("[data-testid=as-of-note]").count() == 1

    # The big screen, from the dashboard's 大屏展示 link: the unit map is drawn.
    page.goto(f"{live_server.url}/dashboard/?period={this_month.key}")
    link = page.locator("[data-testid=dashboard-screen-link]")
    assert link.inner_text().strip() in ("大屏展示", "Big screen display")  # until the merge
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == "/dashboard/screen/"
    page.wait_for_selector("html[data-charts-ready='1']")
    assert page.locator("[data-testid=screen-map] canvas").count() >= 1
    units = page.evaluate("() => JSON.parse(document.getElementById('screen-data').textContent)")
    assert [unit[2] for unit in units["units"]] == ["旅顺口区示范海鲜馆"]
    assert page.locator(f"[data-testid=screen-target-{HANDLING}]").count() == 1
    # It reloads itself, and a button stops that for whoever needs longer to read it.
    pause = page.locator("[data-testid=screen-pause]")
    assert pause.is_visible()
    assert pause.get_attribute("aria-pressed") == "false"
    pause.click()
    assert pause.get_attribute("aria-pressed") == "true"
