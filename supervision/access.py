"""Access helpers for sampling proposals and inspection plans (STYLE.md habit 1).

Both are bound to a street: staff see those of their scope (all, or their street), leaders read
everything, other roles nothing. ``write=True`` narrows to staff. Outside the scope the answer is
404, as if the object did not exist, and the attempt is audited.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from lyushunkou import audit
from lyushunkou.access import scope_by_jurisdiction
from lyushunkou.models import Role, User
from supervision.models import SamplingProposal

M = TypeVar("M", bound=Model)


def _scoped(qs: QuerySet[M], user: User) -> QuerySet[M]:
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user)
    return qs.none()


def _fetch(qs: QuerySet[M], user: User, pk: object, *, write: bool, label: str) -> M:
    if write and user.role != Role.STAFF:
        audit.record(
            "access.denied",
            actor=user,
            outcome=audit.Outcome.DENIED,
            model=label,
            requested=str(pk),
            write=True,
        )
        raise PermissionDenied
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        audit.record(
            "access.denied",
            actor=user if user.is_authenticated else None,
            outcome=audit.Outcome.DENIED,
            model=label,
            requested=str(pk),
        )
        raise Http404("Not found.") from None


def proposals_for_user(user: User) -> QuerySet[SamplingProposal]:
    return _scoped(SamplingProposal.objects.select_related("jurisdiction", "decided_by"), user)


def proposal_for_user(user: User, pk: object, *, write: bool = False) -> SamplingProposal:
    return _fetch(
        proposals_for_user(user), user, pk, write=write, label="supervision.samplingproposal"
    )
