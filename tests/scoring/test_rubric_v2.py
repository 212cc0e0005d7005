"""Rubric version 2 (issue 13): a hand-checked fixture of a dozen units graded exactly.

Period 2026-10 (data as of 2026-10-31, window 2025-10-31 … 2026-10-31). Version 2's points
(docs/rubric.md): baselines 12 per guarantee and 8 for rights protection (56); a passed safety or
price-marking check +6 (cap 8); a sampling pass +2 (cap 2); a verified purchase-inspection
system +6; a verified service or return commitment +2 each (cap 4); a passed service or
commitments check +4; a verified station with a named person +4; verified first-asking and
advance-compensation +2 each; an ODR settlement in time +1 (cap 2); handling rate 100 % and
reconciliation rate > 90 % (3 complaints or more) +1 each; an ODR lapse −3; a refused mediation
−4; a missed rate −2 each; a complaint with the operator at fault −2 in its guarantee. Three or
more guarantees without evidence: not graded (U), unless a veto forces D.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from inspections.models import CheckItem, OnSiteCheck, Penalty
from lyushunkou.models import Jurisdiction, User
from scoring.grading import engine
from scoring.grading import rubric as rubrics
from scoring.models import Rubric, UnitScore
from tests.scoring.conftest import (
    IN_WINDOW,
    PERIOD,
    TODAY,
    batch,
    check,
    complaint,
    make_unit,
)
from units.models import Commitment, ServiceStation, Unit

pytestmark = pytest.mark.django_db

EVERY_COMMITMENT = ("first_ask", "advance_comp", "purchase", "service", "return")
COMMITMENT_ITEMS = (
    "首问负责制度落实",
    "先行赔付制度落实",
    "无理由退货承诺公示并执行",
    "购销台账完整",
)
STATION_ITEMS = ("12315服务站标识公示", "有专人负责投诉处理")
STAFF_VERIFIED = dt.datetime(2026, 5, 1, 10, tzinfo=timezone.get_current_timezone())


def rubric_v2() -> Rubric:
    """Version 2 of migration 0009 as the active rubric (loaded again after a flush)."""
    if not Rubric.objects.filter(version=2).exists():
        import_module("scoring.migrations.0009_rubric_v2").load(apps, None)
    Rubric.objects.exclude(version=2).filter(status=Rubric.Status.ACTIVE).update(
        status=Rubric.Status.RETIRED
    )
    Rubric.objects.filter(version=2).update(status=Rubric.Status.ACTIVE)
    return Rubric.objects.get(version=2)


def checked(unit: Unit, staff: User, on: dt.date, check_type: str, *items: str) -> OnSiteCheck:
    """An on-site check whose named items all passed."""
    record = OnSiteCheck.objects.create(
        unit=unit, checked_on=on, check_type=check_type, inspectors="王五、赵六", staff=staff
    )
    CheckItem.objects.bulk_create(
        CheckItem(check_record=record, item=item, passed=True) for item in items
    )
    return record


def verify_by_staff(unit: Unit, staff: User, *kinds: str) -> None:
    Commitment.objects.filter(unit=unit, kind__in=kinds).update(
        verified_at=STAFF_VERIFIED, verified_by=staff, verification_note="查阅了制度文本和台账。"
    )


def odr(unit: Unit, on: dt.date, *, response: str = "", **fields: Any) -> Any:
    """A complaint forwarded to the operator through ODR on ``on`` (due 14 days later) and
    concluded a month later."""
    responded = (
        timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=3), dt.time(9)))
        if response
        else None
    )
    fields.setdefault("outcome", "withdrawn")
    return complaint(
        unit,
        on,
        fields.pop("category", "contract"),
        status="concluded",
        accepted_on=on,
        odr_forwarded_on=on,
        odr_due=on + dt.timedelta(days=14),
        odr_response=response,
        odr_responded_at=responded,
        concluded_on=on + dt.timedelta(days=30),
        **fields,
    )


def evidence_for(unit: Unit, staff: User, *, price: bool = False) -> None:
    """Evidence for quality (a sampling pass) and safety (a passed check), optionally price."""
    batch(unit, IN_WINDOW, "pass")
    check(unit, staff, IN_WINDOW, "safety")
    if price:
        check(unit, staff, IN_WINDOW, "price_marking")


@pytest.fixture
def world(district_staff: User, dengfeng: Jurisdiction) -> dict[str, Unit]:
    return build_world(district_staff, dengfeng)


def build_world(staff: User, dengfeng: Jurisdiction) -> dict[str, Unit]:
    """The fixture's units and records under the active v2, scored for ``PERIOD``."""
    rubric_v2()
    u: dict[str, Unit] = {}
    u["nothing"] = make_unit("什么都没有的小店", dengfeng)
    u["declared"] = make_unit(
        "只有自我声明的超市", dengfeng, commitments=EVERY_COMMITMENT, station=True
    )
    # Verified by staff from evidence files, with a passed safety and price-marking check.
    u["staff_verified"] = make_unit(
        "经核实的商场",
        dengfeng,
        commitments=("first_ask", "advance_comp", "purchase", "service"),
        station=True,
    )
    verify_by_staff(u["staff_verified"], staff, "first_ask", "advance_comp", "purchase", "service")
    ServiceStation.objects.filter(unit=u["staff_verified"]).update(
        verified_at=STAFF_VERIFIED, verified_by=staff
    )
    check(u["staff_verified"], staff, IN_WINDOW, "safety")
    check(u["staff_verified"], staff, IN_WINDOW, "price_marking")
    # Verified on site: a commitments check and a station check, two sampling passes, a safety
    # and a price-marking check. Its public service commitment names no check item: pending.
    u["onsite_verified"] = make_unit(
        "现场核实的示范店", dengfeng, commitments=EVERY_COMMITMENT, station=True
    )
    checked(u["onsite_verified"], staff, IN_WINDOW, "commitments", *COMMITMENT_ITEMS)
    checked(u["onsite_verified"], staff, IN_WINDOW, "station", *STATION_ITEMS)
    batch(u["onsite_verified"], IN_WINDOW, "pass")
    batch(u["onsite_verified"], dt.date(2026, 8, 1), "pass")
    check(u["onsite_verified"], staff, IN_WINDOW, "safety")
    check(u["onsite_verified"], staff, IN_WINDOW, "price_marking")
    # Verified by staff in March, then found not in practice on site in July: it no longer counts.
    u["refuted"] = make_unit("承诺未落实的店", dengfeng, commitments=("first_ask",))
    Commitment.objects.filter(unit=u["refuted"]).update(
        verified_at=dt.datetime(2026, 3, 1, 10, tzinfo=timezone.get_current_timezone()),
        verified_by=staff,
    )
    check(u["refuted"], staff, dt.date(2026, 7, 1), "commitments", "首问负责制度落实")
    evidence_for(u["refuted"], staff, price=True)
    # Inspected and sampled, nothing verified: a plain C.
    u["inspected_only"] = make_unit("只接受检查的店", dengfeng)
    evidence_for(u["inspected_only"], staff, price=True)
    # Three ODR complaints settled within the response period.
    u["odr_settled"] = make_unit("自行和解的店", dengfeng)
    evidence_for(u["odr_settled"], staff)
    for day in (IN_WINDOW, dt.date(2026, 7, 1), dt.date(2026, 8, 3)):
        odr(u["odr_settled"], day, response="settled")
    # One ODR complaint left to lapse (escalated to staff), mediation then failed.
    u["odr_lapsed"] = make_unit("逾期不答复的店", dengfeng)
    evidence_for(u["odr_lapsed"], staff)
    odr(u["odr_lapsed"], IN_WINDOW, outcome="failed", odr_escalated=True)
    # Refused mediation: terminated because the operator would not attend.
    u["refused"] = make_unit("拒绝调解的店", dengfeng)
    evidence_for(u["refused"], staff)
    complaint(
        u["refused"],
        IN_WINDOW,
        "contract",
        status="concluded",
        outcome="terminated",
        termination_ground="absent",
        accepted_on=IN_WINDOW,
        concluded_on=dt.date(2026, 7, 20),
        fault_finding="refused",
    )
    # Faults found: price (mediated, the operator remedied) and quality (mediation failed);
    # a service complaint mediated with no fault found costs nothing.
    u["fault"] = make_unit("查实有过错的店", dengfeng)
    evidence_for(u["fault"], staff, price=True)
    for category, outcome, fault in (
        ("price", "mediated", "at_fault"),
        ("quality", "failed", "at_fault"),
        ("service", "mediated", "not_at_fault"),
    ):
        complaint(
            u["fault"],
            IN_WINDOW,
            category,
            status="concluded",
            outcome=outcome,
            accepted_on=IN_WINDOW,
            concluded_on=dt.date(2026, 7, 20),
            fault_finding=fault,
        )
    # Rates missed: of three ODR complaints one settled, one disputed, one lapsed.
    u["rates_missed"] = make_unit("和解率低的店", dengfeng)
    evidence_for(u["rates_missed"], staff)
    odr(u["rates_missed"], IN_WINDOW, response="settled")
    odr(u["rates_missed"], dt.date(2026, 7, 1), response="disputed", outcome="failed")
    odr(u["rates_missed"], dt.date(2026, 8, 3), outcome="failed", odr_escalated=True)
    # A veto with no other evidence: D, not "not graded".
    u["veto"] = make_unit("价格欺诈的店", dengfeng)
    Penalty.objects.create(
        unit=u["veto"],
        kind="price_fraud",
        decision_no="旅市监罚〔2026〕9号",
        decided_on=IN_WINDOW,
        amount=Decimal("30000"),
    )
    engine.score_units(PERIOD, today=TODAY)
    return u


