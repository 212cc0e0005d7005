"""The leaders' big screen (issue 14 item 6): who reaches it and which scope each sees, the
targets, the map's points and outlines, the week's alerts, its self-refresh, and a query count
that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction, User
from scoring import periods, targets
from scoring.models import TargetResult
from tests import helpers
from tests.complaints.helpers import register
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.factories import SamplingBatchFactory
from tests.inspections.helpers import batch as record_batch
from units import services as unit_services
from units.models import Unit

pytestmark = pytest.mark.django_db

URL = reverse("dashboard-screen")
SQUARE = [[121.2, 38.8], [121.3, 38.8], [121.3, 38.9], [121.2, 38.9], [121.2, 38.8]]


def make_unit(
    jurisdiction: Jurisdiction, seed: int, *, status: str = "none", **extra: object
) -> Unit:
    values: dict[str, object] = {
        "name": f"大屏测试店{seed}",
        "latitude": Decimal("38.812345"),
        "longitude": Decimal("121.261234"),
        "demonstration_status": status,
    }
    if status in ("approved", "warning"):
        values.update(
            certificate_no=f"LSK-2026-{seed:04d}",
            certified_from=dt.date(2026, 1, 1),
            certified_until=dt.date(2099, 12, 31),
        )
    values.update(extra)
    return helpers.make_unit(jurisdiction, 2100 + seed, **values)


def target(period: str, scope: str, key: str, value: str | None, met: bool | None) -> None:
    TargetResult.objects.create(
        period=period,
        scope_code=scope,
        key=key,
        label={"complaint_handling_rate": "投诉处理率"}.get(key, "食品抽检合格率"),
        numerator=Decimal(9 if value else 0),
        denominator=Decimal(10 if value else 0),
        value=None if value is None else Decimal(value),
        comparator="gte",
        threshold=Decimal("0.97"),
        met=met,
        evaluated_at=timezone.now(),
        detail={"unit_label": "%"},
    )


def food_batches(place: Jurisdiction, on: dt.date, *, passed: int, failed: int) -> None:
    """Supervisory food batches with a final result: they count in the food pass rate."""
    SamplingBatch.objects.bulk_create(
        SamplingBatchFactory.build(
            unit=None,
            sampled_unit_name="旅顺口区示例超市",
            jurisdiction=place,
            sampled_on=on,
            stage="circulation",  # bulk_create skips save(), which would set the default
            result="pass" if index < passed else "fail",
        )
        for index in range(passed + failed)
    )


def tile_html(html: str, key: str) -> str:
    match = re.search(
        rf'<li class="screen-tile[^"]*" data-testid="screen-target-{key}".*?</li>', html, re.S
    )
    assert match, f"no tile for {key}"
    return match.group(0)


def map_data(response: object) -> dict[str, Any]:
    html = response.content.decode()  # type: ignore[attr-defined]
    match = re.search(r'<script id="screen-data" type="application/json">(.*?)</script>', html)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


# --- Who reaches it -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_operators_and_administrators_are_refused(
    persona: str, request: pytest.FixtureRequest
) -> None:
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["leader", "district_staff"])
def test_leader_and_district_staff_see_the_whole_district(
    persona: str, request: pytest.FixtureRequest
) -> None:
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["scope"].code == "district"


def test_street_staff_see_their_own_street_and_no_other(street_staff: User) -> None:
    client = client_for(street_staff)
    assert client.get(URL).context["scope"].code == DENGFENG
    assert client.get(URL, {"scope": "district"}).status_code == 404
    assert client.get(URL, {"scope": DESHENG}).status_code == 404


# --- The page -------------------------------------------------------------------------------------


def test_the_screen_reloads_itself_every_minute_without_inline_script(leader: User) -> None:
    html = client_for(leader).get(URL).content.decode()
    assert '<meta http-equiv="refresh" content="60">' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag


def test_a_malformed_or_future_period_is_refused_in_chinese(leader: User) -> None:
    response = client_for(leader).get(URL, {"period": "2026-13"})
    assert response.status_code == 400
    assert "2026-13" in response.context["period_error"]
    future = periods.current(periods.YEAR).start.year + 1
    response = client_for(leader).get(URL, {"period": str(future)})
    assert response.status_code == 400
    assert "尚未开始" in response.context["period_error"]


def test_the_last_complete_month_is_shown_by_default_with_its_targets(leader: User) -> None:
    last = periods.last_complete(periods.MONTH, timezone.localdate())
    target(last.key, "district", "complaint_handling_rate", "0.9", False)
    target(last.key, "district", "food_sampling_pass_rate", "0.98", True)
    target(last.previous().key, "district", "food_sampling_pass_rate", "0.5", False)
    response = client_for(leader).get(URL)
    screen = response.context["screen"]
    assert screen.period == last
    assert [(t.key, t.value_text, t.met) for t in screen.targets] == [
        ("complaint_handling_rate", "90.0%", False),
        ("food_sampling_pass_rate", "98.0%", True),
    ]
    assert screen.targets[0].fraction_text == "9 / 10"
    html = response.content.decode()
    assert 'data-testid="screen-target-complaint_handling_rate"' in html
    assert "is-missed" in html


FOOD_PASS = "food_sampling_pass_rate"


def test_a_figure_below_its_minimum_sample_shows_its_value_with_insufficient_sample(
    leader: User, dengfeng: Jurisdiction
) -> None:
    today = timezone.localdate()
    last = periods.last_complete(periods.MONTH, today)
    food_batches(dengfeng, last.start, passed=1, failed=1)  # 50% of 2: far below 97%, and 2 < 10
    targets.refresh(last, today=today)
    response = client_for(leader).get(URL)
    tile = next(t for t in response.context["screen"].targets if t.key == FOOD_PASS)
    assert (tile.state, tile.met, tile.value_text) == ("insufficient", None, "50.0%")
    assert FOOD_PASS not in {t.key for t in response.context["screen"].targets if t.met is False}
    html = tile_html(response.content.decode(), FOOD_PASS)
    assert "样本不足" in html
    assert "少于 10 条记录" in html  # the minimum it is short of
    assert "50.0%" in html
    assert "暂无数据" not in html
    assert "is-missed" not in html


def test_a_figure_short_of_its_threshold_in_the_running_month_is_in_progress_not_missed(
    leader: User, dengfeng: Jurisdiction
) -> None:
    today = timezone.localdate()
    month = periods.current(periods.MONTH, today)
    food_batches(dengfeng, today, passed=9, failed=1)  # 90% of 10: short of 97%, can recover
    targets.refresh(month, today=today)
    response = client_for(leader).get(URL, {"period": month.key})
    in_progress = f"进行中（截至 {today.day} 日）"
    tile = next(t for t in response.context["screen"].targets if t.key == FOOD_PASS)
    assert (tile.state, tile.met, tile.value_text) == ("in-progress", None, "90.0%")
    assert tile.verdict == in_progress
    html = response.content.decode()
    assert in_progress in tile_html(html, FOOD_PASS)
    assert "is-missed" not in tile_html(html, FOOD_PASS)
    assert re.search(rf'data-testid="period-open">{in_progress}<', html)


def test_a_complete_period_carries_no_in_progress_label(leader: User) -> None:
    last = periods.last_complete(periods.MONTH, timezone.localdate())
    target(last.key, "district", FOOD_PASS, "0.98", True)
    response = client_for(leader).get(URL)
    assert response.context["screen"].open_label == ""
    assert 'data-testid="period-open"' not in response.content.decode()


def test_a_miss_that_cannot_recover_in_a_running_period_stays_not_met(leader: User) -> None:
    month = periods.current(periods.MONTH, timezone.localdate())
    target(month.key, "district", "complaint_handling_rate", "0.9", False)  # below 100% for good
    response = client_for(leader).get(URL, {"period": month.key})
    tile = response.context["screen"].targets[0]
    assert (tile.state, tile.verdict) == ("missed", "未达标")
    assert response.context["screen"].missed == 1


def test_a_figure_without_a_denominator_says_no_data(leader: User) -> None:
    last = periods.last_complete(periods.MONTH, timezone.localdate())
    target(last.key, "district", FOOD_PASS, None, None)
    response = client_for(leader).get(URL)
    tile = response.context["screen"].targets[0]
    assert (tile.state, tile.verdict, tile.value_text) == ("none", "暂无数据", "")
    assert "暂无数据" in tile_html(response.content.decode(), FOOD_PASS)


def test_the_map_shows_demonstration_units_complaints_and_undisposed_failures(
    leader: User, district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    today = timezone.localdate()
    shop = make_unit(dengfeng, 1, status="approved")
    make_unit(dengfeng, 2, status="warning")
    make_unit(dengfeng, 3)  # not a demonstration unit: not drawn
    make_unit(desheng, 4, status="approved")
    register(dengfeng, on=today, unit=shop)
    register(dengfeng, on=today - dt.timedelta(days=1), unit=shop)
    register(dengfeng, on=today)  # no unit: counted, not drawn
    register(dengfeng, on=today - dt.timedelta(days=45), unit=shop)  # too old for the map
    record_batch(district_staff, dengfeng, result="fail", unit=shop, sampled_on=today)

    response = client_for(leader).get(URL, {"scope": DENGFENG})
    data = map_data(response)
    assert sorted((u[2], u[3]) for u in data["units"]) == [
        ("大屏测试店1", False),
        ("大屏测试店2", True),
    ]
    assert data["units"][0][:2] == [121.261234, 38.812345]
    assert data["complaints"] == [[121.261234, 38.812345, "大屏测试店1", 2]]
    assert data["failed"] == [[121.261234, 38.812345, "大屏测试店1", 1]]
    assert response.context["screen"].unplaced == 1
    assert data["outlines"] == {"type": "FeatureCollection", "features": []}
    assert "尚未上传街道边界" in response.content.decode()


def test_uploaded_outlines_of_the_scope_are_drawn(leader: User, dengfeng: Jurisdiction) -> None:
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(
        boundary={"type": "Polygon", "coordinates": [SQUARE]}
    )
    district = map_data(client_for(leader).get(URL))
    assert [f["properties"]["code"] for f in district["outlines"]["features"]] == [DENGFENG]
    other = map_data(client_for(leader).get(URL, {"scope": DESHENG}))
    assert other["outlines"]["features"] == []


def test_the_weeks_alerts(leader: User, district_staff: User, dengfeng: Jurisdiction) -> None:
    today = timezone.localdate()
    register(dengfeng, on=today - dt.timedelta(days=40), record_no="OVERDUE01")
    register(dengfeng, on=today)  # within its time limit
    record_batch(district_staff, dengfeng, result="fail", product_name="散装白酒", sampled_on=today)
    warned = make_unit(dengfeng, 5, status="approved")
    unit_services.unit_warn(unit=warned, by=district_staff, reason="评分降至C级")
    make_unit(dengfeng, 6, status="warning")  # in warning, but not put there this week

    response = client_for(leader).get(URL)
    alerts = response.context["screen"].alerts
    assert alerts.overdue_complaints == 1
    assert [row.title for row in alerts.overdue_complaint_rows] == ["OVERDUE01"]
    assert alerts.failed_batches == 1
    assert alerts.failed_batch_rows[0].note == "散装白酒"
    assert alerts.warned_units == 1
    assert [row.title for row in alerts.warned_unit_rows] == ["大屏测试店5"]
    html = response.content.decode()
    assert re.search(r'data-testid="alert-overdue-complaints">1<', html)
    assert "13812345678" not in html
    assert "欧阳娜娜" not in html


def _world(dengfeng: Jurisdiction, staff: User, offset: int, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        shop = make_unit(dengfeng, offset + i, status="approved" if i % 2 else "warning")
        register(dengfeng, on=today - dt.timedelta(days=40), unit=shop)
        record_batch(staff, dengfeng, result="fail", unit=shop, sampled_on=today)
        unit_services.unit_warn(
            unit=make_unit(dengfeng, offset + 100 + i, status="approved"), by=staff, reason="预警"
        )
    last = periods.last_complete(periods.MONTH, today)
    target(last.key, "district", f"food_sampling_pass_rate_{offset}", "0.98", True)


def test_the_query_count_does_not_grow_with_the_data(
    leader: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(
        boundary={"type": "Polygon", "coordinates": [SQUARE]}
    )
    client = client_for(leader)
    _world(dengfeng, district_staff, 1000, 2)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _world(dengfeng, district_staff, 2000, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 21  # 20, and 1 for the early warnings (issue 19)
