"""Complaint clusters of a period, tested and ranked as sampling proposals (docs/supervision.md).

Two groupings, each tested on its own (``supervision.stats``):

- **category × street**: the complaints of one issue category (问题类别) in one street; compared
  with the same street and category a year earlier, and with the other streets' complaints of that
  category scaled by the street's share of the registered units;
- **unit**: the complaints naming one registered unit, whatever their category; compared with the
  unit a year earlier, and with the other units of its industry (their complaints per unit).

Complaints count by the day they were received; refused ones (不予受理: not within market
supervision's duties, handled elsewhere, no dispute shown …) do not count. Complaints recorded
against the district as a whole belong to no street and count only in the unit grouping. The
statistics are always computed over the whole district (the peers of a street are the other
streets) and only then narrowed to the scope asked for, so a cluster scores the same whoever looks.

A running period is compared with the same days a year earlier: ``2026-10`` on 15 October counts
1–15 October 2026 against 1–15 October 2025.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Category, Complaint, Status
from lyushunkou.models import Jurisdiction
from lyushunkou.periods import Period
from supervision.stats import MIN_COMPLAINTS, Assessment, assess, peer_expected
from units.models import BusinessStatus, Unit

STREET, UNIT = "street", "unit"
CATEGORY_ORDER = {value: index for index, value in enumerate(Category.values)}


@dataclass(frozen=True)
class Cluster:
    kind: str  # STREET or UNIT
    key: str  # stable across runs: what a stored proposal is unique on within its period
    category: str
    jurisdiction_id: int  # the street
    assessment: Assessment
    complaint_ids: tuple[int, ...] = ()
    unit_ids: tuple[int, ...] = ()  # most complaints first

    @property
    def score(self) -> float:
        return self.assessment.score


@dataclass
class Ranking:
    period: Period
    as_of: dt.date
    complaints: int  # counted in the period, whole district
    tested: dict[str, int] = field(default_factory=dict)  # clusters with ≥ 3 complaints, by kind
    clusters: list[Cluster] = field(default_factory=list)  # the proposals, best first

    @property
    def message(self) -> str:
        """Why there is no proposal, or "" when there is one."""
        if self.clusters:
            return ""
        if not any(self.tested.values()):
            return _(
                "Too little data: no street, category or unit has %(n)s or more complaints in "
                "%(period)s, so nothing is ranked."
            ) % {"n": MIN_COMPLAINTS, "period": self.period.key}
        return _(
            "No cluster of complaints in %(period)s stands out from its baseline: no proposal."
        ) % {"period": self.period.key}


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def counted(start: dt.date, end: dt.date) -> QuerySet[Complaint]:
    """The complaints that count for ``start``–``end`` inclusive."""
    return Complaint.objects.filter(
        received_at__gte=_day_start(start), received_at__lt=_day_start(end + dt.timedelta(days=1))
    ).exclude(status=Status.REFUSED)


def street_map() -> dict[int, int]:
    """Each jurisdiction below the district → its street (itself, or its parent below the
    district)."""
    rows = list(Jurisdiction.objects.values_list("pk", "kind", "parent_id", "parent__kind"))
    streets: dict[int, int] = {}
    for pk, kind, parent_id, parent_kind in rows:
        if kind == Jurisdiction.Kind.DISTRICT:
            continue
        below_district = parent_kind == Jurisdiction.Kind.DISTRICT or parent_id is None
        streets[pk] = pk if below_district else parent_id
    return streets


def _sort_key(cluster: Cluster) -> tuple[float, int, int, int, str]:
    return (
        -cluster.score,
        -cluster.assessment.observed,
        0 if cluster.kind == STREET else 1,
        CATEGORY_ORDER.get(cluster.category, 99),
        cluster.key,
    )


def rank(
    period: Period, *, jurisdiction: Jurisdiction | None = None, today: dt.date | None = None
) -> Ranking:
    """The period's significant clusters, best first, narrowed to ``jurisdiction`` (a street, or
    None / the district for all)."""
    as_of = period.as_of(today)
    earlier = (_year_earlier(period.start), _year_earlier(as_of))
    now = counted(period.start, as_of) if as_of >= period.start else Complaint.objects.none()
    before = counted(*earlier) if as_of >= period.start else Complaint.objects.none()
    streets = street_map()
    ranking = Ranking(period=period, as_of=as_of, complaints=now.count())
    by_street = _street_clusters(now, before, streets)
    by_unit = _unit_clusters(now, before, streets)
    ranking.tested = {STREET: len(by_street), UNIT: len(by_unit)}
    chosen = [c for c in by_street if c.assessment.significant(len(by_street))]
    chosen += [c for c in by_unit if c.assessment.significant(len(by_unit))]
    if jurisdiction is not None and jurisdiction.kind != Jurisdiction.Kind.DISTRICT:
        street = streets.get(jurisdiction.pk, jurisdiction.pk)
        chosen = [c for c in chosen if c.jurisdiction_id == street]
    ranking.clusters = sorted(_with_members(chosen, now, streets), key=_sort_key)
    return ranking


def _operating_units() -> QuerySet[Unit]:
    return Unit.objects.filter(business_status=BusinessStatus.OPERATING)


def _street_clusters(
    now: QuerySet[Complaint], before: QuerySet[Complaint], streets: dict[int, int]
) -> list[Cluster]:
    def counts(qs: QuerySet[Complaint]) -> Counter[tuple[int, str]]:
        tally: Counter[tuple[int, str]] = Counter()
        for jurisdiction_id, category, n in (
            qs.order_by().values_list("jurisdiction_id", "category").annotate(n=Count("pk"))
        ):
            if jurisdiction_id in streets:
                tally[(streets[jurisdiction_id], category)] += n
        return tally

    observed, last_year = counts(now), counts(before)
    units: Counter[int] = Counter()
    for jurisdiction_id, n in (
        _operating_units().order_by().values_list("jurisdiction_id").annotate(n=Count("pk"))
    ):
        if jurisdiction_id in streets:
            units[streets[jurisdiction_id]] += n
    all_units = sum(units.values())
    by_category: Counter[str] = Counter()
    for (_street, category), n in observed.items():
        by_category[category] += n
    clusters = []
    for (street, category), n in observed.items():
        if n < MIN_COMPLAINTS:
            continue
        peer_rate = peer_expected(
            peers_count=by_category[category] - n,
            peers_size=all_units - units[street],
            own_size=units[street],
        )
        clusters.append(
            Cluster(
                kind=STREET,
                key=f"street:{street}:{category}",
                category=category,
                jurisdiction_id=street,
                assessment=assess(
                    observed=n, last_year=last_year[(street, category)], peer_rate=peer_rate
                ),
            )
        )
    return clusters


def _unit_clusters(
    now: QuerySet[Complaint], before: QuerySet[Complaint], streets: dict[int, int]
) -> list[Cluster]:
    observed = dict(
        now.filter(unit__isnull=False)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_COMPLAINTS)
        .values_list("unit_id", "n")
    )
    if not observed:
        return []
    last_year = dict(
        before.filter(unit_id__in=observed)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    units = {
        pk: (industry, jurisdiction_id)
        for pk, industry, jurisdiction_id in Unit.objects.filter(pk__in=observed).values_list(
            "pk", "industry", "jurisdiction_id"
        )
    }
    industry_complaints = dict(
        now.filter(unit__isnull=False)
        .order_by()
        .values_list("unit__industry")
        .annotate(n=Count("pk"))
        .values_list("unit__industry", "n")
    )
    industry_units = dict(
        _operating_units()
        .order_by()
        .values_list("industry")
        .annotate(n=Count("pk"))
        .values_list("industry", "n")
    )
    categories: dict[int, Counter[str]] = defaultdict(Counter)
    for unit_id, category, n in (
        now.filter(unit_id__in=observed)
        .order_by()
        .values_list("unit_id", "category")
        .annotate(n=Count("pk"))
    ):
        categories[unit_id][category] += n
    clusters = []
    for unit_id, n in observed.items():
        industry, jurisdiction_id = units[unit_id]
        peer_rate = peer_expected(
            peers_count=industry_complaints.get(industry, 0) - n,
            peers_size=industry_units.get(industry, 0) - 1,
            own_size=1,
        )
        top = min(categories[unit_id].items(), key=lambda i: (-i[1], CATEGORY_ORDER[i[0]]))[0]
        clusters.append(
            Cluster(
                kind=UNIT,
                key=f"unit:{unit_id}",
                category=top,
                jurisdiction_id=streets.get(jurisdiction_id, jurisdiction_id),
                assessment=assess(
                    observed=n, last_year=last_year.get(unit_id, 0), peer_rate=peer_rate
                ),
                unit_ids=(unit_id,),
            )
        )
    return clusters


def _with_members(
    clusters: list[Cluster], now: QuerySet[Complaint], streets: dict[int, int]
) -> list[Cluster]:
    """The clusters with the complaints behind them and the units they name (one query)."""
    if not clusters:
        return []
    condition = Q()
    for cluster in clusters:
        if cluster.kind == UNIT:
            condition |= Q(unit_id=cluster.unit_ids[0])
        else:
            places = [pk for pk, street in streets.items() if street == cluster.jurisdiction_id]
            condition |= Q(jurisdiction_id__in=places, category=cluster.category)
    rows = list(
        now.filter(condition)
        .order_by("received_at", "pk")
        .values_list("pk", "jurisdiction_id", "category", "unit_id")
    )
    members = []
    for cluster in clusters:
        if cluster.kind == UNIT:
            ids = tuple(pk for pk, _j, _c, unit_id in rows if unit_id == cluster.unit_ids[0])
            members.append(replace(cluster, complaint_ids=ids))
            continue
        mine = [
            (pk, unit_id)
            for pk, jurisdiction_id, category, unit_id in rows
            if category == cluster.category
            and streets.get(jurisdiction_id) == cluster.jurisdiction_id
        ]
        named = Counter(unit_id for _pk, unit_id in mine if unit_id is not None)
        units = tuple(unit_id for unit_id, _n in sorted(named.items(), key=lambda i: (-i[1], i[0])))
        members.append(replace(cluster, complaint_ids=tuple(pk for pk, _u in mine), unit_ids=units))
    return members
