"""The sampling figures of DESIGN.md §6 on a hand-checked fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections import figures
from inspections.figures import sampling_figures
from lyushunkou.models import Jurisdiction, User
from tests.inspections.helpers import batch

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def fixture(district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction) -> None:
    """2025, district (population 355,000):

    food: supervisory pass ×3, supervisory fail ×1, evaluative fail re-tested pass ×1 (final pass),
          risk monitoring fail ×1 (not in pass rates), rapid fail ×1 (excluded everywhere but its
          own detection rate), supervisory pending ×1 (in per-thousand only)
    key goods: supervisory pass ×2 and fail ×1 (in 得胜), evaluative pass ×1, rapid pass ×1
    other goods: supervisory fail ×1 (in no target)
    2024: supervisory food fail ×1 and pass ×1 (the previous year of the detection rate)
    """
    s, d = district_staff, dengfeng
    for _ in range(3):
        batch(s, d)
    batch(s, d, result="fail")
    overturned = batch(
        s, d, sampling_type="evaluative", result="fail", sampled_on=dt.date(2025, 3, 3)
    )
    from inspections import services

    overturned = services.batch_notify(batch=overturned, by=s, notified_on=dt.date(2025, 3, 10))
    overturned = services.batch_apply_retest(
        batch=overturned, by=s, applied_on=dt.date(2025, 3, 12), lab="辽宁省食品检验检测院"
    )
    services.batch_record_retest(
        batch=overturned, by=s, result="pass", decided_on=dt.date(2025, 3, 28)
    )
    batch(s, d, sampling_type="risk_monitoring", result="fail")
    batch(s, d, sampling_type="rapid", result="fail")
    batch(s, d, result="pending")
    batch(s, desheng, category="key_goods", result="pass")
    batch(s, desheng, category="key_goods", result="pass")
    batch(s, desheng, category="key_goods", result="fail")
    batch(s, d, category="key_goods", sampling_type="evaluative")
    batch(s, d, category="key_goods", sampling_type="rapid")
    batch(s, d, category="other_goods", result="fail")
    batch(s, d, result="fail", sampled_on=dt.date(2024, 5, 5))
    batch(s, d, sampled_on=dt.date(2024, 5, 6))


def test_pass_rates_use_the_final_result_of_supervisory_and_evaluative_batches(
    fixture: None,
) -> None:
    result = sampling_figures(start=YEAR[0], end=YEAR[1])
    # food: 3 passes + the overturned failure pass; 1 failure; pending, risk, rapid excluded
    assert result["food_sampling_pass_rate"] == {"numerator": 4, "denominator": 5, "value": 0.8}
    key = result["key_goods_sampling_pass_rate"]
    assert (key["numerator"], key["denominator"]) == (3, 4)
    assert key["value"] == pytest.approx(0.75)


def test_food_per_thousand_counts_pending_and_risk_monitoring_but_not_rapid_tests(
    fixture: None,
) -> None:
    per_thousand = sampling_figures(start=YEAR[0], end=YEAR[1])["food_sampling_per_thousand"]
    # 3 pass + 1 fail + overturned + risk monitoring + pending = 7; rapid excluded
    assert per_thousand["numerator"] == 7
    assert per_thousand["denominator"] == pytest.approx(355.0)
    assert per_thousand["value"] == pytest.approx(7 / 355)
    quarter = sampling_figures(start=dt.date(2025, 4, 1), end=dt.date(2025, 6, 30))
    assert quarter["food_sampling_per_thousand"]["denominator"] == pytest.approx(355 * 91 / 365)


def test_problem_detection_rate_per_type_with_the_previous_year(fixture: None) -> None:
    detection = sampling_figures(start=YEAR[0], end=YEAR[1])["problem_detection_rate"]
    supervisory = detection["supervisory"]
    # 2025 supervisory: food 3 pass + 1 fail, key goods 2 pass + 1 fail, other goods 1 fail
    # Circulation-stage batches only: the key goods (production by default) are left out.
    assert (supervisory["current"]["numerator"], supervisory["current"]["denominator"]) == (2, 5)
    assert supervisory["previous"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    assert detection["evaluative"]["current"]["numerator"] == 0  # the re-test overturned it
    assert detection["rapid"]["current"]["denominator"] == 1
    assert detection["risk_monitoring"]["previous"]["value"] is None  # no data, never 0%


def test_a_jurisdiction_without_population_has_no_per_thousand_rate(
    fixture: None, desheng: Jurisdiction
) -> None:
    result = sampling_figures(start=YEAR[0], end=YEAR[1], jurisdiction=desheng)
    assert result["key_goods_sampling_pass_rate"]["denominator"] == 3
    assert result["food_sampling_per_thousand"]["value"] is None
    assert result["food_sampling_pass_rate"]["value"] is None


def test_which_sampling_types_count_is_configurable(fixture: None, settings: object) -> None:
    settings.INSPECTIONS_PASS_RATE_SAMPLING_TYPES = ("supervisory",)  # type: ignore[attr-defined]
    food = sampling_figures(start=YEAR[0], end=YEAR[1])["food_sampling_pass_rate"]
    assert (food["numerator"], food["denominator"]) == (3, 4)
    assert figures.PASS_RATE_SAMPLING_TYPES == ("supervisory", "evaluative")


def test_the_figures_take_one_query_plus_the_population(
    fixture: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        sampling_figures(start=YEAR[0], end=YEAR[1])
