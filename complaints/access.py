"""Access helpers for complaints (STYLE.md habit 1).

Staff see the complaints of their scope; leaders read all (personal data stays masked for them);
operators see only complaints against their own units, only once forwarded to them (ODR), and
never reports (举报), whose reporters are never identified to the business concerned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from complaints.models import Complaint, Kind
from lyushunkou import audit
from lyushunkou.access import scope_by_jurisdiction
from lyushunkou.models import Role, User


def complaints_for_user(user: User) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("jurisdiction", "unit")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user, kind=Kind.COMPLAINT, odr_forwarded_on__isnull=False)
    if user.role in (Role.STAFF, Role.LEADER):
        return scope_by_jurisdiction(qs, user)
    return qs.none()


def complaint_for_user(user: User, pk: int, *, write: bool = False) -> Complaint:
    if write and user.role not in (Role.STAFF, Role.OPERATOR):
        audit.record(
            "access.denied",
            actor=user,
            outcome=audit.Outcome.DENIED,
            model="complaints.complaint",
            requested=str(pk),
            write=True,
        )
        raise PermissionDenied
    try:
        return complaints_for_user(user).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError):
        audit.record(
            "access.denied",
            actor=user,
            outcome=audit.Outcome.DENIED,
            model="complaints.complaint",
            requested=str(pk),
        )
        raise Http404("Not found.") from None