# name: (quality, safety, price, service, rights, total, grade, capped_by, vetoes, unevidenced)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "nothing": (12, 12, 12, 12, 8, 56, "U", "", [], 5),
    "declared": (12, 12, 12, 12, 8, 56, "U", "", [], 5),
    "staff_verified": (18, 18, 18, 14, 16, 84, "B", "", [], 0),
    "onsite_verified": (20, 18, 18, 18, 16, 90, "A", "", [], 0),
    "refuted": (14, 18, 18, 12, 8, 70, "C", "", [], 2),
    "inspected_only": (14, 18, 18, 12, 8, 70, "C", "", [], 2),
    "odr_settled": (14, 18, 12, 12, 12, 68, "C", "", [], 2),
    "odr_lapsed": (14, 18, 12, 12, 5, 61, "D", "rights", [], 2),
    "refused": (14, 18, 12, 12, 4, 60, "D", "rights", [], 2),
    "fault": (12, 18, 16, 12, 8, 66, "C", "", [], 2),
    "rates_missed": (14, 18, 12, 12, 2, 58, "D", "", [], 2),
    "veto": (12, 12, 12, 12, 8, 56, "D", "", ["p_fraud_veto"], 4),
}


def score(unit: Unit) -> UnitScore:
    return UnitScore.objects.get(unit=unit, period=PERIOD.key)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_unit_gets_its_hand_checked_scores_and_grade(
    world: dict[str, Unit], name: str
) -> None:
    quality, safety, price, service, rights, total, grade, capped_by, vetoes, missing = EXPECTED[
        name
    ]
    result = score(world[name])
    assert result.rubric.version == 2
    assert (result.quality, result.safety, result.price, result.service, result.rights) == (
        Decimal(quality),
        Decimal(safety),
        Decimal(price),
        Decimal(service),
        Decimal(rights),
    )
    assert result.total == Decimal(total)
    assert (result.grade, result.capped_by, result.vetoes) == (grade, capped_by, vetoes)
    assert len(result.unevidenced) == missing


