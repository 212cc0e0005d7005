"""The leader dashboard: who reaches it and which scope each sees, the targets with their numbers
and met flags from a known set of TargetResult rows, "no data", the links behind the figures, the
malformed-period message, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints import services_followup
from inspections import services as inspection_services
from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring import periods, targets
from scoring.models import GradeSummary, Target, TargetResult
from scoring.targets import dashboard
from scoring.targets.dashboard import trends as dashboard_trends
from tests.complaints.helpers import register
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.helpers import english, make_unit
from tests.inspections.helpers import batch as record_batch
from units.models import ServiceStation, Unit

pytestmark = pytest.mark.django_db

URL = reverse("dashboard")
PERIOD = "2026-10"
EVALUATED = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
# The lists behind a figure show the records recorded by the instant it was counted.
AS_OF = {"recorded_to": [timezone.localtime(EVALUATED).isoformat()]}

# key, label, numerator, denominator, value, comparator, threshold, met
DISTRICT_RESULTS = [
    ("complaint_handling_rate", "投诉处理率", 45, 50, "0.9", "eq", "1", False),
    ("food_sampling_pass_rate", "食品抽检合格率", 97, 100, "0.97", "gte", "0.97", True),
    ("key_goods_sampling_pass_rate", "重点消费品抽检合格率", 0, 0, None, "gte", "0.96", None),
    (
        "food_sampling_per_thousand",
        "食品抽检千人批次",
        21,
        "29.5833",
        "0.709859",
        "gte",
        "2",
        False,
    ),
    ("programme_awareness_rate", "知晓率", 85, 100, "0.85", "gte", "0.8", True),
    ("station_coverage", "12315站点覆盖率", 9, 10, "0.9", "gte", "0.9", True),
    ("problem_detection_rate", "抽检问题发现率", 3, 120, "0.025", "decrease", None, True),
]


def result(period: str, scope: str, order: int, row: tuple[Any, ...]) -> TargetResult:
    key, label, numerator, denominator, value, comparator, threshold, met = row
    return TargetResult.objects.create(
        period=period,
        scope_code=scope,
        key=key,
        label=label,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        value=None if value is None else Decimal(value),
        comparator=comparator,
        threshold=None if threshold is None else Decimal(threshold),
        met=met,
        order=order,
        evaluated_at=EVALUATED,
        # As scoring.targets.refresh stores it: how the target is shown.
        detail={"unit_label": "批次/千人" if key.endswith("per_thousand") else "%"},
    )


def district_results(period: str = PERIOD) -> None:
    for order, row in enumerate(DISTRICT_RESULTS):
        result(period, "district", order, row)


def street_results(code: str, missed: int, period: str = PERIOD) -> None:
    """``missed`` of the first three district targets missed for a street, the rest met."""
    for order, row in enumerate(DISTRICT_RESULTS[:3]):
        key, label, *_ = row
        met = order >= missed
        result(period, code, order, (key, label, 1, 2, "0.5", "gte", "0.4", met))


def cell_text(html: str, name: str) -> str:
    """The text inside the element with data-testid=name (tags stripped)."""
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)</t[dh]>', html, re.S)
    assert match, f"no element {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def href(html: str, name: str) -> str:
    match = re.search(rf'<a href="([^"]+)" data-testid="{re.escape(name)}"', html)
    assert match, f"no link {name}"
    return match.group(1).replace("&amp;", "&")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def warning_unit(jurisdiction: Jurisdiction, seed: int) -> Unit:
    return make_unit(
        jurisdiction,
        seed,
        demonstration_status="warning",
        status_reason="评分降至C级",
        certificate_no=f"LSK-2026-{seed:04d}",
        certified_from=dt.date(2026, 1, 1),
        certified_until=dt.date(2026, 12, 31),
    )


# --- Who reaches it -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_operators_and_administrators_are_refused(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(URL).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


@pytest.mark.parametrize("persona", ["leader", "district_staff"])
def test_leader_and_district_staff_see_the_district_and_may_choose_any_jurisdiction(
    persona: str, request: pytest.FixtureRequest, dengfeng: Jurisdiction
) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["scope"].code == "district"
    codes = {place.code for place in response.context["places"]}
    assert {DENGFENG, DESHENG} <= codes
    response = client.get(URL, {"scope": DENGFENG})
    assert response.status_code == 200
    assert response.context["scope"].jurisdiction == dengfeng


def test_street_staff_see_their_own_jurisdiction_by_default(street_staff: User) -> None:
    response = client_for(street_staff).get(URL)
    assert response.status_code == 200
    assert response.context["scope"].code == DENGFENG
    assert [place.code for place in response.context["places"]] == [DENGFENG]
    assert 'value="district"' not in response.content.decode()


@pytest.mark.parametrize("scope", ["district", DESHENG, "999999999999"])
def test_street_staff_asking_for_another_scope_get_404(street_staff: User, scope: str) -> None:
    assert client_for(street_staff).get(URL, {"scope": scope}).status_code == 404
    assert AuditEvent.objects.filter(
        actor=street_staff, action="access.denied", detail__requested=scope
    ).exists()


def test_an_unknown_jurisdiction_is_404_for_a_leader_too(leader: User) -> None:
    assert client_for(leader).get(URL, {"scope": "210212999000"}).status_code == 404


# --- Period ---------------------------------------------------------------------------------------


def test_default_period_is_the_last_complete_month(leader: User) -> None:
    """Never a month a few days old: the dashboard opens on the last month that has ended."""
    response = client_for(leader).get(URL)
    expected = periods.last_complete(periods.MONTH, timezone.localdate())
    assert response.context["board"].period.key == expected.key
    assert response.context["board"].open_label == ""
    assert dashboard_trends.default_period(dt.date(2026, 12, 5)).key == "2026-11"
    assert dashboard_trends.default_period(dt.date(2026, 1, 31)).key == "2025-12"


def test_default_period_may_be_the_last_complete_quarter(leader: User, settings: Any) -> None:
    settings.DASHBOARD_DEFAULT_PERIOD = "quarter"
    response = client_for(leader).get(URL)
    expected = periods.last_complete(periods.QUARTER, timezone.localdate())
    assert response.context["board"].period.key == expected.key
    assert dashboard_trends.default_period(dt.date(2026, 12, 5)).key == "2026-Q3"


@pytest.mark.parametrize("text", ["2026-13", "October", "2026-Q5", "1999"])
def test_a_malformed_period_is_explained_not_a_500(leader: User, text: str) -> None:
    response = english(leader).get(URL, {"period": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="period-error"' in html
    assert "Malformed period" in html
    assert "board" not in response.context  # no figures for a period that is not one


@pytest.mark.parametrize(("text", "key"), [("2026", "2026"), ("2026-q3", "2026-Q3")])
def test_years_and_quarters_are_periods_too(leader: User, text: str, key: str) -> None:
    response = client_for(leader).get(URL, {"period": text})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.period.key == key
    assert len(board.chart["trend"]["periods"]) == dashboard.TREND_PERIODS


# --- Targets --------------------------------------------------------------------------------------


def test_every_target_shows_value_threshold_met_numerator_and_denominator(leader: User) -> None:
    district_results()
    response = english(leader).get(URL, {"period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.key: row for row in response.context["board"].targets}
    assert list(rows) == [row[0] for row in DISTRICT_RESULTS]

    handling = rows["complaint_handling_rate"]
    assert (handling.display, handling.threshold, handling.met) == ("90.0%", "= 100%", False)
    assert (handling.numerator, handling.denominator) == ("45", "50")
    assert 'data-testid="target-complaint_handling_rate" data-met="no"' in html
    assert cell_text(html, "target-value-complaint_handling_rate") == "90.0%"
    assert cell_text(html, "target-numerator-complaint_handling_rate") == "45"
    assert cell_text(html, "target-denominator-complaint_handling_rate") == "50"

    food = rows["food_sampling_pass_rate"]
    assert (food.display, food.threshold, food.met) == ("97.0%", "≥ 97%", True)
    assert 'data-testid="target-food_sampling_pass_rate" data-met="yes"' in html

    detection = rows["problem_detection_rate"]
    assert (detection.display, detection.threshold) == ("2.5%", "falls year on year")

    per_thousand = rows["food_sampling_per_thousand"]
    assert (per_thousand.display, per_thousand.threshold) == ("0.71 批次/千人", "≥ 2 批次/千人")
    assert (per_thousand.numerator, per_thousand.denominator) == ("21", "29.58")
    assert cell_text(html, "missed-count").startswith("2")


def test_no_data_is_shown_as_no_data_never_as_a_percentage(leader: User) -> None:
    district_results()
    response = english(leader).get(URL, {"period": PERIOD})
    html = response.content.decode()
    row = next(r for r in response.context["board"].targets if r.key.startswith("key_goods"))
    assert row.met is None
    assert row.display == ""
    assert 'data-testid="target-key_goods_sampling_pass_rate" data-met="none"' in html
    assert cell_text(html, "target-value-key_goods_sampling_pass_rate") == "no data"
    row_html = re.search(r'data-testid="target-key_goods_sampling_pass_rate".*?</tr>', html, re.S)
    assert row_html
    shown = re.sub(r"<[^>]+>", "", row_html.group(0))  # the text, not the links' %-escapes
    assert shown.count("%") == 1  # the threshold's, never a value of 0% or 100%


def test_a_street_sees_its_own_results_not_the_districts(street_staff: User) -> None:
    district_results()
    street_results(DENGFENG, missed=2)
    response = client_for(street_staff).get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert [row.met for row in board.targets] == [False, False, True]


def test_nothing_evaluated_yet_says_so(leader: User) -> None:
    response = english(leader).get(URL, {"period": PERIOD})
    html = response.content.decode()
    assert 'data-testid="targets-empty"' in html
    assert response.context["board"].targets == []


def test_trend_covers_the_last_twelve_periods_with_gaps_as_null(leader: User) -> None:
    district_results("2026-10")
    district_results("2026-08")
    result("2025-11", "district", 0, DISTRICT_RESULTS[0])  # eleven months back: the first
    result("2025-10", "district", 0, DISTRICT_RESULTS[0])  # twelve months back: outside
    response = client_for(leader).get(URL, {"period": "2026-10"})
    trend = response.context["board"].chart["trend"]
    assert len(trend["periods"]) == dashboard.TREND_PERIODS == 12
    assert trend["links"][0] == f"{URL}?period=2025-11&scope=district"
    assert trend["links"][-1] == f"{URL}?period=2026-10&scope=district"
    assert trend["open"] == [False] * 12  # all of them ended
    handling = next(s for s in trend["series"] if s["key"] == "complaint_handling_rate")
    assert handling["values"] == [90.0, *[None] * 8, 90.0, None, 90.0]
    assert handling["percent"] is True
    missed = {s["key"] for s in trend["series"] if s["missed"]}  # the chart opens on these
    assert missed == {"complaint_handling_rate", "food_sampling_per_thousand"}
    per_thousand = next(s for s in trend["series"] if s["key"] == "food_sampling_per_thousand")
    assert per_thousand["percent"] is False
    assert per_thousand["values"][-1] == 0.71
    key_goods = next(s for s in trend["series"] if s["key"].startswith("key_goods"))
    assert key_goods["values"][-1] is None  # no data, not 0
    assert 'id="dashboard-data"' in response.content.decode()


# --- Ranking --------------------------------------------------------------------------------------


def test_jurisdictions_are_ranked_by_targets_missed(leader: User) -> None:
    street_results(DESHENG, missed=1)
    street_results(DENGFENG, missed=3)
    response = client_for(leader).get(URL, {"period": PERIOD})
    ranking = response.context["board"].ranking
    assert [r.jurisdiction.code for r in ranking[:2]] == [DENGFENG, DESHENG]
    assert (ranking[0].missed, ranking[0].met) == (3, 0)
    assert ranking[0].missed_labels == ["投诉处理率", "食品抽检合格率", "重点消费品抽检合格率"]
    assert not ranking[2].evaluated
    html = response.content.decode()
    assert href(html, f"rank-missed-{DENGFENG}") == f"{URL}?period={PERIOD}&scope={DENGFENG}"


# --- The lists behind the figures -----------------------------------------------------------------


def test_complaint_targets_link_to_the_complaints_of_the_period(
    leader: User, dengfeng: Jurisdiction
) -> None:
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    link = href(html, "target-link-complaint_handling_rate")
    assert link.startswith(reverse("complaint-list"))
    # The handling rate's denominator: received in the period, less those open and in time.
    assert query(link) == {
        "kind": ["complaint"],
        "received_from": ["2026-10-01"],
        "received_to": ["2026-10-31"],
        "counted": ["handling"],
        **AS_OF,
    }
    # The numerator and the denominator are links too: the concluded ones, and the counted ones.
    numerator = href(html, "target-numerator-link-complaint_handling_rate")
    assert query(numerator)["counted"] == ["handled"]
    assert query(href(html, "target-denominator-link-complaint_handling_rate")) == query(link)
    # A jurisdiction's dashboard narrows the list to it.
    street_results(DENGFENG, missed=1)
    html = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG}).content.decode()
    assert query(href(html, "target-link-complaint_handling_rate"))["jurisdiction"] == [
        str(dengfeng.pk)
    ]


def test_following_a_complaint_target_lists_exactly_its_complaints(
    leader: User, dengfeng: Jurisdiction
) -> None:
    district_results()
    october = register(dengfeng, on=dt.date(2026, 10, 15))  # overdue since: counted
    september = register(dengfeng, on=dt.date(2026, 9, 15))
    # Counted after they were recorded, as the evaluation does: the list shows them as of then.
    TargetResult.objects.update(evaluated_at=timezone.now())
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    response = client_for(leader).get(href(html, "target-link-complaint_handling_rate"))
    assert response.status_code == 200
    shown = {c.record_no for c in response.context["page"]}
    assert october.record_no in shown
    assert september.record_no not in shown


def test_sampling_and_station_targets_link_to_their_lists(leader: User) -> None:
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    october = {"sampled_from": ["2026-10-01"], "sampled_to": ["2026-10-31"]}
    food = href(html, "target-link-food_sampling_pass_rate")
    assert food.startswith(reverse("sampling-list"))
    # 监督抽检 + 评价性抽检 with a final result (inspections.figures.pass_rate_types).
    assert query(food) == {
        "category": ["food"],
        "sampling_type": ["supervisory", "evaluative"],
        "final_result": ["pass", "fail"],
        **october,
        **AS_OF,
    }
    # Per thousand residents: the batches are the numerator (快检 left out, pending included).
    per_thousand = href(html, "target-link-food_sampling_per_thousand")
    assert query(per_thousand) == {
        "category": ["food"],
        "sampling_type": ["supervisory", "evaluative", "risk_monitoring"],
        **october,
        **AS_OF,
    }
    station = href(html, "target-link-station_coverage")
    assert station.startswith(reverse("unit-list"))
    assert query(station) == {
        "demonstration_status": ["approved", "warning"],
        "as_of": ["2026-10-31"],  # units are listed as of a day, not of an instant
    }
    detection = href(html, "target-link-problem_detection_rate")
    assert query(detection) == {
        "sampling_type": ["supervisory"],
        "stage": ["circulation"],  # the detection rate counts the circulation stage
        "final_result": ["pass", "fail"],
        **october,
        **AS_OF,
    }
    rows = {
        row.key: row
        for row in client_for(leader).get(URL, {"period": PERIOD}).context["board"].targets
    }
    assert query(rows["problem_detection_rate"].numerator_url or "")["final_result"] == ["fail"]
    assert query(rows["station_coverage"].numerator_url or "")["has_station"] == ["yes"]
    assert rows["food_sampling_per_thousand"].denominator_url is None  # residents: no list


def test_survey_targets_link_to_the_survey_answers(leader: User) -> None:
    try:
        answers = reverse("survey-list")
    except NoReverseMatch:
        pytest.skip("the survey list is not installed")
    district_results()
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    link = href(html, "target-link-programme_awareness_rate")
    assert link.startswith(answers)
    assert query(link) == {"answered_from": ["2026-10-01"], "answered_to": ["2026-10-31"]}


def test_a_running_period_links_up_to_the_day_it_was_evaluated(leader: User) -> None:
    """Records added since the evaluation are not in the figure, so not in its list either."""
    result("2026-10", "district", 0, DISTRICT_RESULTS[0])
    TargetResult.objects.update(evaluated_at=dt.datetime(2026, 10, 20, 2, 0, tzinfo=dt.UTC))
    html = client_for(leader).get(URL, {"period": PERIOD}).content.decode()
    assert query(href(html, "target-link-complaint_handling_rate"))["received_to"] == ["2026-10-20"]


# --- Every figure and the lists behind it count the same records ----------------------------------
#
# A month of known records, evaluated by scoring.targets.refresh as the nightly job does; then, for
# the district and for 登峰街道 (with a park below it), every number on the dashboard must equal
# the number of rows of the list its link opens. The month is the last complete one, so that the
# services accept every date and the open complaints keep their state between the evaluation
# and the lists.


def _concluded_complaint(
    place: Jurisdiction, by: User, on: dt.date, outcome: str, answer: str = "", **extra: Any
) -> None:
    complaint = register(place, on=on)
    complaint = complaint_services.complaint_accept(
        complaint=complaint, by=by, version=complaint.version, on=on
    )
    complaint = complaint_services.complaint_conclude(
        complaint=complaint,
        by=by,
        version=complaint.version,
        outcome=outcome,
        on=on + dt.timedelta(days=8),
        **extra,
    )
    if answer:
        services_followup.complaint_record_satisfaction(complaint=complaint, by=by, answer=answer)


def _demo_unit(
    place: Jurisdiction,
    seed: int,
    status: str,
    *,
    certified: dt.date,
    station: dt.date | None = None,
    active: bool = True,
) -> None:
    unit = make_unit(
        place,
        seed,
        demonstration_status=status,
        certificate_no="" if status == "none" else f"LSK-T-{seed:04d}",
        certified_from=None if status == "none" else certified,
        certified_until=None if status == "none" else certified + dt.timedelta(days=365),
    )
    if station is not None:
        ServiceStation.objects.create(
            unit=unit,
            contact_person="李四",
            phone="0411-86612315",
            hours="9:00-17:00",
            location="服务台",
            active=active,
            registered_on=station,
        )


def _survey(
    place: Jurisdiction, on: dt.date, aware: bool, approves: bool | None, life: str
) -> None:
    services_followup.survey_record(
        jurisdiction=place, answered_on=on, aware=aware, approves=approves, life_services=life
    )


@pytest.fixture(autouse=True)
def no_minimum_sample(db: None) -> None:
    """These fixtures count a handful of records: the arithmetic and the links, without the
    minimum sample (tests/scoring/test_dashboard_truth.py covers "样本不足")."""
    Target.objects.update(min_denominator=0)


@pytest.fixture
def month_of_records(
    dengfeng: Jurisdiction, desheng: Jurisdiction, street_staff: User, district_staff: User
) -> periods.Period:
    """Records of every kind the targets count, and of every kind they leave out."""
    month = periods.last_complete()

    def day(n: int) -> dt.date:
        return month.start + dt.timedelta(days=n)

    park = Jurisdiction.objects.create(
        code="210212001900", name="登峰测试园区", kind="park", parent=dengfeng, population=900
    )
    dengfeng.population = 18_250
    dengfeng.save(update_fields=["population"])
    bob, alice = street_staff, district_staff

    # Complaints.
    _concluded_complaint(dengfeng, bob, day(1), "mediated", "satisfied")
    _concluded_complaint(dengfeng, bob, day(2), "mediated", "basically")
    _concluded_complaint(dengfeng, bob, day(3), "failed", "dissatisfied")
    _concluded_complaint(
        dengfeng, bob, day(4), "terminated", "no_answer", termination_ground="absent"
    )
    _concluded_complaint(dengfeng, bob, day(5), "withdrawn")  # handled; no resolution, no answer
    _concluded_complaint(park, alice, day(6), "mediated", "satisfied")  # below 登峰: counted there
    # Received the month before, concluded in this one: resolution yes, handling no.
    _concluded_complaint(dengfeng, bob, month.start - dt.timedelta(days=3), "failed", "basically")
    refused = register(dengfeng, on=day(7))
    complaint_services.complaint_refuse(
        complaint=refused, by=bob, version=refused.version, ground="elsewhere", on=day(8)
    )
    register(dengfeng, on=day(1))  # open, acceptance overdue: in the handling denominator
    late = register(dengfeng, on=day(25))
    complaint_services.complaint_accept(  # open, mediation due in 45 working days: left out
        complaint=late, by=bob, version=late.version, on=day(25)
    )
    register(dengfeng, on=day(9), kind="report")  # reports count nowhere
    register(dengfeng, on=month.start - dt.timedelta(days=1))  # received before the month
    _concluded_complaint(desheng, alice, day(2), "mediated", "satisfied")

    # Sampling.
    sampled = day(14)
    for result in ("pass", "pass", "fail"):
        record_batch(
            bob,
            dengfeng,
            category="key_goods",
            product_name="电热水壶",
            result=result,
            sampled_on=sampled,
        )
    record_batch(
        bob, dengfeng, category="key_goods", sampling_type="evaluative", sampled_on=sampled
    )
    record_batch(
        bob,
        dengfeng,
        category="key_goods",
        sampling_type="risk_monitoring",
        result="fail",
        sampled_on=sampled,
    )
    record_batch(bob, dengfeng, category="key_goods", result="pending", sampled_on=sampled)
    for result in ("pass", "fail", "pass"):
        record_batch(bob, dengfeng, result=result, sampled_on=sampled)  # food, supervisory
    record_batch(bob, dengfeng, sampling_type="evaluative", result="fail", sampled_on=sampled)
    record_batch(
        bob, dengfeng, sampling_type="risk_monitoring", result="pending", sampled_on=sampled
    )
    record_batch(bob, dengfeng, sampling_type="rapid", result="fail", sampled_on=sampled)  # 快检
    record_batch(bob, dengfeng, result="pending", sampled_on=sampled)
    record_batch(alice, park, result="fail", sampled_on=day(20))
    record_batch(alice, desheng, category="key_goods", product_name="玩具", sampled_on=sampled)
    record_batch(bob, dengfeng, result="fail", sampled_on=month.start - dt.timedelta(days=2))
    record_batch(
        bob, dengfeng, result="fail", sampled_on=periods.parse(str(month.start.year - 1)).start
    )

    # Demonstration units and their 12315 stations.
    certified, registered = month.start - dt.timedelta(days=40), month.start - dt.timedelta(days=30)
    after = month.end + dt.timedelta(days=1)
    _demo_unit(dengfeng, 1, "approved", certified=certified, station=registered)
    _demo_unit(dengfeng, 2, "warning", certified=certified, station=registered)
    _demo_unit(dengfeng, 3, "approved", certified=certified)
    _demo_unit(dengfeng, 4, "approved", certified=certified, station=registered, active=False)
    _demo_unit(dengfeng, 5, "approved", certified=certified, station=after)  # station too late
    _demo_unit(dengfeng, 6, "approved", certified=after, station=registered)  # certified too late
    _demo_unit(dengfeng, 7, "none", certified=certified, station=registered)
    _demo_unit(dengfeng, 8, "revoked", certified=certified, station=registered)
    _demo_unit(park, 9, "approved", certified=certified, station=registered)
    _demo_unit(desheng, 10, "warning", certified=certified)

    # The consumer survey.
    for aware, approves, life in (
        (True, True, "satisfied"),
        (True, False, "basically"),
        (True, True, "dissatisfied"),
        (False, None, "neutral"),
        (False, None, "satisfied"),
    ):
        _survey(dengfeng, day(10), aware, approves, life)
    _survey(park, day(11), True, True, "basically")
    _survey(desheng, day(10), True, True, "satisfied")
    _survey(dengfeng, month.start - dt.timedelta(days=1), True, True, "satisfied")

    targets.refresh(month)
    return month


def _listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


@pytest.mark.parametrize("scope", ["district", DENGFENG])
def test_every_number_on_the_dashboard_is_the_number_of_rows_its_link_lists(
    leader: User, month_of_records: periods.Period, scope: str
) -> None:
    client = client_for(leader)
    board = client.get(URL, {"period": month_of_records.key, "scope": scope}).context["board"]
    rows = {row.key: row for row in board.targets}
    assert set(rows) == set(targets.TARGET_KEYS)
    for key, row in rows.items():
        assert row.numerator_url, key
        assert _listed(client, row.numerator_url) == int(row.numerator), key
        if key == "food_sampling_per_thousand":
            assert row.denominator_url is None  # thousands of residents
            assert row.url == row.numerator_url
            continue
        assert row.denominator_url, key
        assert row.url == row.denominator_url, key
        assert _listed(client, row.denominator_url) == int(row.denominator), key
        assert int(row.denominator) > 0, key  # the fixture gives every figure some data


def test_the_counts_are_those_counted_by_hand(
    leader: User, month_of_records: periods.Period
) -> None:
    """The fixture's arithmetic, so that the test above cannot pass on two wrong counts."""
    board = client_for(leader).get(URL, {"period": month_of_records.key, "scope": DENGFENG})
    rows = {row.key: (row.numerator, row.denominator) for row in board.context["board"].targets}
    assert rows["complaint_handling_rate"] == ("7", "8")  # 6 concluded + refused; + 1 overdue
    assert rows["complaint_resolution_rate"] == ("3", "6")
    assert rows["complaint_satisfaction_rate"] == ("4", "5")
    assert rows["key_goods_sampling_pass_rate"] == ("3", "4")
    assert rows["food_sampling_pass_rate"] == ("2", "5")
    assert rows["food_sampling_per_thousand"][0] == "7"
    # Supervisory batches of the circulation stage (the key goods here are production's).
    assert rows["problem_detection_rate"] == ("2", "4")
    assert rows["station_coverage"] == ("3", "6")
    assert rows["programme_awareness_rate"] == ("4", "6")
    assert rows["programme_recognition_rate"] == ("3", "4")
    assert rows["life_services_satisfaction"] == ("4", "6")


