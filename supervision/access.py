"""Access helpers for sampling proposals and inspection plans (STYLE.md habit 1).

Both are bound to a jurisdiction: staff see those of their scope (all, or their street; and the
district's plans), leaders read everything, other roles nothing. ``write=True`` narrows to staff.
Outside the scope the answer is 404, as if the object did not exist, and the attempt is audited.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
from lyushunkou.models import Jurisdiction, Role, User
from supervision.models import (
    EarlyWarning,
    IdentityMatch,
    InspectionPlan,
    PlanState,
    SamplingProposal,
)

M = TypeVar("M", bound=Model)


def _scoped(qs: QuerySet[M], user: User) -> QuerySet[M]:
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user)
    return qs.none()


def _fetch(qs: QuerySet[M], user: User, pk: object, *, write: bool, label: str) -> M:
    if write and user.role != Role.STAFF:
        raise deny_write(user, model=label, requested=pk)
    return fetch_or_deny(qs, user, requested=pk, model=label, pk=pk)


def proposals_for_user(user: User) -> QuerySet[SamplingProposal]:
    return _scoped(SamplingProposal.objects.select_related("jurisdiction", "decided_by"), user)


def proposal_for_user(user: User, pk: object, *, write: bool = False) -> SamplingProposal:
    return _fetch(
        proposals_for_user(user), user, pk, write=write, label="supervision.samplingproposal"
    )


# --- Inspection plans --------------------------------------------------------------------------


def plans_for_user(user: User) -> QuerySet[InspectionPlan]:
    """A street's staff also read the district's plans, which draw in their street too (the
    plan's page then shows their street only); writing those is for district-wide staff."""
    qs = InspectionPlan.objects.select_related("jurisdiction", "created_by", "published_by")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.STAFF and user.jurisdiction_id:
        return qs.filter(
            Q(jurisdiction__kind=Jurisdiction.Kind.DISTRICT)
            | Q(jurisdiction_id=user.jurisdiction_id)
            | Q(jurisdiction__parent_id=user.jurisdiction_id)
        )
    return _scoped(qs, user)


def plan_for_user(user: User, pk: object, *, write: bool = False) -> InspectionPlan:
    label = "supervision.inspectionplan"
    plan = _fetch(plans_for_user(user), user, pk, write=write, label=label)
    if write and not user.is_district_wide and plan.jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        raise deny_write(user, model=label, requested=pk)
    return plan


def published_plans() -> QuerySet[InspectionPlan]:
    return (
        InspectionPlan.objects.select_related("jurisdiction")
        .filter(state=PlanState.PUBLISHED)
        .order_by("-period", "-published_at", "-pk")
    )


def published_plan(pk: int) -> InspectionPlan:
    """A published plan, for the public (双随机一公开); a draft is as if it did not exist."""
    try:
        return InspectionPlan.objects.select_related("jurisdiction").get(
            pk=pk, state=PlanState.PUBLISHED
        )
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.") from None


# --- Early warnings ----------------------------------------------------------------------------


def warnings_for_user(user: User) -> QuerySet[EarlyWarning]:
    qs = EarlyWarning.objects.select_related("jurisdiction", "unit", "acknowledged_by", "closed_by")
    return _scoped(qs, user)


def warning_for_user(user: User, pk: object, *, write: bool = False) -> EarlyWarning:
    return _fetch(warnings_for_user(user), user, pk, write=write, label="supervision.earlywarning")


# --- Identity matches --------------------------------------------------------------------------


def matches_for_user(user: User) -> QuerySet[IdentityMatch]:
    """Bound to the new unit's street: its staff decide whether the unit may join the programme.
    The matched unit may lie in another street; the match shows what it shares and why it
    matters, not the matched unit's records."""
    qs = IdentityMatch.objects.select_related(
        "unit__jurisdiction", "matched_unit__jurisdiction", "decided_by"
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def match_for_user(user: User, pk: object, *, write: bool = False) -> IdentityMatch:
    return _fetch(matches_for_user(user), user, pk, write=write, label="supervision.identitymatch")
