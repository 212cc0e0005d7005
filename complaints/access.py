"""Access helpers for complaints (STYLE.md habit 1).

Staff see the complaints of their scope; leaders read all (personal data stays masked for them);
operators see only complaints against their own units, only once forwarded to them (ODR), and
never reports (举报), whose reporters are never identified to the business concerned.
"""

from __future__ import annotations

from django.db.models import QuerySet

from complaints.models import Complaint, Kind
from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
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
        raise deny_write(user, model="complaints.complaint", requested=pk)
    return fetch_or_deny(complaints_for_user(user), user, requested=pk, pk=pk)
