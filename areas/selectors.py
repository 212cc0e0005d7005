"""Reads of the demonstration-area pages, scoped to the user through ``areas.access`` and built in
a fixed number of queries (STYLE.md habit 8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import access
from areas.facts import AreaFacts, load_facts
from areas.models import FIRST_YEAR, AreaActivity, AreaConfirmation, Community, NetworkPoint
from areas.models_assessment import AreaAssessment, AreaVerdict, AssessmentItemReview
from areas.network import (
    Coverage,
    coverage_by_street,
    coverage_of,
    total_coverage,
    with_coverage,
    without_point,
)
from areas.standard import AreaReport, DistrictReport, area_check, district_report
from lyushunkou.masking import mask_phone
from lyushunkou.models import Jurisdiction, User


def check_year(year: int, today: dt.date | None = None) -> int:
    """A year the pages show: from the programme's first to this one; 404 otherwise."""
    today = today or timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404("No such year.")
    return year


class YearError(ValueError):
    """A ``?year=`` that is not a year the pages show; its message names the problem."""


def year_asked(text: str | None, today: dt.date | None = None) -> int:
    """The year a page's ``?year=`` asks for: this year when blank; ``YearError`` when it is not
    one from the programme's first year to this one."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    if not text:
        return today.year
    if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= today.year):
        raise YearError(
            _("“%(text)s” is not a year these pages show: choose one from %(first)d to %(last)d.")
            % {"text": text[:20], "first": FIRST_YEAR, "last": today.year}
        )
    return int(text)


def years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, FIRST_YEAR - 1, -1))


# --- The network ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    place: Jurisdiction
    coverage: Coverage


def coverage_rows(places: list[Jurisdiction]) -> tuple[list[CoverageRow], Coverage]:
    """Each street's coverage and their total, for the places the user reads (two queries)."""
    by_street = coverage_by_street()
    rows = [
        CoverageRow(place, coverage_of(place, by_street))
        for place in places
        if place.kind != Jurisdiction.Kind.DISTRICT
    ]
    return rows, total_coverage(row.coverage for row in rows)


def _street(places: list[Jurisdiction], code: str) -> Jurisdiction | None:
    return next((p for p in places if p.code == code and p.kind != "district"), None)


def filtered_points(
    qs: QuerySet[NetworkPoint], places: list[Jurisdiction], params: dict[str, Any]
) -> QuerySet[NetworkPoint]:
    street = _street(places, str(params.get("street") or ""))
    if street is not None:
        qs = qs.filter(community__street=street)
    kind = str(params.get("kind") or "")
    if kind in NetworkPoint.Kind.values:
        qs = qs.filter(kind=kind)
    text = str(params.get("q") or "").strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(community__name__icontains=text)
            | Q(address__icontains=text)
        )
    return qs.order_by("community__street__sort_order", "community__code", "name", "pk")


