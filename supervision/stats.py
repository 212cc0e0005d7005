"""The statistics of sampling proposals: pure functions of counts (docs/supervision.md).

A cluster of complaints (a category in a street, or one unit) is tested against the count it would
have if nothing had changed. The observed count is taken as a Poisson draw; its upper-tail p-value
P(X ≥ observed | expected) says how surprising it is, and the score is −log10 of that p-value.
A cluster becomes a proposal only when

- it has at least ``MIN_COMPLAINTS`` complaints (fewer is noise, whatever the p-value), and
- its p-value is at most ``ALPHA`` divided by the number of clusters tested in the period
  (Bonferroni), so that across a period's many streets and categories the chance of proposing
  anything at all from noise alone is about ``ALPHA``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_COMPLAINTS = 3
ALPHA = 0.05
# The expected count is never taken below one complaint: a first-ever cluster compares with
# "about one", so three complaints where there were none before do not rank on nothing.
MIN_EXPECTED = 1.0
LN10 = math.log(10)


def _log_add(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    high, low = (a, b) if a >= b else (b, a)
    return high + math.log1p(math.exp(low - high))


def poisson_log_sf(observed: int, expected: float) -> float:
    """ln P(X ≥ observed) for X ~ Poisson(expected), summed in log space from ``observed`` up so
    that a tail of 1e-30 keeps its digits (1 − CDF would round it to 0). Terms grow up to the
    mode (about ``expected``) and shrink after it; the sum stops once they no longer count."""
    if observed <= 0:
        return 0.0
    if expected <= 0:
        return -math.inf
    log_lambda = math.log(expected)
    total = -math.inf
    k = observed
    while True:
        term = -expected + k * log_lambda - math.lgamma(k + 1)
        total = _log_add(total, term)
        # Past the mode each term is at most expected/(k+1) of the last: stop when negligible.
        if k > expected and term < total - 40:
            return min(total, 0.0)
        k += 1


def poisson_sf(observed: int, expected: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(expected)."""
    return math.exp(poisson_log_sf(observed, expected))


def score_of(observed: int, expected: float) -> float:
    """−log10 P(X ≥ observed | expected): 2 is a 1-in-100 surprise, 8 a 1-in-100-million one."""
    return max(0.0, -poisson_log_sf(observed, expected) / LN10)


def expected_count(*, last_year: int, peer_rate: float) -> float:
    """The count a cluster would have if nothing had changed: the larger of the same period last
    year and what its peers' rate predicts (see ``peer_expected``), at least ``MIN_EXPECTED``."""
    return max(float(last_year), peer_rate, MIN_EXPECTED)


def peer_expected(*, peers_count: int, peers_size: int, own_size: int) -> float:
    """What the rest of the district predicts for a cluster: the complaints of its peers (the
    other streets, or the other units of its industry) per unit of size, times its own size.

    The cluster's own complaints are left out of the rate on purpose: with them in, a spike would
    raise its own expectation and hide itself.
    """
    if peers_size <= 0 or own_size <= 0:
        return 0.0
    return peers_count * own_size / peers_size


@dataclass(frozen=True)
class Assessment:
    """One cluster's test: its counts, the expectation, the p-value and score."""

    observed: int
    last_year: int
    peer_rate: float
    expected: float
    p_value: float
    score: float

    def significant(self, tested: int) -> bool:
        return self.observed >= MIN_COMPLAINTS and self.p_value <= ALPHA / max(tested, 1)


def assess(*, observed: int, last_year: int, peer_rate: float) -> Assessment:
    expected = expected_count(last_year=last_year, peer_rate=peer_rate)
    log_p = poisson_log_sf(observed, expected)
    return Assessment(
        observed=observed,
        last_year=last_year,
        peer_rate=peer_rate,
        expected=expected,
        p_value=math.exp(log_p),
        score=max(0.0, -log_p / LN10),
    )


# --- Control limits of early warnings -----------------------------------------------------------

# The one-sided tail of a 3-sigma control limit (Shewhart): a count this unlikely under the
# baseline rate is "above its control limit".
CONTROL_TAIL = 0.00135
# A baseline below this is taken as this: a street or unit with nothing before still needs a few
# events in a window to be flagged, not one.
MIN_BASELINE = 0.5


def upper_control_limit(baseline: float, *, minimum: int = MIN_COMPLAINTS) -> int:
    """The smallest count c with P(X ≥ c | baseline) ≤ ``CONTROL_TAIL`` for X ~ Poisson (an exact
    c-chart limit, which unlike c̄ + 3√c̄ holds for small rates too), and at least ``minimum``."""
    rate = max(baseline, MIN_BASELINE)
    count = max(int(rate), 1)
    while poisson_log_sf(count, rate) > math.log(CONTROL_TAIL):
        count += 1
    return max(count, minimum)