def test_units_in_warning_overdue_complaints_and_disposals_link_to_their_lists(
    leader: User, street_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    today = timezone.localdate()
    shown = [warning_unit(dengfeng, n) for n in range(3)]
    warning_unit(desheng, 10)
    make_unit(dengfeng, 20)  # not in warning
    register(dengfeng, on=today - dt.timedelta(days=40))  # acceptance long overdue
    register(dengfeng, on=today)  # within its time limit
    failed = record_batch(street_staff, dengfeng, result="fail")
    inspection_services.batch_notify(
        batch=failed, by=street_staff, notified_on=today - dt.timedelta(days=60)
    )
    record_batch(street_staff, dengfeng, result="fail")  # not notified: no clock runs

    response = client_for(leader).get(URL, {"scope": DENGFENG})
    board = response.context["board"]
    assert board.warning.count == 3
    assert board.overdue_complaints.count == 1
    assert board.overdue_disposals.count == 1
    assert {u.pk for u in board.warning_units} == {u.pk for u in shown}
    html = response.content.decode()
    pk = str(dengfeng.pk)
    assert query(href(html, "warning-count")) == {
        "demonstration_status": ["warning"],
        "jurisdiction": [pk],
    }
    assert query(href(html, "overdue-complaints")) == {"clock": ["overdue"], "jurisdiction": [pk]}
    assert query(href(html, "overdue-disposals")) == {"overdue": ["yes"], "jurisdiction": [pk]}
    assert href(html, f"warning-unit-{shown[0].pk}") == reverse("unit-detail", args=[shown[0].pk])
    # The counts agree with the lists they open.
    lists = client_for(leader)
    assert lists.get(href(html, "overdue-complaints")).context["page"].paginator.count == 1
    assert lists.get(href(html, "overdue-disposals")).context["page"].paginator.count == 1
    assert lists.get(href(html, "warning-count")).context["page"].paginator.count == 3

    district = client_for(leader).get(URL).context["board"]
    assert district.warning.count == 4


def test_the_warning_list_is_short(leader: User, dengfeng: Jurisdiction) -> None:
    for n in range(dashboard.WARNING_LIMIT + 3):
        warning_unit(dengfeng, n)
    board = client_for(leader).get(URL).context["board"]
    assert len(board.warning_units) == dashboard.WARNING_LIMIT
    assert board.warning.count == dashboard.WARNING_LIMIT + 3


def grade_summaries(period: str, jurisdiction: Jurisdiction, scale: int = 1) -> None:
    for grade, units, demo in (("A", 5, 2), ("B", 10, 1), ("C", 3, 0), ("D", 2, 0)):
        GradeSummary.objects.create(
            period=period,
            jurisdiction=jurisdiction,
            demonstration=False,
            grade=grade,
            units=units * scale,
            vetoed=1 if grade == "D" else 0,
        )
        if demo:
            GradeSummary.objects.create(
                period=period,
                jurisdiction=jurisdiction,
                demonstration=True,
                grade=grade,
                units=demo * scale,
            )


def test_grade_distribution_of_units_and_of_demonstration_units(
    leader: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    grade_summaries(PERIOD, dengfeng)
    grade_summaries(PERIOD, desheng)
    grade_summaries("2026-09", dengfeng, scale=100)  # another period: not counted
    response = client_for(leader).get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert board.grades_period.key == PERIOD
    grades = {row.grade: row for row in board.grades}
    assert (grades["A"].units, grades["A"].demonstration_units) == (14, 4)
    assert (grades["D"].units, grades["D"].vetoed) == (4, 2)
    # A, B, C, D, then U (未评定, rubric v2): none of the summaries is ungraded.
    assert board.chart["grades"]["grades"] == ["A", "B", "C", "D", "U"]
    assert board.chart["grades"]["all"] == [14, 22, 6, 4, 0]
    assert board.chart["grades"]["demonstration"] == [4, 2, 0, 0, 0]

    street = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG})
    assert street.context["board"].chart["grades"]["all"] == [7, 11, 3, 2, 0]


