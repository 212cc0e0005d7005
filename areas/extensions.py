"""What the demonstration areas add to the lower apps' pages (issue 21 items 2–4), registered from
``AreasConfig.ready()``: a card of the year's verdicts on scoring's dashboard, a page per street in
scoring's annual report, and the rights-protection network on the public home page. Each reads in a
fixed number of queries, however many streets, records and points there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from areas import access, selectors
from areas.models import NetworkPoint, Verdict
from areas.models_assessment import AreaVerdict
from areas.network import coverage_by_street, coverage_of, total_coverage
from areas.standard import AreaReport, district_report
from areas.summary import year_summary
from lyushunkou.models import Jurisdiction, Role, User
from lyushunkou.periods import YEAR, Period
from units.extensions import CriterionStatus

DISTRICT_SCOPE = "district"  # the district's scope code in scoring's reports


# --- The dashboard's card ------------------------------------------------------------------------


def dashboard_card(user: User, today: dt.date) -> Mapping[str, Any] | None:
    """This year's verdicts of the streets the user reads, counted by verdict, and the district's
    (for district-wide users) with the verdict issued in force. Read from the cached summary of
    the year (``areas.summary``): two queries while the verdicts' inputs are unchanged."""
    if user.role not in (Role.STAFF, Role.LEADER):
        return None
    places = set(access.area_places_for_user(user).values_list("pk", flat=True))
    if not places:
        return None
    summary = year_summary(today.year)
    streets = summary.streets_read_by(places)
    district = summary.district if summary.district.pk in places else None
    if district is None and not streets:
        return None
    verdicts = [street.as_verdict for street in streets]
    return {
        "year": summary.year,
        "counts": [{"verdict": v, "count": verdicts.count(v)} for v in Verdict],
        "streets": len(verdicts),
        "district": {"verdict": district.as_verdict} if district else None,
        "district_issued": summary.issued.get(district.pk) if district else None,
        "url": f"{reverse('areas-staff')}?year={summary.year}",
    }


# --- The annual report's pages -------------------------------------------------------------------


def _status_label(status: str) -> str:
    if status == CriterionStatus.MET:
        return _("Met")
    if status == CriterionStatus.NOT_MET:
        return _("Not met")
    return _("Evidence missing")


def _issued(verdict: AreaVerdict | None) -> dict[str, str] | None:
    if verdict is None:
        return None
    return {
        "label": verdict.verdict_label,
        "issued_on": f"{verdict.issued_on:%Y-%m-%d}",
        "number": str(verdict.number),
    }


def _page(
    report: AreaReport, issued: dict[int, AreaVerdict], verdict: Verdict | None = None
) -> dict[str, Any]:
    """A place's page; the district's ``verdict`` is its own items' and every street's."""
    verdict = verdict or report.verdict
    return {
        "code": report.place.code,
        "name": report.place.name,
        "verdict": str(verdict),
        "verdict_label": str(verdict.label),
        "issued": _issued(issued.get(report.place.pk)),
        "met": sum(1 for o in report.outcomes if o.status == CriterionStatus.MET),
        "items": len(report.outcomes),
        "unmet": [
            {
                "label": str(outcome.label),
                "status": str(outcome.status),
                "status_label": _status_label(outcome.status),
                "detail": str(outcome.result.detail),
            }
            for outcome in report.unmet
        ],
    }


def report_pages(kind: str, period: Period, scope_code: str) -> Mapping[str, Any] | None:
    """For an annual report: the district's verdict for the year and one page per street (a
    street's report: that street's page only), each with its verdict, the verdict issued in force
    and every item not met or lacking evidence; as plain values, read in twelve queries."""
    if period.kind != YEAR:
        return None
    year = period.start.year
    report = district_report(year)
    issued = selectors.latest_verdicts(AreaVerdict.objects.filter(year=year))
    streets = report.streets
    district = None
    if scope_code == DISTRICT_SCOPE:
        district = _page(report.own, issued, report.verdict)
    else:
        streets = [street for street in streets if street.place.code == scope_code]
        if not streets:
            return None  # a park or the development zone: not an area of its own
    return {
        "title": _("Demonstration areas"),
        "year": str(year),
        "district": district,
        "streets": [_page(street, issued) for street in streets],
    }


# --- The home page's block -----------------------------------------------------------------------


