"""Access helpers of the demonstration areas (STYLE.md habit 1).

Staff and leaders read the network, the communities and the area standard of their scope
(street-scoped staff their street, district-wide staff and leaders the district); staff of the scope
write (leaders only read). The district's own items are district-wide staff's. Loading the list
of communities is for district-wide staff and the system administrator. Outside the scope the
answer is 404 and the attempt is audited; a reader who may not write gets a 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from areas.models import AreaActivity, AreaConfirmation, AreaCriterion, Community, NetworkPoint
from areas.models_assessment import AreaAssessment, AreaVerdict
from lyushunkou.access import (
    deny_write,
    fetch_or_deny,
    jurisdictions_for_user,
    scope_by_jurisdiction,
)
from lyushunkou.models import Jurisdiction, Role, User

READERS = (Role.STAFF, Role.LEADER)
# The places the standard judges: the district and its streets (parks and the development zone
# are not demonstration areas of their own; their records count for the district).
AREA_KINDS = (Jurisdiction.Kind.DISTRICT, Jurisdiction.Kind.STREET)

M = TypeVar("M", bound=Model)


def _live(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _fetch(
    qs: QuerySet[M], user: User, requested: object, *, message: str, write: bool, **lookup: Any
) -> M:
    """``fetch_or_deny``, whose audit event here also says whether a write was asked for; then
    a 403 (audited) for a reader asking to write."""
    found = fetch_or_deny(
        qs, user, requested=requested, message=message, detail={"write": write}, **lookup
    )
    if write and user.role != Role.STAFF:
        raise deny_write(user, model=qs.model._meta.label_lower, requested=requested)
    return found


def can_load_communities(user: User) -> bool:
    return _live(user) and (
        user.role == Role.SYSADMIN or (user.role == Role.STAFF and user.is_district_wide)
    )


# --- Communities and network points ---------------------------------------------------------------


def communities_for_user(user: User) -> QuerySet[Community]:
    if not _live(user) or user.role not in READERS:
        return Community.objects.none()
    return scope_by_jurisdiction(Community.objects.all(), user, field="street").select_related(
        "street"
    )


def network_points_for_user(user: User) -> QuerySet[NetworkPoint]:
    if not _live(user) or user.role not in READERS:
        return NetworkPoint.objects.none()
    return scope_by_jurisdiction(
        NetworkPoint.objects.all(), user, field="community__street"
    ).select_related("community__street", "unit")


def network_places_for_user(user: User) -> QuerySet[Jurisdiction]:
    """The streets and parks whose network the user reads (not the district: it has no
    communities of its own)."""
    if not _live(user) or user.role not in READERS:
        return Jurisdiction.objects.none()
    return (
        jurisdictions_for_user(user)
        .filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def network_point_for_user(user: User, pk: int, *, write: bool = False) -> NetworkPoint:
    """A network point of the user's scope; 404 outside it, 403 for a leader writing."""
    points = network_points_for_user(user)
    return _fetch(points, user, pk, message="No such network point.", write=write, pk=pk)


def public_network_points() -> QuerySet[NetworkPoint]:
    """The active points of active communities, for everyone: the page shows no personal data."""
    return NetworkPoint.objects.filter(active=True, community__active=True).select_related(
        "community__street"
    )


# --- The places the standard judges ---------------------------------------------------------------


def area_places_for_user(user: User) -> QuerySet[Jurisdiction]:
    """The district (district-wide users) and the streets of the user's scope, in order."""
    if not _live(user) or user.role not in READERS:
        return Jurisdiction.objects.none()
    return (
        jurisdictions_for_user(user)
        .filter(active=True, kind__in=AREA_KINDS)
        .order_by("sort_order", "code")
    )


def area_place_for_user(user: User, code: str, *, write: bool = False) -> Jurisdiction:
    places = area_places_for_user(user)
    return _fetch(places, user, code, message="No such area.", write=write, code=code)


def criterion_for_user(user: User, code: str) -> AreaCriterion:
    """An active item of the standard that staff confirm by hand (the others are checked from
    records and have no confirmation page)."""
    from areas.standard import CONFIRMED_RULE

    criteria = AreaCriterion.objects.filter(active=True, rule=CONFIRMED_RULE)
    return _fetch(criteria, user, code, message="No such item.", write=False, code=code)


def confirmations_for_user(user: User) -> QuerySet[AreaConfirmation]:
    if not _live(user) or user.role not in READERS:
        return AreaConfirmation.objects.none()
    places = area_places_for_user(user)
    return AreaConfirmation.objects.filter(place__in=places).select_related(
        "place", "criterion", "recorded_by", "confirmed_by"
    )


def confirmation_file_for_user(user: User, pk: int) -> AreaConfirmation:
    files = confirmations_for_user(user).exclude(evidence_file="")
    return _fetch(files, user, pk, message="No such file.", write=False, pk=pk)


def activities_for_user(user: User) -> QuerySet[AreaActivity]:
    if not _live(user) or user.role not in READERS:
        return AreaActivity.objects.none()
    return AreaActivity.objects.filter(place__in=area_places_for_user(user)).select_related(
        "place", "recorded_by"
    )


def activity_for_user(user: User, pk: int, *, write: bool = False) -> AreaActivity:
    activities = activities_for_user(user)
    return _fetch(activities, user, pk, message="No such activity.", write=write, pk=pk)


# --- The year-end workflow ------------------------------------------------------------------------


def reviewer_required(user: User, requested: str) -> None:
    """Reviewing self-assessments and issuing verdicts is district-wide staff's: 403 otherwise
    (after the place itself was found in the user's scope)."""
    if not (_live(user) and user.role == Role.STAFF and user.is_district_wide):
        raise deny_write(user, model="areas.areaassessment", requested=requested)


def assessment_for_user(user: User, place: Jurisdiction, year: int) -> AreaAssessment | None:
    """The place's self-assessment for the year, if any; ``place`` came from
    ``area_place_for_user``, so it is in the user's scope."""
    if not _live(user) or user.role not in READERS:
        return None
    return (
        AreaAssessment.objects.filter(place=place, year=year)
        .select_related("place", "submitted_by", "reviewed_by")
        .first()
    )


def verdicts_for_user(user: User) -> QuerySet[AreaVerdict]:
    if not _live(user) or user.role not in READERS:
        return AreaVerdict.objects.none()
    return AreaVerdict.objects.filter(place__in=area_places_for_user(user)).select_related(
        "place", "issued_by"
    )


def public_verdicts(year: int) -> QuerySet[AreaVerdict]:
    """The issued verdicts of a year, for everyone (the page shows no names)."""
    return AreaVerdict.objects.filter(year=year).select_related("place")
