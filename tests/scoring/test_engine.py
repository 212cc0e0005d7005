"""The scoring engine on a hand-checked fixture (tests/scoring/conftest.py ``scoring_world``).

Points from docs/rubric.md, default rubric v1, window 2025-10-31 … 2026-10-31. Baselines:
quality 17, safety 18, price 18, service 16, rights 12 (= 81, grade B).

- clean: purchase +2 → Q 19; service commitment +2 → Se 18; station +3, first-ask +2,
  advance compensation +2 → R 19; 19+18+18+18+19 = 92 → A.
- bare: baselines only; its failure of 2025-09-01 is before the window → 81 → B.
- retest: failure overturned by the re-test + a pass → 2 passes, award capped at 1 → Q 18;
  price check all passed +2 → P 20; first-ask +2 → R 14; 18+18+20+16+14 = 86 → B.
- capped: as clean (92) with two final failures: −4 × 2 = −8 (floor −8) → Q 11;
  total 84 → B by total, but quality 11 < 12 caps at C (capped_by quality).
- incident: baselines (81, B) + a major safety incident → veto s_major_veto → D. The general
  incident deduction counts only general/larger incidents, so safety stays 18.
- listed: station +3 → R 15, total 84 (B); on the dishonest list since 2024, never removed →
  veto r_dishonest_veto → D.
- complaints: first-ask +2, ODR settled by the operator +1, ODR deadline missed −2 → R 13;
  substantiated price complaint −2 → P 16. The ODR-settled complaint was closed as mediated but
  is not substantiated; the 2025-09 complaint is outside the window; the report (举报) is not a
  complaint. 17+18+16+16+13 = 80 → B.
- findings: unconfirmed quality finding −3 → Q 14; safety check passed +2, general incident −6
  → S 14; price check with a failed item earns nothing → P 18; confirmed service finding −1 →
  Se 15; R 12. 14+14+18+15+12 = 73 → C (by total; no guarantee below 12).
- fraud: as clean (92, A) + a price-fraud penalty → veto p_fraud_veto → D.
- harmed: general incident −6 → S 12; it harmed consumers → veto q_harm_veto; 75 → B → D.
- suspended: not operating → not scored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lyushunkou.models import User
from scoring.grading import engine
from scoring.models import GradeSummary, ScoreCorrection, UnitScore
from tests.scoring.conftest import (
    EXPECTED,
    IN_WINDOW,
    ScoringWorld,
    batch,
    complaint,
    make_unit,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def score_of(world: ScoringWorld, name: str) -> UnitScore:
    return UnitScore.objects.get(unit=world.units[name], period=world.period.key)


def entry(score: UnitScore, code: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [
        item
        for item in score.evidence
        if item["indicator"] == code and item["kind"] != "correction"
    ]
    assert len(matches) == 1, f"{code}: {matches}"
    return matches[0]


def codes(score: UnitScore) -> list[str]:
    return [item["indicator"] for item in score.evidence]


def record_ids(item: dict[str, Any]) -> set[int]:
    return {record["id"] for record in item["records"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_hand_checked_units_get_exactly_the_expected_grades(
    scoring_world: ScoringWorld, name: str
) -> None:
    scoring_world.score()
    score = score_of(scoring_world, name)
    quality, safety, price, service, rights, total, raw, grade, capped_by, vetoes = EXPECTED[name]
    assert [score.quality, score.safety, score.price, score.service, score.rights] == [
        Decimal(quality),
        Decimal(safety),
        Decimal(price),
        Decimal(service),
        Decimal(rights),
    ]
    assert score.total == Decimal(total)
    assert (score.raw_grade, score.grade, score.capped_by, score.vetoes) == (
        raw,
        grade,
        capped_by,
        vetoes,
    )
    assert score.as_of == dt.date(2026, 10, 31)
    assert score.rubric == scoring_world.rubric


def test_the_run_reports_what_it_scored(scoring_world: ScoringWorld) -> None:
    summary = scoring_world.score()
    assert summary["units"] == 10  # the suspended unit is not scored
    assert summary["by_grade"] == {"A": 1, "B": 3, "C": 2, "D": 4, "U": 0}
    assert summary["vetoed"] == 4
    assert (summary["period"], summary["as_of"], summary["rubric"]) == ("2026-10", "2026-10-31", 1)
    assert not UnitScore.objects.filter(unit=scoring_world.units["suspended"]).exists()


def test_each_guarantees_evidence_adds_up_to_its_points(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    for score in UnitScore.objects.all():
        for guarantee, points in score.guarantee_points().items():
            listed = sum(
                (
                    Decimal(item["points"])
                    for item in score.evidence
                    if item["guarantee"] == guarantee
                ),
                Decimal(0),
            )
            assert max(Decimal(0), min(Decimal(20), listed)) == points, (score.unit, guarantee)


def test_a_retest_that_overturned_a_failure_counts_as_a_pass(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    score = score_of(scoring_world, "retest")
    passes = entry(score, "q_sampling_pass")
    assert (passes["kind"], passes["count"], passes["points"]) == ("award", 2, "1.0")
    records = scoring_world.records
    assert record_ids(passes) == {records["overturned"].pk, records["passed"].pk}
    assert {record["kind"] for record in passes["records"]} == {"sampling_batch"}
    assert "q_sampling_fail" not in codes(score)
    assert entry(score, "p_check_pass")["records"][0]["id"] == records["price_check"].pk


def test_failures_count_by_their_final_result_down_to_the_floor(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    score = score_of(scoring_world, "capped")
    failures = entry(score, "q_sampling_fail")
    assert (failures["kind"], failures["count"], failures["points"]) == ("deduction", 2, "-8.0")
    assert record_ids(failures) == {
        scoring_world.records["failure_1"].pk,
        scoring_world.records["failure_2"].pk,
    }
    assert entry(score, "q_base") == {
        "indicator": "q_base",
        "label": entry(score, "q_base")["label"],
        "guarantee": "quality",
        "kind": "award",
        "count": 1,
        "points": "17.0",
        "records": [],
    }


def test_complaints_settled_through_odr_are_not_held_against_the_unit(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    score = score_of(scoring_world, "complaints")
    records = scoring_world.records
    settled = entry(score, "r_odr_settled")
    assert (settled["points"], record_ids(settled)) == ("1.0", {records["odr_settled"].pk})
    substantiated = entry(score, "p_complaint")
    assert (substantiated["count"], substantiated["points"]) == (1, "-2.0")
    assert record_ids(substantiated) == {records["substantiated"].pk}
    assert substantiated["records"][0] == {
        "kind": "complaint",
        "id": records["substantiated"].pk,
        "label": records["substantiated"].record_no,
    }
    escalated = entry(score, "r_odr_escalated")
    assert (escalated["points"], record_ids(escalated)) == ("-2.0", {records["escalated"].pk})
    assert "q_complaint" not in codes(score)  # the ODR-settled one was about quality


def test_findings_count_by_whether_staff_confirmed_the_rectification(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    score = score_of(scoring_world, "findings")
    records = scoring_world.records
    open_finding = entry(score, "q_finding_open")
    assert (open_finding["points"], record_ids(open_finding)) == (
        "-3.0",
        {records["open_finding"].pk},
    )
    confirmed = entry(score, "se_finding_rectified")
    assert (confirmed["points"], record_ids(confirmed)) == (
        "-1.0",
        {records["confirmed_finding"].pk},
    )
    assert "q_finding_rectified" not in codes(score)
    assert "se_finding_open" not in codes(score)
    assert entry(score, "s_incident")["points"] == "-6.0"
    assert "p_check_pass" not in codes(score)  # the price check had a failed item


def test_a_finding_confirmed_after_the_period_still_counts_as_unconfirmed(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    from tests.scoring.conftest import finding

    late = finding(
        scoring_world.units["bare"],
        district_staff,
        IN_WINDOW,
        "price",
        confirmed_on=dt.date(2026, 11, 5),
    )
    scoring_world.score()
    score = score_of(scoring_world, "bare")
    assert record_ids(entry(score, "p_finding_open")) == {late.pk}
    assert score.price == Decimal(15)


def test_vetoes_are_listed_in_the_evidence_with_their_records(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    records = scoring_world.records
    veto = entry(score_of(scoring_world, "fraud"), "p_fraud_veto")
    assert (veto["kind"], veto["count"], veto["points"]) == ("veto", 1, "0.0")
    assert veto["records"][0]["kind"] == "penalty"
    assert veto["records"][0]["id"] == records["fraud_penalty"].pk
    listing = entry(score_of(scoring_world, "listed"), "r_dishonest_veto")
    assert record_ids(listing) == {records["listing"].pk}
    assert listing["records"][0]["kind"] == "dishonest_listing"


def test_a_listing_removed_before_the_window_does_not_veto(
    scoring_world: ScoringWorld,
) -> None:
    listing = scoring_world.records["listing"]
    listing.removed_on = dt.date(2025, 10, 1)
    listing.save()
    scoring_world.score()
    assert score_of(scoring_world, "listed").grade == "B"


def test_the_records_listed_are_capped_but_the_count_stays_exact(
    scoring_world: ScoringWorld,
) -> None:
    unit = scoring_world.units["bare"]
    for day in range(25):
        batch(unit, IN_WINDOW + dt.timedelta(days=day), "pass")
    scoring_world.score()
    passes = entry(score_of(scoring_world, "bare"), "q_sampling_pass")
    assert (passes["count"], len(passes["records"]), passes["points"]) == (25, 20, "1.0")


def test_rerunning_a_period_replaces_its_scores(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    first = {
        s.unit_id: (s.total, s.grade, s.vetoes, s.evidence)
        for s in UnitScore.objects.filter(period="2026-10")
    }
    scoring_world.score()
    again = {
        s.unit_id: (s.total, s.grade, s.vetoes, s.evidence)
        for s in UnitScore.objects.filter(period="2026-10")
    }
    assert again == first
    assert UnitScore.objects.count() == 10
    assert sum(GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)) == 10


def test_a_run_for_some_units_replaces_only_theirs(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    others_before = {
        s.unit_id: s.computed_at
        for s in UnitScore.objects.exclude(unit=scoring_world.units["bare"])
    }
    bare = scoring_world.units["bare"]
    batch(bare, IN_WINDOW, "fail")
    summary = scoring_world.score(unit_ids=[bare.pk])
    assert summary["units"] == 1
    assert score_of(scoring_world, "bare").quality == Decimal(13)  # 17 − 4
    others_after = {
        s.unit_id: s.computed_at
        for s in UnitScore.objects.exclude(unit=scoring_world.units["bare"])
    }
    assert others_after == others_before
    assert UnitScore.objects.count() == 10
    # The summary for the dashboard follows: bare moved from B to B (81 → 77), totals unchanged.
    assert sum(GradeSummary.objects.filter(period="2026-10").values_list("units", flat=True)) == 10


def test_a_unit_no_longer_operating_loses_its_score_when_rescored(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    bare = scoring_world.units["bare"]
    Unit.objects.filter(pk=bare.pk).update(business_status="deregistered")
    scoring_world.score(unit_ids=[bare.pk])
    assert not UnitScore.objects.filter(unit=bare).exists()


def test_other_periods_are_left_alone(scoring_world: ScoringWorld) -> None:
    scoring_world.score()
    engine.score_units(scoring_world.period.previous(), today=scoring_world.today)
    assert UnitScore.objects.filter(period="2026-09").count() == 10
    scoring_world.score()
    assert UnitScore.objects.filter(period="2026-09").count() == 10
    assert UnitScore.objects.filter(period="2026-10").count() == 10
    # September's window ends on 2026-09-30: the failure of 2026-09-01 already counts there.
    september = UnitScore.objects.get(unit=scoring_world.units["capped"], period="2026-09")
    assert september.as_of == dt.date(2026, 9, 30)
    assert september.quality == Decimal(11)


def test_the_grade_summary_counts_units_by_jurisdiction_grade_and_veto(
    scoring_world: ScoringWorld,
) -> None:
    scoring_world.score()
    rows = {
        (row.jurisdiction.name, row.demonstration, row.grade): (row.units, row.vetoed)
        for row in GradeSummary.objects.filter(period="2026-10").select_related("jurisdiction")
    }
    # 登峰: clean A; bare, complaints B; capped C; listed, fraud, harmed D (vetoed).
    # 得胜: retest B; findings C; incident D (vetoed).
    assert rows == {
        ("登峰街道", False, "A"): (1, 0),
        ("登峰街道", False, "B"): (2, 0),
        ("登峰街道", False, "C"): (1, 0),
        ("登峰街道", False, "D"): (3, 3),
        ("得胜街道", False, "B"): (1, 0),
        ("得胜街道", False, "C"): (1, 0),
        ("得胜街道", False, "D"): (1, 1),
    }


# --- Corrections from upheld appeals ------------------------------------------------------------


def correct(world: ScoringWorld, name: str, by: User, **fields: Any) -> ScoreCorrection:
    return ScoreCorrection.objects.create(
        unit=world.units[name], period=world.period.key, created_by=by, **fields
    )


def test_a_correction_replaces_the_named_indicators_points(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    # One of the two failures was the lab's mistake: the deduction becomes −4, not −8.
    correction = correct(
        scoring_world,
        "capped",
        district_staff,
        guarantee="quality",
        indicator_code="q_sampling_fail",
        points=Decimal("-4"),
        reason="复核：一批次检验报告有误",
    )
    scoring_world.score()
    score = score_of(scoring_world, "capped")
    # Q 19 − 4 = 15; total 88 → B, no cap any more.
    assert (score.quality, score.total, score.grade, score.capped_by) == (
        Decimal(15),
        Decimal(88),
        "B",
        "",
    )
    assert entry(score, "q_sampling_fail")["corrected"] is True
    fix = [item for item in score.evidence if item["kind"] == "correction"]
    assert len(fix) == 1
    assert fix[0]["points"] == "4.0"
    assert fix[0]["set_to"] == "-4.0"
    assert fix[0]["replaces"] == "q_sampling_fail"
    assert fix[0]["guarantee"] == "quality"
    assert fix[0]["records"] == [
        {"kind": "correction", "id": correction.pk, "label": "复核：一批次检验报告有误"}
    ]


def test_a_correction_without_an_indicator_adds_to_the_guarantee(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    correct(
        scoring_world,
        "bare",
        district_staff,
        guarantee="rights",
        points=Decimal("2.5"),
        reason="站点登记遗漏",
    )
    scoring_world.score()
    score = score_of(scoring_world, "bare")
    assert (score.rights, score.total) == (Decimal("14.5"), Decimal("83.5"))
    assert [item["points"] for item in score.evidence if item["kind"] == "correction"] == ["2.5"]


def test_a_correction_may_lift_a_veto(scoring_world: ScoringWorld, district_staff: User) -> None:
    correct(
        scoring_world,
        "fraud",
        district_staff,
        guarantee="price",
        indicator_code="p_fraud_veto",
        points=Decimal(0),
        lift_veto=True,
        reason="处罚决定已被撤销",
    )
    scoring_world.score()
    score = score_of(scoring_world, "fraud")
    assert (score.grade, score.vetoes, score.total) == ("A", [], Decimal(92))
    fix = next(item for item in score.evidence if item["kind"] == "correction")
    assert fix["lifts_veto"] == ["p_fraud_veto"]


def test_corrections_apply_to_their_own_period_only(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    ScoreCorrection.objects.create(
        unit=scoring_world.units["bare"],
        period="2026-09",
        guarantee="rights",
        points=Decimal(3),
        reason="九月的更正",
        created_by=district_staff,
    )
    scoring_world.score()
    assert score_of(scoring_world, "bare").rights == Decimal(12)


# --- Set-based --------------------------------------------------------------------------------


def _add_units(world: ScoringWorld, n: int, start: int) -> None:
    jurisdiction = world.units["bare"].jurisdiction
    for index in range(start, start + n):
        unit = make_unit(
            f"批量商户{index}", jurisdiction, commitments=("first_ask",), station=index % 2 == 0
        )
        batch(unit, IN_WINDOW, "fail" if index % 3 == 0 else "pass")
        complaint(unit, IN_WINDOW, "price")


def test_the_number_of_queries_does_not_grow_with_the_units(
    scoring_world: ScoringWorld, django_assert_max_num_queries: Any
) -> None:
    scoring_world.score()  # so that both measured runs replace existing scores
    with CaptureQueriesContext(connection) as ten:
        scoring_world.score()
    assert UnitScore.objects.count() == 10
    _add_units(scoring_world, 30, 0)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        summary = scoring_world.score()
    assert summary["units"] == 40


def test_a_later_correction_of_the_same_indicator_replaces_the_earlier_one(
    scoring_world: ScoringWorld, district_staff: User
) -> None:
    for points in ("-4", "0"):
        correct(
            scoring_world,
            "capped",
            district_staff,
            guarantee="quality",
            indicator_code="q_sampling_fail",
            points=Decimal(points),
            reason=f"更正为{points}分",
        )
    scoring_world.score()
    score = score_of(scoring_world, "capped")
    # −8 replaced by −4 (+4), then by 0 (+4 more): quality back to 19, total 92 → A.
    assert (score.quality, score.grade) == (Decimal(19), "A")
    fixes = [item["points"] for item in score.evidence if item["kind"] == "correction"]
    assert fixes == ["4.0", "4.0"]


def test_rescoring_keeps_the_date_a_grade_was_given_while_the_grade_stands(
    scoring_world: Any,
) -> None:
    # The 21 days to appeal run from the grade: a nightly re-score with the same grade keeps the
    # date; a changed grade starts a new one.
    from scoring.grading.engine import score_units
    from scoring.models import ScoreCorrection, UnitScore
    from tests.scoring.conftest import PERIOD, TODAY

    score_units(PERIOD, today=TODAY)
    first = {s.unit_id: s.graded_at for s in UnitScore.objects.filter(period=PERIOD.key)}
    assert first
    assert all(first.values())
    score_units(PERIOD, today=TODAY)
    again = {s.unit_id: s for s in UnitScore.objects.filter(period=PERIOD.key)}
    assert {pk: s.graded_at for pk, s in again.items()} == first
    assert all(s.computed_at > s.graded_at for s in again.values())  # type: ignore[operator]

    bare = scoring_world.units["bare"]
    ScoreCorrection.objects.create(
        unit=bare,
        period=PERIOD.key,
        guarantee="quality",
        points=-10,
        reason="test",
        created_by=User.objects.get(username="alice"),
    )
    score_units(PERIOD, today=TODAY, unit_ids=[bare.pk])
    regraded = UnitScore.objects.get(unit=bare, period=PERIOD.key)
    assert regraded.grade != again[bare.pk].grade
    graded_first = first[bare.pk]
    assert graded_first is not None
    assert regraded.graded_at == regraded.computed_at > graded_first
