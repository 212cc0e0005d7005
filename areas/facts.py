"""What a year's verdicts of the area standard read (``areas.standard``): ``load_facts`` gathers
every record the rules need — the item records of the year, the activities logged, the network's
coverage and its points taking complaints, the complaints received by channel, scoring's evaluated
targets — in eight queries, however many streets and records there are. The rules then read the
``AreaFacts`` and query nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from areas.models import AreaActivity, AreaConfirmation, AreaCriterion, NetworkPoint
from areas.network import Coverage, coverage_by_street
from complaints.models import Complaint
from lyushunkou.models import Jurisdiction
from scoring.models import TargetResult


@dataclass(frozen=True)
class Tally:
    count: int = 0
    with_findings: int = 0


@dataclass
class AreaFacts:
    year: int
    today: dt.date
    criteria: list[AreaCriterion]
    confirmations: dict[tuple[int, int], AreaConfirmation]
    # (place id, parent id) → kind → tally, for the activities logged in the year
    activities: dict[tuple[int, int | None], dict[str, Tally]]
    coverage: dict[int, Coverage]
    # street id → point kind → active points publishing a phone and opening hours
    channel_points: dict[int, dict[str, int]]
    # (jurisdiction id, parent id) → channel → complaints received in the year
    complaints: dict[tuple[int, int | None], dict[str, int]]
    targets: dict[tuple[str, str], TargetResult]

    def _sum(self, table: Mapping[tuple[int, int | None], Any], place: Jurisdiction) -> list[Any]:
        if place.kind == Jurisdiction.Kind.DISTRICT:
            return list(table.values())
        return [value for (pk, parent), value in table.items() if place.pk in (pk, parent)]

    def activity(self, place: Jurisdiction, kind: str) -> Tally:
        tallies = [by_kind.get(kind, Tally()) for by_kind in self._sum(self.activities, place)]
        return Tally(
            count=sum(t.count for t in tallies), with_findings=sum(t.with_findings for t in tallies)
        )

    def received(self, place: Jurisdiction) -> dict[str, int]:
        total: dict[str, int] = {}
        for by_channel in self._sum(self.complaints, place):
            for channel, count in by_channel.items():
                total[channel] = total.get(channel, 0) + count
        return total

    def points(self, place: Jurisdiction, kinds: list[str]) -> int:
        if place.kind == Jurisdiction.Kind.DISTRICT:
            rows = list(self.channel_points.values())
        else:
            rows = [self.channel_points.get(place.pk, {})]
        return sum(row.get(kind, 0) for row in rows for kind in kinds)


def load_facts(year: int, *, today: dt.date | None = None, complaints: bool = True) -> AreaFacts:
    """Everything the verdicts of ``year`` read, in eight queries; with ``complaints=False``
    seven, and the "complaint channels open" item's words say no complaint was received (its
    status does not depend on them: ``areas.summary`` judges that way)."""
    today = today or timezone.localdate()
    activities: dict[tuple[int, int | None], dict[str, Tally]] = {}
    for row in (
        AreaActivity.objects.filter(held_on__year=year)
        .values("place_id", "place__parent_id", "kind")
        .annotate(n=Count("pk"), found=Count("pk", filter=~Q(findings="")))
        .order_by()
    ):
        key = (row["place_id"], row["place__parent_id"])
        activities.setdefault(key, {})[row["kind"]] = Tally(row["n"], row["found"])
    channel_points: dict[int, dict[str, int]] = {}
    for row in (
        NetworkPoint.objects.filter(active=True, community__active=True)
        .exclude(contact_phone="")
        .exclude(opening_hours="")
        .values("community__street_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        channel_points.setdefault(row["community__street_id"], {})[row["kind"]] = row["n"]
    received: dict[tuple[int, int | None], dict[str, int]] = {}
    for row in (
        Complaint.objects.filter(received_at__year=year)
        .values("jurisdiction_id", "jurisdiction__parent_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
        if complaints
        else []
    ):
        key = (row["jurisdiction_id"], row["jurisdiction__parent_id"])
        received.setdefault(key, {})[row["channel"]] = row["n"]
    return AreaFacts(
        year=year,
        today=today,
        criteria=list(AreaCriterion.objects.filter(active=True).order_by("order", "code")),
        confirmations={
            (c.place_id, c.criterion_id): c
            for c in AreaConfirmation.objects.filter(year=year).select_related(
                "confirmed_by", "recorded_by"
            )
        },
        activities=activities,
        coverage=coverage_by_street(),
        channel_points=channel_points,
        complaints=received,
        targets={(r.scope_code, r.key): r for r in TargetResult.objects.filter(period=str(year))},
    )