def test_a_quarter_shows_the_grades_of_its_latest_scored_month(
    leader: User, dengfeng: Jurisdiction
) -> None:
    grade_summaries("2026-07", dengfeng)
    grade_summaries("2026-08", dengfeng, scale=2)
    board = client_for(leader).get(URL, {"period": "2026-Q3"}).context["board"]
    assert board.grades_period.key == "2026-08"
    assert board.chart["grades"]["all"] == [14, 22, 6, 4, 0]


def test_grades_link_to_the_scores_list(leader: User, dengfeng: Jurisdiction) -> None:
    try:
        scores = reverse(dashboard.SCORES_LIST)
    except NoReverseMatch:
        pytest.skip("the scores list is not installed")
    grade_summaries(PERIOD, dengfeng)
    html = client_for(leader).get(URL, {"period": PERIOD, "scope": DENGFENG}).content.decode()
    link = href(html, "grade-link-all-B")
    assert link.startswith(scores)
    assert query(link) == {"period": [PERIOD], "grade": ["B"], "jurisdiction": [str(dengfeng.pk)]}
    demo = href(html, "grade-link-demonstration-A")
    assert query(demo)["demonstration"] == ["yes"]


# --- Query count ----------------------------------------------------------------------------------


def records(count: int, first: int, jurisdiction: Jurisdiction, staff: User) -> None:
    for n in range(first, first + count):
        warning_unit(jurisdiction, n)
        register(jurisdiction, on=dt.date(2026, 9, 1))
        record_batch(staff, jurisdiction, result="fail")