def _entries(result: UnitScore, kind: str) -> dict[str, int]:
    return {e["indicator"]: e["count"] for e in result.evidence if e["kind"] == kind}


def test_self_declared_items_are_listed_as_pending_and_earn_nothing(
    world: dict[str, Unit],
) -> None:
    pending = _entries(score(world["declared"]), "pending")
    assert pending == {
        "q_purchase_pending": 1,
        "se_commitment_pending": 2,
        "r_station_pending": 1,
        "r_commitment_pending": 2,
    }


def test_a_commitment_without_a_check_item_stays_pending_beside_verified_ones(
    world: dict[str, Unit],
) -> None:
    result = score(world["onsite_verified"])
    assert _entries(result, "pending") == {"se_commitment_pending": 1}
    assert _entries(result, "award")["r_station"] == 1


def test_a_later_failed_check_item_outweighs_an_earlier_verification(
    world: dict[str, Unit],
) -> None:
    result = score(world["refuted"])
    assert "r_first_ask" not in _entries(result, "award")
    assert _entries(result, "pending") == {"r_commitment_pending": 1}


def test_settling_through_odr_earns_and_lapsing_or_refusing_costs_more(
    world: dict[str, Unit],
) -> None:
    assert _entries(score(world["odr_settled"]), "award")["r_odr_settled"] == 3
    assert _entries(score(world["odr_lapsed"]), "deduction") == {"r_odr_lapsed": 1}
    assert _entries(score(world["refused"]), "deduction") == {"r_refused_mediation": 1}


def test_rates_below_three_complaints_are_no_evidence_either_way(
    world: dict[str, Unit],
) -> None:
    awards = _entries(score(world["odr_settled"]), "award")
    assert (awards["r_handling_rate"], awards["r_reconciliation_rate"]) == (1, 1)
    lapsed = score(world["odr_lapsed"])
    assert not {"r_handling_rate", "r_handling_missed"} & set(_entries(lapsed, "award"))
    assert not {"r_handling_missed", "r_reconciliation_missed"} & set(_entries(lapsed, "deduction"))


def test_only_faults_found_are_substantiated(world: dict[str, Unit]) -> None:
    assert _entries(score(world["fault"]), "deduction") == {"q_complaint": 1, "p_complaint": 1}


def test_unrated_units_are_counted_separately_in_the_run_summary(
    world: dict[str, Unit],
) -> None:
    summary = engine.score_units(PERIOD, today=TODAY)
    assert summary["by_grade"] == {"A": 1, "B": 1, "C": 4, "D": 4, "U": 2}


def test_version_1_scores_keep_their_version(world: dict[str, Unit]) -> None:
    v1 = Rubric.objects.get(version=1)
    engine.score_units(PERIOD.previous(), today=TODAY, rubric=v1)
    assert set(
        UnitScore.objects.filter(period=PERIOD.previous().key).values_list(
            "rubric__version", flat=True
        )
    ) == {1}
    assert rubrics.validate(rubric_v2()) == []


def test_the_operator_sees_which_items_wait_for_verification(
    district_staff: User, operator: User, dengfeng: Jurisdiction
) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    build_world(district_staff, dengfeng)
    unit = make_unit("我的店", dengfeng, owner=operator, commitments=EVERY_COMMITMENT, station=True)
    engine.score_units(PERIOD, today=TODAY)
    page = client_for(operator).get(reverse("score-detail", args=[unit.pk, PERIOD.key]))
    assert page.status_code == 200
    assert b'data-testid="score-unrated"' in page.content
    assert page.content.count(b'data-testid="pending-item"') == 4
