"""Reads for the inspection-plan pages: each street's check coverage and the units drawn, limited
to what the user may see (a street's staff: their street of a district plan)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from inspections.models import OnSiteCheck
from lyushunkou.access import jurisdiction_scope
from lyushunkou.figures import figure, percent
from lyushunkou.models import Jurisdiction, User
from lyushunkou.periods import Period, parse
from supervision.clusters import street_map
from supervision.models_plans import InspectionPlan, PlanEntry


def plan_window(plan: InspectionPlan, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days whose on-site checks count for the plan: its period, up to today."""
    period: Period = parse(plan.period)
    return period.start, max(period.start, period.as_of(today))


def visible_streets(plan: InspectionPlan, user: User | None) -> list[Jurisdiction]:
    """The plan's streets the user may see (None: the public, every street of a published
    plan), in the district's order."""
    streets = Jurisdiction.objects.filter(code__in=list(plan.candidates)).order_by(
        "sort_order", "code"
    )
    own = jurisdiction_scope(user) if user is not None else None
    if own is not None:
        streets = streets.filter(Q(pk=own.pk) | Q(parent_id=own.pk))
    return list(streets)


def _checked(start: dt.date, end: dt.date) -> Exists:
    return Exists(
        OnSiteCheck.objects.filter(unit=OuterRef("unit_id"), checked_on__range=(start, end))
    )


def plan_entries(plan: InspectionPlan, streets: list[Jurisdiction]) -> QuerySet[PlanEntry]:
    start, end = plan_window(plan)
    return (
        plan.entries.filter(jurisdiction__in=streets)
        .select_related("unit", "jurisdiction")
        .annotate(checked=_checked(start, end))
        .order_by("jurisdiction__sort_order", "jurisdiction__code", "draw")
    )


@dataclass
class CoverageRow:
    street: Jurisdiction
    candidates: int
    drawn: int
    drawn_checked: dict[str, Any]  # figure(): drawn units checked in the period ÷ drawn
    coverage: dict[str, Any]  # figure(): units checked in the period ÷ units it could draw

    @property
    def drawn_checked_percent(self) -> str:
        return percent(self.drawn_checked["value"])

    @property
    def coverage_percent(self) -> str:
        return percent(self.coverage["value"])


def plan_coverage(plan: InspectionPlan, streets: list[Jurisdiction]) -> list[CoverageRow]:
    """Per street: the units the draw could pick, the units drawn, how many of those have had an
    on-site check in the plan's period, and the street's check coverage — the units it could
    pick that were checked in the period (drawn or not) ÷ the units it could pick. Two queries."""
    start, end = plan_window(plan)
    drawn = {
        row["jurisdiction_id"]: row
        for row in plan.entries.filter(jurisdiction__in=streets)
        .annotate(checked=_checked(start, end))
        .order_by()
        .values("jurisdiction_id")
        .annotate(n=Count("pk"), checked_n=Count("pk", filter=Q(checked=True)))
    }
    places = [pk for pk, street in street_map().items() if street in {j.pk for j in streets}]
    checked_units = set(
        OnSiteCheck.objects.filter(checked_on__range=(start, end), unit__jurisdiction__in=places)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )
    rows = []
    for street in streets:
        pool = {int(pk) for pk, _weight in plan.candidates.get(street.code, [])}
        candidates = len(pool)
        row = drawn.get(street.pk, {"n": 0, "checked_n": 0})
        rows.append(
            CoverageRow(
                street=street,
                candidates=candidates,
                drawn=row["n"],
                drawn_checked=figure(row["checked_n"], row["n"]),
                coverage=figure(len(pool & checked_units), candidates),
            )
        )
    return rows
