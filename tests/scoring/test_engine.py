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

import pytest

from lyushunkou.models import User
from scoring.models import UnitScore
from tests.scoring.conftest import (
    EXPECTED,
    IN_WINDOW,
    ScoringWorld,
    batch,
)
from tests.scoring.engine_helpers import codes, entry, record_ids, score_of

pytestmark = pytest.mark.django_db


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
