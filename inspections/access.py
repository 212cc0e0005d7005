"""Access helpers for sampling, checks and enforcement records (STYLE.md habit 1).

Staff see the records of their jurisdiction scope (a batch by its jurisdiction, everything else by
its unit's); leaders read everything; operators read their own units' sampling batches, checks and
findings (and record rectification of their findings); other roles see nothing. ``write=True``
narrows to staff. Outside the scope the answer is 404 and the attempt is audited.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from inspections.models import (
    CheckItem,
    DishonestListing,
    Finding,
    OnSiteCheck,
    Penalty,
    SafetyIncident,
    SamplingBatch,
)
from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
from lyushunkou.models import Role, User

M = TypeVar("M", bound=Model)


def _live(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _check_write(user: User, model: str, key: object) -> None:
    if user.role != Role.STAFF:
        raise deny_write(user, model=model, requested=key)


def _by_unit(qs: QuerySet[M], user: User, *, operators: bool) -> QuerySet[M]:
    """Records that hang off a unit: staff by the unit's jurisdiction, operators their own."""
    if not _live(user):
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user) if operators else qs.none()
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def _fetch(qs: QuerySet[M], user: User, pk: object, label: str) -> M:
    return fetch_or_deny(qs, user, requested=pk, model=label, pk=pk)


# --- Sampling batches --------------------------------------------------------------------------


def batches_for_user(user: User) -> QuerySet[SamplingBatch]:
    qs = SamplingBatch.objects.select_related("jurisdiction", "unit")
    if not _live(user):
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user)
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user)
    return qs.none()


def batch_for_user(user: User, pk: object, *, write: bool = False) -> SamplingBatch:
    if write:
        _check_write(user, "inspections.samplingbatch", pk)
    return _fetch(batches_for_user(user), user, pk, "inspections.samplingbatch")


# --- On-site checks and findings ---------------------------------------------------------------


def checks_for_user(user: User) -> QuerySet[OnSiteCheck]:
    qs = OnSiteCheck.objects.select_related("unit", "unit__jurisdiction", "staff")
    return _by_unit(qs, user, operators=True)


def check_for_user(user: User, pk: object, *, write: bool = False) -> OnSiteCheck:
    if write:
        _check_write(user, "inspections.onsitecheck", pk)
    return _fetch(checks_for_user(user), user, pk, "inspections.onsitecheck")


def check_items_for_user(user: User) -> QuerySet[CheckItem]:
    """Checklist items (and their photos) of the checks ``user`` may see."""
    checks = checks_for_user(user).values("pk")
    return CheckItem.objects.select_related("check_record").filter(check_record__in=checks)


def check_item_for_user(user: User, pk: object) -> CheckItem:
    return _fetch(check_items_for_user(user), user, pk, "inspections.checkitem")


def findings_for_user(user: User) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("unit", "unit__jurisdiction", "check_record")
    return _by_unit(qs, user, operators=True)


def finding_for_user(user: User, pk: object, *, write: bool = False) -> Finding:
    """``write`` lets staff of the scope and the unit's operator (who records rectification)."""
    if write and user.role not in (Role.STAFF, Role.OPERATOR):
        _check_write(user, "inspections.finding", pk)
    return _fetch(findings_for_user(user), user, pk, "inspections.finding")


# --- Penalties, dishonest listings, safety incidents (staff and leaders only) ----------------


def penalties_for_user(user: User) -> QuerySet[Penalty]:
    qs = Penalty.objects.select_related("unit", "unit__jurisdiction")
    return _by_unit(qs, user, operators=False)


def listings_for_user(user: User) -> QuerySet[DishonestListing]:
    qs = DishonestListing.objects.select_related("unit", "unit__jurisdiction")
    return _by_unit(qs, user, operators=False)


def incidents_for_user(user: User) -> QuerySet[SafetyIncident]:
    qs = SafetyIncident.objects.select_related("unit", "unit__jurisdiction")
    return _by_unit(qs, user, operators=False)


RECORDS_FOR_USER = {
    "penalties": penalties_for_user,
    "listings": listings_for_user,
    "incidents": incidents_for_user,
}


def record_for_user(user: User, kind: str, pk: object, *, write: bool = False) -> Model:
    label = f"inspections.{kind}"
    if kind not in RECORDS_FOR_USER:
        raise Http404("Not found.")
    if write:
        _check_write(user, label, pk)
    return _fetch(RECORDS_FOR_USER[kind](user), user, pk, label)
