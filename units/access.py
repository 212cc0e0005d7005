"""Access helpers for units and everything that hangs off them (STYLE.md habit 1).

Who sees what: operators their own units; staff the units of their scope (all, or their street);
leaders read everything; other roles nothing. ``write=True`` narrows to those who may change:
leaders never, operators only their own units, staff within their scope. Outside the scope the
answer is 404, as if the object did not exist, and the attempt is audited.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
from lyushunkou.models import Role, User
from units.models import DemonstrationApplication, EvidenceFile, Unit
from units.models_claims import UnitClaim


def units_for_user(user: User) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("jurisdiction", "owner")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(owner=user)
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user)
    return qs.none()


def _check_write(user: User, model: str, key: object) -> None:
    if user.role not in (Role.STAFF, Role.OPERATOR):
        raise deny_write(user, model=model, requested=key)


def unit_for_user(user: User, pk: int, *, write: bool = False) -> Unit:
    if write:
        _check_write(user, "units.unit", pk)
    return fetch_or_deny(units_for_user(user), user, requested=pk, pk=pk)


def applications_for_user(user: User) -> QuerySet[DemonstrationApplication]:
    qs = DemonstrationApplication.objects.select_related("unit", "unit__jurisdiction")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user)
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def application_for_user(user: User, pk: int, *, write: bool = False) -> DemonstrationApplication:
    if write:
        _check_write(user, "units.demonstrationapplication", pk)
    return fetch_or_deny(applications_for_user(user), user, requested=pk, pk=pk)


def evidence_for_user(user: User, pk: int) -> EvidenceFile:
    evidence = EvidenceFile.objects.select_related("unit")
    return fetch_or_deny(evidence, user, requested=pk, pk=pk, unit__in=units_for_user(user))


def claims_for_user(user: User) -> QuerySet[UnitClaim]:
    qs = UnitClaim.objects.select_related("unit", "unit__jurisdiction", "claimant")
    if user.is_authenticated and user.role == Role.STAFF:
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def claim_for_user(user: User, pk: int) -> UnitClaim:
    return fetch_or_deny(claims_for_user(user), user, requested=pk, pk=pk)


def public_unit(public_id: str) -> Unit:
    """The plaque page's unit: anyone may see a unit that is or was a demonstration unit, or
    whose application is in public notice (公示)."""
    in_notice = DemonstrationApplication.objects.filter(unit=OuterRef("pk"), status="notice")
    try:
        return (
            Unit.objects.select_related("jurisdiction", "station")
            .filter(~Q(demonstration_status="none") | Exists(in_notice))
            .exclude(verified_at__isnull=True)
            .get(public_id=public_id)
        )
    except Unit.DoesNotExist:
        raise Http404("Not found.") from None
