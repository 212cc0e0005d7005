"""The statistics behind sampling proposals (supervision.stats), checked by hand."""

from __future__ import annotations

import math

import pytest

from supervision import stats


def closed_form_tail(observed: int, expected: float) -> float:
    return 1 - sum(math.exp(-expected) * expected**k / math.factorial(k) for k in range(observed))


@pytest.mark.parametrize(
    ("observed", "expected"), [(0, 2.0), (1, 2.0), (3, 1.0), (5, 5.0), (15, 2.0), (9, 12.5)]
)
def test_the_poisson_tail_matches_the_closed_form(observed: int, expected: float) -> None:
    assert stats.poisson_sf(observed, expected) == pytest.approx(
        closed_form_tail(observed, expected), rel=1e-6, abs=1e-12
    )


def test_a_tiny_tail_keeps_its_digits_where_one_minus_the_cdf_rounds_to_zero() -> None:
    assert closed_form_tail(40, 5.0) == 0.0  # 1 − CDF has lost every digit here
    assert stats.poisson_sf(40, 5.0) == pytest.approx(8.55e-23, rel=1e-3)
    # ln P = ln(e^-5 5^200 / 200!) + a little: the first term dominates the tail.
    first_term = -5 + 200 * math.log(5) - math.lgamma(201)
    assert stats.poisson_log_sf(200, 5.0) == pytest.approx(first_term, abs=0.05)
    assert stats.score_of(200, 5.0) > 200


def test_the_score_is_minus_log10_of_the_p_value() -> None:
    # P(X ≥ 15 | 2) = 3.87e-9 (hand-checked with the closed form).
    assert stats.poisson_sf(15, 2.0) == pytest.approx(3.8712e-9, rel=1e-4)
    assert stats.score_of(15, 2.0) == pytest.approx(8.412, abs=1e-3)


def test_the_expected_count_is_the_larger_baseline_and_at_least_one() -> None:
    assert stats.expected_count(last_year=2, peer_rate=3.5) == 3.5
    assert stats.expected_count(last_year=7, peer_rate=3.5) == 7.0
    assert stats.expected_count(last_year=0, peer_rate=0.2) == stats.MIN_EXPECTED == 1.0


def test_the_peer_rate_scales_the_rest_of_the_district_by_the_clusters_size() -> None:
    # 20 complaints over the other 200 units; the street has 20 units: 2 expected.
    assert stats.peer_expected(peers_count=20, peers_size=200, own_size=20) == 2.0
    assert stats.peer_expected(peers_count=20, peers_size=0, own_size=20) == 0.0
    assert stats.peer_expected(peers_count=20, peers_size=200, own_size=0) == 0.0


def test_fewer_than_three_complaints_are_never_significant_however_unexpected() -> None:
    two = stats.assess(observed=2, last_year=0, peer_rate=0.0)
    assert two.p_value < 0.3
    assert not two.significant(tested=1)


def test_the_threshold_is_bonferroni_over_the_clusters_tested() -> None:
    # P(X ≥ 6 | 1) = 5.9e-4: significant alone (≤ 0.05), not among 100 tests (≤ 5e-4).
    six = stats.assess(observed=6, last_year=1, peer_rate=0.0)
    assert six.p_value == pytest.approx(5.94e-4, rel=1e-2)
    assert six.significant(tested=1)
    assert six.significant(tested=80)
    assert not six.significant(tested=100)


def test_a_flat_count_is_not_significant() -> None:
    flat = stats.assess(observed=5, last_year=5, peer_rate=4.8)
    assert flat.p_value > 0.5
    assert not flat.significant(tested=1)
