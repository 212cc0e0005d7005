"""Reads of the rights-protection network: its coverage per street and the lists' querysets.

Coverage of a street = its active communities with at least one active network point ÷ its active
communities (issue 21 item 2); the district's is the same over every street. No communities is
"no data" (``value`` None), never 0% or 100%. Two aggregate queries, however many streets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from areas.models import Community, NetworkPoint
from lyushunkou.models import Jurisdiction
from scoring.targets import format_value


@dataclass(frozen=True)
class Coverage:
    covered: int
    communities: int

    @property
    def value(self) -> float | None:
        return self.covered / self.communities if self.communities else None

    @property
    def percent(self) -> str:
        """As the pages show it: one decimal, "" for no data."""
        return format_value(self.value, "%")

    @property
    def uncovered(self) -> int:
        return self.communities - self.covered


def _with_point() -> Exists:
    return Exists(NetworkPoint.objects.filter(community=OuterRef("pk"), active=True))


def coverage_by_street() -> dict[int, Coverage]:
    """Coverage of every street with communities, by jurisdiction id, in one query."""
    rows = (
        Community.objects.filter(active=True)
        .annotate(covered=_with_point())
        .values("street_id")
        .annotate(total=Count("pk"), covered_count=Count("pk", filter=Q(covered=True)))
        .order_by()
    )
    return {
        row["street_id"]: Coverage(covered=row["covered_count"], communities=row["total"])
        for row in rows
    }


def coverage_of(place: Jurisdiction, by_street: dict[int, Coverage]) -> Coverage:
    """A street's coverage, or the district's (every street's summed)."""
    if place.kind == Jurisdiction.Kind.DISTRICT:
        return total_coverage(by_street.values())
    return by_street.get(place.pk, Coverage(0, 0))


def total_coverage(coverages: Iterable[Coverage]) -> Coverage:
    found = list(coverages)
    return Coverage(
        covered=sum(c.covered for c in found), communities=sum(c.communities for c in found)
    )


def without_point() -> Any:
    """The filter of communities with no active network point."""
    return ~_with_point()


def with_coverage(communities: QuerySet[Community]) -> QuerySet[Community]:
    """The communities annotated ``covered`` (an active point in them) and ``point_count``."""
    return communities.annotate(
        covered=_with_point(),
        point_count=Count("points", filter=Q(points__active=True)),
    )
