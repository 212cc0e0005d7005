"""The district targets against a fixture counted by hand (DESIGN.md §6, §7).

October 2026, evaluated on 20 November 2026. 登峰街道 is a demonstration area (designated in
January) with a population of 18,250; 得胜街道 has a little data of its own; the district's
population is the census figure of the jurisdictions migration (355,000).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services, services_followup
from complaints.models import Complaint
from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring import targets
from scoring.models import DemonstrationArea, Target, TargetResult
from scoring.periods import parse
from scoring.targets.forms import TargetAdminForm
from tests.complaints.helpers import register
from tests.conftest import client_for
from tests.factories import ServiceStationFactory, UnitFactory
from tests.inspections.helpers import batch
from units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 20)
OCTOBER = parse("2026-10")
CERTIFIED = D(2026, 3, 1)


# --- The fixture --------------------------------------------------------------------------------


def accepted(j: Jurisdiction, by: User, on: D) -> Complaint:
    complaint = register(j, on=on)
    return services.complaint_accept(complaint=complaint, by=by, version=complaint.version, on=on)


def concluded(
    j: Jurisdiction, by: User, outcome: str, satisfaction: str = "", **extra: Any
) -> Complaint:
    complaint = accepted(j, by, D(2026, 10, 12))
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=by,
        version=complaint.version,
        outcome=outcome,
        on=D(2026, 10, 20),
        **extra,
    )
    if satisfaction:
        services_followup.complaint_record_satisfaction(
            complaint=complaint, by=by, answer=satisfaction
        )
    return complaint


def complaints(dengfeng: Jurisdiction, desheng: Jurisdiction, bob: User, alice: User) -> None:
    concluded(dengfeng, bob, "mediated", "satisfied")
    concluded(dengfeng, bob, "mediated", "basically")
    concluded(dengfeng, bob, "mediated", "satisfied")
    concluded(dengfeng, bob, "failed", "satisfied")
    concluded(dengfeng, bob, "terminated", "no_answer", termination_ground="absent")
    concluded(dengfeng, bob, "withdrawn", "dissatisfied")  # handled; not in the resolution rate
    refused = register(dengfeng, on=D(2026, 10, 12))
    services.complaint_refuse(
        complaint=refused, by=bob, version=refused.version, ground="elsewhere", on=D(2026, 10, 13)
    )
    register(dengfeng, on=D(2026, 10, 5))  # open, acceptance overdue since mid-October
    accepted(dengfeng, bob, D(2026, 10, 30))  # open, mediation due in December: within limit
    register(dengfeng, on=D(2026, 10, 8), kind="report")  # a report: no complaint figure
    register(dengfeng, on=D(2026, 9, 30))  # received before the period
    concluded(desheng, alice, "mediated", "satisfied")


def surveys(dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    answers = [
        (dengfeng, True, True, "satisfied"),
        (dengfeng, True, True, "basically"),
        (dengfeng, True, False, "dissatisfied"),
        (dengfeng, False, None, "neutral"),
        (dengfeng, False, None, "satisfied"),
        *[(desheng, True, True, "satisfied")] * 5,
    ]
    for place, aware, approves, life in answers:
        services_followup.survey_record(
            jurisdiction=place,
            answered_on=D(2026, 10, 3),
            aware=aware,
            approves=approves,
            life_services=life,
        )
    services_followup.survey_record(  # November: outside the period
        jurisdiction=dengfeng,
        answered_on=D(2026, 11, 3),
        aware=False,
        approves=None,
        life_services="dissatisfied",
    )


def sampling(dengfeng: Jurisdiction, desheng: Jurisdiction, bob: User, alice: User) -> None:
    october = D(2026, 10, 15)
    for result in ("pass", "pass", "pass", "fail"):
        batch(
            bob,
            dengfeng,
            category="key_goods",
            product_name="电热水壶",
            result=result,
            sampled_on=october,
        )
    for result in ("pass", "pass", "fail"):
        batch(bob, dengfeng, result=result, sampled_on=october)  # food, supervisory
    batch(bob, dengfeng, sampling_type="evaluative", sampled_on=october)
    batch(bob, dengfeng, sampling_type="risk_monitoring", sampled_on=october)
    batch(bob, dengfeng, sampling_type="rapid", sampled_on=october, result="fail")  # 快检: never
    batch(bob, dengfeng, result="pending", sampled_on=october)  # per thousand only
    batch(bob, dengfeng, category="other_goods", product_name="毛巾", sampled_on=october)
    for result in ("fail", "pass", "pass"):  # the same month a year earlier
        batch(bob, dengfeng, result=result, sampled_on=D(2025, 10, 15))
    batch(bob, dengfeng, result="fail", sampled_on=D(2026, 11, 2))  # after the period
    for _ in range(2):
        batch(alice, desheng, category="key_goods", product_name="儿童玩具", sampled_on=october)


def demo_unit(
    place: Jurisdiction,
    status: str,
    *,
    station: bool | None,
    certified_from: D = CERTIFIED,
) -> Unit:
    number = Unit.objects.count() + 1
    certificate = (
        {}
        if status == "none"
        else {
            "certificate_no": f"LSK-2026-{number:04d}",
            "certified_from": certified_from,
            "certified_until": certified_from + dt.timedelta(days=365),
        }
    )
    unit = UnitFactory.create(
        jurisdiction=place, name=f"示范单位{number}", demonstration_status=status, **certificate
    )
    if station is not None:
        ServiceStationFactory.create(unit=unit, active=station, registered_on=D(2026, 4, 1))
    return unit


def stations(dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    demo_unit(dengfeng, "approved", station=True)
    demo_unit(dengfeng, "warning", station=True)
    demo_unit(dengfeng, "approved", station=None)
    demo_unit(dengfeng, "approved", station=False)  # a station no longer active
    demo_unit(dengfeng, "none", station=True)  # not a demonstration unit
    demo_unit(dengfeng, "revoked", station=True)  # no longer one
    demo_unit(dengfeng, "approved", station=True, certified_from=D(2026, 11, 5))  # after October
    demo_unit(desheng, "approved", station=True)


@pytest.fixture
def world(
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    street_staff: User,
    district_staff: User,
) -> dict[str, Jurisdiction]:
    # A hand count of a few records each: the arithmetic, without the minimum sample
    # (tests/scoring/test_targets_minimum.py covers that).
    Target.objects.update(min_denominator=0)
    dengfeng.population = 18_250
    dengfeng.save(update_fields=["population"])
    DemonstrationArea.objects.create(jurisdiction=dengfeng, designated_on=D(2026, 1, 15))
    complaints(dengfeng, desheng, street_staff, district_staff)
    surveys(dengfeng, desheng)
    sampling(dengfeng, desheng, street_staff, district_staff)
    stations(dengfeng, desheng)
    return {"dengfeng": dengfeng, "desheng": desheng}


# --- Expected, by hand ----------------------------------------------------------------------------

# key: (numerator, denominator, value, threshold, met)
DENGFENG = {
    # key goods, supervisory + evaluative, final: 3 passed of 4
    "key_goods_sampling_pass_rate": (3, 4, 0.75, 0.96, False),
    # food batches except 快检, pending included: 3 supervisory + 1 evaluative + 1 risk monitoring
    # + 1 pending = 6, over 18.25 thousand residents × 31/365 days = 1.55
    "food_sampling_per_thousand": (6, 1.55, 3.870968, 2.0, True),
    # food, supervisory + evaluative, final: 3 passed of 4 (risk monitoring, 快检, pending out)
    "food_sampling_pass_rate": (3, 4, 0.75, 0.97, False),
    "life_services_satisfaction": (3, 5, 0.6, 0.8, False),
    # received 9 (6 concluded, 1 refused, 1 overdue, 1 within limit); handled 7 of 9 − 1
    "complaint_handling_rate": (7, 8, 0.875, 1.0, False),
    # 3 mediated ÷ (3 mediated + 1 failed + 1 terminated)
    "complaint_resolution_rate": (3, 5, 0.6, 0.9, False),
    # 4 satisfied or basically ÷ 5 answered: meets the district's 80%, not the area's 90%
    "complaint_satisfaction_rate": (4, 5, 0.8, 0.9, False),
    # approved + warning certified by October: 4; with an active station: 2
    "station_coverage": (2, 4, 0.5, 0.9, False),
    "programme_awareness_rate": (3, 5, 0.6, 0.8, False),
    "programme_recognition_rate": (2, 3, 0.666667, 0.9, False),
    # supervisory, final: 4 key goods + 3 food + 1 other goods, 2 failed; against 1 of 3 in
    # October 2025: it fell
    # Circulation-stage batches only: the key goods (production by default) are not counted.
    "problem_detection_rate": (1, 4, 0.25, None, True),
}
DISTRICT = {
    "key_goods_sampling_pass_rate": (5, 6, 0.833333, 0.96, False),
    "food_sampling_per_thousand": (6, 30.150685, 0.199, 2.0, False),
    "food_sampling_pass_rate": (3, 4, 0.75, 0.97, False),
    "life_services_satisfaction": (8, 10, 0.8, 0.8, True),
    "complaint_handling_rate": (8, 9, 0.888889, 1.0, False),
    "complaint_resolution_rate": (4, 6, 0.666667, 0.9, False),
    "complaint_satisfaction_rate": (5, 6, 0.833333, 0.8, True),
    "station_coverage": (3, 5, 0.6, 0.9, False),
    "programme_awareness_rate": (8, 10, 0.8, 0.8, True),
    "programme_recognition_rate": (7, 8, 0.875, 0.9, False),
    "problem_detection_rate": (1, 4, 0.25, None, True),
}


def table(result: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        row["key"]: (
            row["numerator"],
            row["denominator"],
            row["value"],
            row["threshold"],
            row["met"],
        )
        for row in result["targets"]
    }


# --- Tests ----------------------------------------------------------------------------------------


def test_the_district_figures_match_a_hand_count(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(OCTOBER, today=TODAY)
    assert result["period"] == "2026-10"
    assert result["scope"] == "district"
    assert [row["key"] for row in result["targets"]] == list(targets.TARGET_KEYS)
    got = table(result)
    # 6 ÷ (355 × 31 / 365): the denominator is shown to 6 places, the value to 6 places
    assert got["food_sampling_per_thousand"][2] == pytest.approx(6 / (355 * 31 / 365), abs=1e-6)
    assert got == DISTRICT
    assert {row["detail"]["threshold_scope"] for row in result["targets"]} == {"district"}


def test_a_demonstration_area_is_held_to_its_stricter_threshold(
    world: dict[str, Jurisdiction],
) -> None:
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert result["scope"] == world["dengfeng"].code
    assert table(result) == DENGFENG
    satisfaction = next(r for r in result["targets"] if r["key"] == "complaint_satisfaction_rate")
    assert satisfaction["detail"]["threshold_scope"] == "demo_area"


def test_the_demonstration_threshold_applies_only_from_the_designation(
    world: dict[str, Jurisdiction],
) -> None:
    DemonstrationArea.objects.filter(jurisdiction=world["dengfeng"]).update(
        designated_on=D(2026, 11, 1)
    )
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.8, True)


def test_a_jurisdictions_own_threshold_wins(world: dict[str, Jurisdiction]) -> None:
    Target.objects.create(
        key="complaint_satisfaction_rate",
        label="投诉处理满意率",
        comparator="gte",
        threshold=Decimal("0.75"),
        scope="jurisdiction",
        jurisdiction=world["dengfeng"],
        min_denominator=0,
    )
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.75, True)
    other = targets.evaluate(OCTOBER, world["desheng"], today=TODAY)
    assert table(other)["complaint_satisfaction_rate"][3] == 0.8


def test_an_edited_threshold_changes_the_verdict(world: dict[str, Jurisdiction]) -> None:
    Target.objects.filter(key="key_goods_sampling_pass_rate", scope="district").update(
        threshold=Decimal("0.8")
    )
    assert table(targets.evaluate(OCTOBER, today=TODAY))["key_goods_sampling_pass_rate"] == (
        5,
        6,
        0.833333,
        0.8,
        True,
    )


def test_a_deactivated_target_is_not_evaluated(world: dict[str, Jurisdiction]) -> None:
    Target.objects.filter(key="station_coverage").update(active=False)
    keys = [row["key"] for row in targets.evaluate(OCTOBER, today=TODAY)["targets"]]
    assert "station_coverage" not in keys
    assert len(keys) == 10


def test_the_problem_detection_rate_is_compared_per_sampling_type(
    world: dict[str, Jurisdiction],
) -> None:
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    row = next(r for r in result["targets"] if r["key"] == "problem_detection_rate")
    detail = row["detail"]
    assert detail["sampling_type"] == "supervisory"
    assert detail["previous"] == {"numerator": 1, "denominator": 3, "value": 0.333333}
    assert (detail["previous_start"], detail["previous_end"]) == ("2025-10-01", "2025-10-31")
    by_type = detail["by_type"]
    assert by_type["supervisory"]["fell"] is True
    # evaluative: 0 of 1 now, nothing a year earlier: no comparison
    assert by_type["evaluative"]["current"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert by_type["evaluative"]["fell"] is None
    # 快检 are shown on their own, never mixed into the headline
    assert by_type["rapid"]["current"] == {"numerator": 1, "denominator": 1, "value": 1.0}


def test_no_data_is_null_never_zero_or_a_hundred(world: dict[str, Jurisdiction]) -> None:
    shuishiying = Jurisdiction.objects.get(code="210212005000")  # no records, no population
    result = targets.evaluate(OCTOBER, shuishiying, today=TODAY)
    for row in result["targets"]:
        assert row["value"] is None, row["key"]
        assert row["met"] is None, row["key"]
        assert row["numerator"] == 0, row["key"]
    per_thousand = next(r for r in result["targets"] if r["key"] == "food_sampling_per_thousand")
    assert per_thousand["denominator"] is None


def test_a_period_not_started_has_no_data(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(parse("2027"), today=TODAY)
    assert all(row["value"] is None and row["met"] is None for row in result["targets"])


def test_a_running_period_counts_up_to_today(world: dict[str, Jurisdiction]) -> None:
    # On 10 October only the complaints received and batches sampled by then count; the food
    # per-thousand denominator is pro-rated to the 10 days elapsed.
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=D(2026, 10, 10))
    got = table(result)
    assert got["food_sampling_per_thousand"][:2] == (0, 0.5)  # 18.25 × 10 / 365
    assert got["complaint_handling_rate"][:2] == (0, 0)  # the one received on 5 Oct: not yet due


def test_the_result_is_json_with_the_shape_of_design_7(world: dict[str, Jurisdiction]) -> None:
    result = targets.evaluate(OCTOBER, today=TODAY)
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {"period", "scope", "evaluated_at", "targets"}
    assert dt.datetime.fromisoformat(result["evaluated_at"]).tzinfo is not None
    for row in result["targets"]:
        assert {
            "key",
            "label",
            "value",
            "numerator",
            "denominator",
            "comparator",
            "threshold",
            "met",
        } <= set(row)


def test_evaluation_takes_a_constant_number_of_queries(world: dict[str, Jurisdiction]) -> None:
    with CaptureQueriesContext(connection) as district:
        targets.evaluate(OCTOBER, today=TODAY)
    with CaptureQueriesContext(connection) as street:
        targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert len(district) <= 8
    assert len(street) <= 8


# --- The summary table ----------------------------------------------------------------------------


def test_refresh_upserts_the_summary_rows(world: dict[str, Jurisdiction]) -> None:
    scopes = 1 + Jurisdiction.objects.filter(active=True).exclude(kind="district").count()
    written = targets.refresh(OCTOBER, today=TODAY)
    assert written == scopes * 11
    assert TargetResult.objects.filter(period="2026-10").count() == written
    assert targets.refresh(OCTOBER, today=TODAY) == written
    assert TargetResult.objects.filter(period="2026-10").count() == written

    row = TargetResult.objects.get(
        period="2026-10", scope_code=world["dengfeng"].code, key="complaint_satisfaction_rate"
    )
    assert (row.numerator, row.denominator, row.value) == (Decimal(4), Decimal(5), Decimal("0.8"))
    assert (row.threshold, row.comparator, row.met) == (Decimal("0.9"), "gte", False)
    assert row.detail["threshold_scope"] == "demo_area"
    assert row.order == 7
    district = TargetResult.objects.get(
        period="2026-10", scope_code="district", key="food_sampling_per_thousand"
    )
    assert district.denominator == Decimal("30.1507")
    empty = TargetResult.objects.get(
        period="2026-10", scope_code="210212005000", key="station_coverage"
    )
    assert (empty.value, empty.met) == (None, None)


def test_refresh_follows_changed_data_and_drops_targets_no_longer_applying(
    world: dict[str, Jurisdiction],
) -> None:
    targets.refresh(OCTOBER, today=TODAY)
    Target.objects.filter(key="station_coverage").update(active=False)
    concluded(world["desheng"], User.objects.get(username="alice"), "failed", "dissatisfied")
    targets.refresh(OCTOBER, today=TODAY)
    assert not TargetResult.objects.filter(key="station_coverage").exists()
    row = TargetResult.objects.get(
        period="2026-10", scope_code="district", key="complaint_resolution_rate"
    )
    assert (row.numerator, row.denominator) == (Decimal(4), Decimal(7))


def test_refresh_queries_do_not_grow_with_the_data(world: dict[str, Jurisdiction]) -> None:
    with CaptureQueriesContext(connection) as first:
        targets.refresh(OCTOBER, today=TODAY)
    for _ in range(3):
        concluded(world["dengfeng"], User.objects.get(username="bob"), "mediated", "satisfied")
    with CaptureQueriesContext(connection) as second:
        targets.refresh(OCTOBER, today=TODAY)
    assert len(second) == len(first)


# --- Thresholds edited in the admin site ---------------------------------------------------------


def target_form(target: Target, **changes: Any) -> dict[str, Any]:
    data = {
        "key": target.key,
        "label": target.label,
        "comparator": target.comparator,
        "threshold": str(target.threshold or ""),
        "unit_label": target.unit_label,
        "scope": target.scope,
        "jurisdiction": target.jurisdiction_id or "",
        "definition": target.definition,
        "min_denominator": target.min_denominator,
        "order": target.order,
        "active": "on" if target.active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_system_administrator_edits_a_threshold_and_it_is_audited(
    world: dict[str, Jurisdiction], sysadmin: User
) -> None:
    target = Target.objects.get(key="complaint_satisfaction_rate", scope="demo_area")
    url = reverse("admin:scoring_target_change", args=[target.pk])
    response = client_for(sysadmin).post(url, target_form(target, threshold="80"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="scoring.target.changed")
    assert event.actor == sysadmin
    assert event.detail["fields"] == ["threshold"]
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.8, True)


def test_a_target_with_a_key_the_portal_cannot_compute_is_refused(db: None) -> None:
    target = Target.objects.get(key="station_coverage", scope="district")
    form = TargetAdminForm(target_form(target, key="station_coverag"), instance=target)
    assert not form.is_valid()
    assert "key" in form.errors