MAP_LIMIT = 300  # points drawn on the home page's map (and listed in its table), the rest listed
# in the directory; the district has a few hundred communities and villages
MAP_KIND_ORDER = (
    NetworkPoint.Kind.ASSOCIATION,
    NetworkPoint.Kind.LIAISON,
    NetworkPoint.Kind.STATION,
)


def _outline(street: Jurisdiction) -> dict[str, Any]:
    """A street's uploaded outline as a GeoJSON feature, as the big screen draws it
    (``scoring.targets.dashboard.screen``, whose loader reads through a signed-in user's scope: the
    home page is public, and the streets' outlines are public knowledge)."""
    return {
        "type": "Feature",
        "properties": {"name": street.name, "code": street.code},
        "geometry": street.boundary,
    }


def _map_points() -> list[dict[str, Any]]:
    """The points with coordinates, at most ``MAP_LIMIT``: consumer-association offices first,
    then liaison points, then units' stations, each kind in the order of the streets."""
    first = Case(
        *(When(kind=kind, then=Value(n)) for n, kind in enumerate(MAP_KIND_ORDER)),
        default=Value(len(MAP_KIND_ORDER)),
        output_field=IntegerField(),
    )
    rows = (
        access.public_network_points()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(first=first)
        .order_by("first", "community__street__sort_order", "community__code", "name", "pk")
        .values_list(
            "kind",
            "name",
            "community__name",
            "community__street__name",
            "longitude",
            "latitude",
        )[:MAP_LIMIT]
    )
    return [
        {
            "kind": kind,
            "kind_label": str(NetworkPoint.Kind(kind).label),
            "name": name,
            "community": community,
            "street": street,
            "longitude": float(longitude),
            "latitude": float(latitude),
        }
        for kind, name, community, street, longitude, latitude in rows
        if longitude is not None and latitude is not None  # filtered above; for the types
    ]


def _map_data(points: list[dict[str, Any]], outlines: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``static/areas/network_map.js`` draws (json_script): one layer per kind of point
    ([longitude, latitude, name, community]) and the streets' outlines."""
    return {
        "layers": [
            {
                "kind": str(kind),
                "label": str(kind.label),
                "points": [
                    [p["longitude"], p["latitude"], p["name"], p["community"]]
                    for p in points
                    if p["kind"] == kind
                ],
            }
            for kind in MAP_KIND_ORDER
        ],
        "outlines": {"type": "FeatureCollection", "features": outlines},
    }


def home_network(request: HttpRequest) -> Mapping[str, Any] | None:
    """The network's active points per street, with each street's coverage, linked to the public
    list of points, and a map of the points with coordinates on the streets' uploaded outlines
    (with the same points as a table); left out while there is no point. Four queries."""
    counted = {
        street_id: (total, placed)
        for street_id, total, placed in NetworkPoint.objects.filter(
            active=True, community__active=True
        )
        .values_list("community__street_id")
        .annotate(
            n=Count("pk"),
            placed=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
        )
        .order_by()
    }
    if not counted:
        return None
    points = {street_id: total for street_id, (total, _placed) in counted.items()}
    placed = sum(p for _total, p in counted.values())
    by_street = coverage_by_street()
    places = list(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )
    streets = [
        {
            "code": street.code,
            "name": street.name,
            "points": points.get(street.pk, 0),
            "coverage": coverage_of(street, by_street),
        }
        for street in places
        if street.pk in points or street.pk in by_street
    ]
    drawn = _map_points() if placed else []
    outlines = [_outline(street) for street in places if street.boundary]
    return {
        "points": sum(points.values()),
        "coverage": total_coverage(by_street.values()),
        "streets": streets,
        "url": reverse("areas-network-public"),
        "map": _map_data(drawn, outlines) if drawn else None,
        "map_points": drawn,
        "map_unplaced": sum(points.values()) - placed,
        "map_more": placed - len(drawn),
    }


def register() -> None:
    from lyushunkou.home_blocks import HomeBlock
    from lyushunkou.home_blocks import register as register_block
    from scoring.reports.sections import ReportSection
    from scoring.reports.sections import register as register_section
    from scoring.targets.dashboard.cards import DashboardCard
    from scoring.targets.dashboard.cards import register as register_card

    register_card(DashboardCard("areas", "areas/_dashboard_card.html", dashboard_card, order=50))
    register_section(ReportSection("areas", "areas/_report_pages.html", report_pages, order=50))
    register_block(HomeBlock("areas-network", "areas/_home_network.html", home_network, order=50))