def test_query_count_does_not_grow_with_the_data(
    leader: User,
    street_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    django_assert_num_queries: Any,
) -> None:
    client = client_for(leader)
    district_results(PERIOD)
    street_results(DENGFENG, missed=1)
    grade_summaries(PERIOD, dengfeng)
    records(1, 100, dengfeng, street_staff)
    # Session and user; the user's places, targets and trend, ranking, grades,
    # the warning units and their count, overdue complaints, overdue disposals; the menu's
    # unread notifications; the session saved (idle timeout) in a savepoint. Then the cards of the
    # apps above (scoring.targets.dashboard.cards): the demonstration areas' verdicts take 11 the
    # first time (the places, the stamp of their inputs, the year's seven facts, the district and
    # its streets, the verdicts issued) and 2 (the places, the stamp) while their inputs are
    # unchanged.
    with django_assert_num_queries(14 + 11):
        assert client.get(URL, {"period": PERIOD}).status_code == 200

    for month in (9, 8, 7, 6, 5):
        district_results(f"2026-{month:02d}")
    street_results(DESHENG, missed=2)
    grade_summaries(PERIOD, desheng, scale=50)
    grade_summaries("2026-Q4", dengfeng)
    records(25, 200, desheng, street_staff)
    with django_assert_num_queries(14 + 2):
        response = client.get(URL, {"period": PERIOD})
    board = response.context["board"]
    assert board.warning.count == 26
    assert len(board.warning_units) == dashboard.WARNING_LIMIT
    # The six months evaluated (2026-05 … 2026-10) are the last six of the twelve.
    assert all(None not in s["values"][-6:] for s in board.chart["trend"]["series"][:2])
