"""Whether a figure may be judged at all (DESIGN.md §6, issue 14 items 2 and 3).

A figure is judged met or missed against its threshold only with enough data and, while its period
runs, only when a miss is final:

- **Minimum sample.** Below the target's ``min_denominator`` (defaults: 10 for rates, 30 batches for
  the year-on-year detection rate, none for the per-thousand figure) the value is shown with
  "样本不足" and ``met`` is null. The year-on-year comparison needs the minimum in both years.
- **Open periods.** A period that has not ended is evaluated as of today and marked open. It is
  never judged missed before it ends unless the value can no longer recover: a figure that must be
  100% (handling rate) and is already below it, one record short for good.

The flags go into the result's ``detail`` (``insufficient``, ``open``, ``open_as_of``,
``pending``), so the dashboard, the reports and ``evaluate_targets --json`` say why ``met`` is null;
the JSON's shape stays that of DESIGN.md §7.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from scoring.models import Target
from scoring.periods import Period

# Rates are fractions: a threshold of 1 is "100%", which one short record misses for good.
COMPLETE = Decimal("1")


def below_minimum(denominator: float | int | None, minimum: int) -> bool:
    """Some data, but less than the minimum (no data at all is "no data", not a small sample)."""
    if not minimum or denominator is None:
        return False
    return 0 < float(denominator) < minimum


def detection_sufficient(current: dict[str, Any], previous: dict[str, Any], minimum: int) -> bool:
    """The year-on-year comparison is judged only with the minimum in both years."""
    if not minimum:
        return True
    return all(
        side["denominator"] is not None and float(side["denominator"]) >= minimum
        for side in (current, previous)
    )


def cannot_recover(target: Target, value: float | None) -> bool:
    """A miss that the rest of the period cannot undo: a rate that must reach 100% (≥ or = a
    threshold of 1) and is below it already. A count such as batches per thousand residents
    (threshold 2.0) only grows while the period runs: it can always recover."""
    if value is None or target.threshold is None or target.unit_label != "%":
        return False
    if target.comparator not in (Target.Comparator.GTE, Target.Comparator.EQ):
        return False
    return target.threshold >= COMPLETE and value < float(target.threshold)


def judge(
    target: Target,
    *,
    value: float | None,
    met: bool | None,
    insufficient: bool,
    period: Period,
    today: dt.date,
) -> tuple[bool | None, dict[str, Any]]:
    """``met`` as the dashboard may show it, and the flags to add to the detail."""
    flags: dict[str, Any] = {}
    if insufficient:
        flags["insufficient"] = True
        flags["min_denominator"] = target.min_denominator
        met = None
    if not period.is_complete(today) and not period.is_future(today):
        flags["open"] = True
        flags["open_as_of"] = period.as_of(today).isoformat()
        if met is False and not cannot_recover(target, value):
            flags["pending"] = True
            met = None
    return met, flags
