"""What the district targets are (DESIGN.md §6): their keys, which target applies to a scope and how
a figure is compared with its threshold (``formatting`` writes it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from inspections.models import SamplingType
from lyushunkou.models import Jurisdiction
from scoring.models import Target
from units.models import DemonstrationStatus

DISTRICT_SCOPE = "district"

# The keys of DESIGN.md §6, in the order the dashboard and the reports show them.
TARGET_KEYS = (
    "key_goods_sampling_pass_rate",
    "food_sampling_per_thousand",
    "food_sampling_pass_rate",
    "life_services_satisfaction",
    "complaint_handling_rate",
    "complaint_resolution_rate",
    "complaint_satisfaction_rate",
    "station_coverage",
    "programme_awareness_rate",
    "programme_recognition_rate",
    "problem_detection_rate",
)

# The problem detection rate is compared year on year per sampling type, never mixed (DESIGN.md
# §5): the headline value and ``met`` are those of supervisory sampling (监督抽检), the programme's
# main instrument; every other type's comparison is in ``detail["by_type"]``.
DETECTION_HEADLINE_TYPE = SamplingType.SUPERVISORY

# Figures are fractions of integer counts, or a count over a pro-rated population: a tolerance far
# below the 6 decimals shown keeps 24/25 ≥ 0.96 from failing on a floating-point last bit.
TOLERANCE = 1e-9
_SCOPE_RANK: dict[str, int] = {
    Target.Scope.JURISDICTION: 0,
    Target.Scope.DEMO_AREA: 1,
    Target.Scope.DISTRICT: 2,
}
DEMONSTRATION_STATUSES = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)


# --- Thresholds -----------------------------------------------------------------------------------


def applicable_targets(
    targets: Iterable[Target], jurisdiction: Jurisdiction | None, *, demo_area: bool
) -> list[Target]:
    """The active target of each key that applies to the scope: the jurisdiction's own, else the
    demonstration area's (when ``demo_area``), else the district's; in display order."""
    chosen: dict[str, Target] = {}
    for target in targets:
        if not target.active or target.key not in TARGET_KEYS:
            continue
        if target.scope == Target.Scope.JURISDICTION and (
            jurisdiction is None or target.jurisdiction_id != jurisdiction.pk
        ):
            continue
        if target.scope == Target.Scope.DEMO_AREA and not demo_area:
            continue
        current = chosen.get(target.key)
        if current is None or _SCOPE_RANK[target.scope] < _SCOPE_RANK[current.scope]:
            chosen[target.key] = target
    return sorted(chosen.values(), key=lambda t: (t.order, TARGET_KEYS.index(t.key)))


def is_demo_area(
    jurisdiction: Jurisdiction | None, designated: dict[int, dt.date], end: dt.date
) -> bool:
    if jurisdiction is None:
        return False
    designated_on = designated.get(jurisdiction.pk)
    return designated_on is not None and designated_on <= end


def compare(value: float | None, comparator: str, threshold: Decimal | None) -> bool | None:
    """Whether a value meets its threshold; None when there is no data or no threshold."""
    if value is None or threshold is None:
        return None
    limit = float(threshold)
    if comparator == Target.Comparator.GTE:
        return value >= limit - TOLERANCE
    if comparator == Target.Comparator.LTE:
        return value <= limit + TOLERANCE
    if comparator == Target.Comparator.EQ:
        return abs(value - limit) <= TOLERANCE
    return None


def scope_code(jurisdiction: Jurisdiction | None) -> str:
    return DISTRICT_SCOPE if jurisdiction is None else jurisdiction.code