def filtered_communities(
    user: User, places: list[Jurisdiction], params: dict[str, Any]
) -> QuerySet[Community]:
    qs = with_coverage(access.communities_for_user(user))
    street = _street(places, str(params.get("street") or ""))
    if street is not None:
        qs = qs.filter(street=street)
    if params.get("uncovered"):
        qs = qs.filter(without_point(), active=True)
    text = str(params.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return qs.order_by("street__sort_order", "code")


@dataclass(frozen=True)
class PublicPoint:
    """What the public sees of a point: no contact person, the phone masked."""

    kind: str
    name: str
    street: str
    community: str
    address: str
    phone: str
    opening_hours: str
    latitude: Any
    longitude: Any


def public_streets() -> list[Jurisdiction]:
    """The streets (and parks) communities may be in, for the public filter and the template."""
    return list(
        Jurisdiction.objects.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def public_points(places: list[Jurisdiction], params: dict[str, Any]) -> QuerySet[NetworkPoint]:
    return filtered_points(access.public_network_points(), places, params)


def as_public(point: NetworkPoint) -> PublicPoint:
    return PublicPoint(
        kind=point.get_kind_display(),
        name=point.name,
        street=point.community.street.name,
        community=point.community.name,
        address=point.address,
        phone=mask_phone(point.contact_phone),
        opening_hours=point.opening_hours,
        latitude=point.latitude,
        longitude=point.longitude,
    )


# --- The standard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    year: int
    district: DistrictReport | None  # for district-wide users
    reports: list[AreaReport]  # the streets of the user's scope
    issued: dict[int, AreaVerdict]  # the verdict in force of each place, by jurisdiction id

    @property
    def rows(self) -> list[tuple[AreaReport, AreaVerdict | None]]:
        return [(report, self.issued.get(report.place.pk)) for report in self.reports]

    @property
    def district_issued(self) -> AreaVerdict | None:
        return self.issued.get(self.district.own.place.pk) if self.district else None


def overview(user: User, year: int, *, today: dt.date | None = None) -> Overview:
    places = list(access.area_places_for_user(user))
    facts = load_facts(year, today=today)
    issued = latest_verdicts(access.verdicts_for_user(user).filter(year=year))
    if any(place.kind == Jurisdiction.Kind.DISTRICT for place in places):
        report = district_report(year, facts=facts)
        return Overview(year=year, district=report, reports=report.streets, issued=issued)
    reports = [area_check(p, facts) for p in places]
    return Overview(year=year, district=None, reports=reports, issued=issued)


@dataclass(frozen=True)
class PlacePage:
    report: AreaReport
    activities: list[AreaActivity]
    facts: AreaFacts


def place_page(user: User, place: Jurisdiction, year: int) -> PlacePage:
    facts = load_facts(year)
    activities = list(
        access.activities_for_user(user)
        .filter(place=place, held_on__year=year)
        .order_by("-held_on", "-pk")
    )
    return PlacePage(report=area_check(place, facts), activities=activities, facts=facts)


def confirmation_of(
    user: User, place: Jurisdiction, year: int, criterion_pk: int
) -> AreaConfirmation | None:
    return (
        access.confirmations_for_user(user)
        .filter(place=place, year=year, criterion_id=criterion_pk)
        .first()
    )


@dataclass(frozen=True)
class PublicPage:
    report: DistrictReport
    issued: dict[int, AreaVerdict]

    @property
    def rows(self) -> list[tuple[AreaReport, AreaVerdict | None]]:
        return [(street, self.issued.get(street.place.pk)) for street in self.report.streets]

    @property
    def district_issued(self) -> AreaVerdict | None:
        return self.issued.get(self.report.own.place.pk)


def public_report(year: int) -> PublicPage:
    return PublicPage(
        report=district_report(year), issued=latest_verdicts(access.public_verdicts(year))
    )


# --- The year-end workflow ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    """An item of a self-assessment as submitted, with the current round's review of it."""

    code: str
    label: str
    status: str
    detail: str
    review: AssessmentItemReview | None


@dataclass(frozen=True)
class AssessmentPanel:
    assessment: AreaAssessment | None
    lines: list[ItemLine]
    verdicts: list[AreaVerdict]  # newest first

    @property
    def latest(self) -> AreaVerdict | None:
        return self.verdicts[0] if self.verdicts else None


def assessment_panel(user: User, place: Jurisdiction, year: int) -> AssessmentPanel:
    """The place's self-assessment, its current round's reviews and its issued verdicts (three
    queries)."""
    assessment = access.assessment_for_user(user, place, year)
    reviews: dict[str, AssessmentItemReview] = {}
    if assessment is not None and assessment.state != AreaAssessment.State.SUBMITTED:
        reviews = {
            r.code: r
            for r in AssessmentItemReview.objects.filter(
                assessment=assessment, round=assessment.round
            )
        }
    lines = [
        ItemLine(
            code=str(item.get("code", "")),
            label=str(item.get("label", "")),
            status=str(item.get("status", "")),
            detail=str(item.get("detail", "")),
            review=reviews.get(str(item.get("code", ""))),
        )
        for item in (assessment.items if assessment is not None else [])
    ]
    verdicts = list(
        access.verdicts_for_user(user).filter(place=place, year=year).order_by("-number")
    )
    return AssessmentPanel(assessment=assessment, lines=lines, verdicts=verdicts)


def latest_verdicts(qs: QuerySet[AreaVerdict]) -> dict[int, AreaVerdict]:
    """The verdict in force (latest version) of each place, by jurisdiction id."""
    latest: dict[int, AreaVerdict] = {}
    for verdict in qs.order_by("place_id", "number"):
        latest[verdict.place_id] = verdict
    return latest
