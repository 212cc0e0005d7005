"""Access helpers: the only way views fetch scoped objects (STYLE.md habit 1).

Each scoped model gets a ``<model>s_for_user(user)`` queryset and a ``<model>_for_user(user, key)``
fetcher that raises Http404 outside the user's scope, so that an object the user may not see is
indistinguishable from one that does not exist. Other apps scope their own models with
``scope_by_jurisdiction``, and narrow records to one jurisdiction and those below it with
``within``. Every fetcher answers a refusal the same way, through ``fetch_or_deny`` (404) and
``deny_write`` (403), each of which records an ``access.denied`` audit event.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet, Subquery
from django.http import Http404

from lyushunkou import audit
from lyushunkou.models import Jurisdiction, Role, User

M = TypeVar("M", bound=Model)


def deny(user: User, *, model: str, requested: object, **detail: Any) -> None:
    """Record an ``access.denied`` audit event: ``model`` is the app label and model name
    ("units.unit"), ``requested`` the key asked for; an anonymous user is recorded as no actor."""
    audit.record(
        "access.denied",
        actor=user if user.is_authenticated else None,
        outcome=audit.Outcome.DENIED,
        model=model,
        requested=str(requested),
        **detail,
    )


def deny_write(user: User, *, model: str, requested: object, **detail: Any) -> PermissionDenied:
    """Record a refused write (``write=True`` in the event) and return the 403 to raise."""
    deny(user, model=model, requested=requested, write=True, **detail)
    return PermissionDenied()


def fetch_or_deny(
    queryset: QuerySet[M],
    user: User,
    *,
    requested: object,
    model: str = "",
    message: str = "Not found.",
    audit_anonymous: bool = True,
    detail: dict[str, Any] | None = None,
    **lookup: Any,
) -> M:
    """The one record of ``queryset`` (the user's scope) matching ``lookup``; otherwise an
    audited Http404, so that a record outside the scope is indistinguishable from none.

    A malformed key (ValueError, TypeError) is a record that does not exist. ``model`` defaults
    to the queryset's model label; ``detail`` adds facts to the audit event; with
    ``audit_anonymous=False`` an anonymous visitor's miss is not recorded.
    """
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        if audit_anonymous or user.is_authenticated:
            label = model or queryset.model._meta.label_lower
            deny(user, model=label, requested=requested, **(detail or {}))
        raise Http404(message) from None


def jurisdiction_scope(user: User) -> Jurisdiction | None:
    """The jurisdiction a street-scoped staff member is limited to; None when district-wide."""
    return user.jurisdiction if user.role == Role.STAFF else None


class _AmongIds(Func):
    """``column = ANY(ARRAY(SELECT id ...))`` on PostgreSQL: the ids are read once (an InitPlan)
    and the column's index is used with that list, instead of an OR across a join on the tree
    for every row (issue 17: the street filter). ``column IN (SELECT id ...)`` elsewhere."""

    conditional = True
    output_field = BooleanField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        params = (*column_params, *subquery_params)
        if connection.vendor == "postgresql":
            return f"{column_sql} = ANY(ARRAY{subquery_sql})", params
        return f"{column_sql} IN {subquery_sql}", params


def _at_or_below(pk: int, field: str) -> Q:
    ids = Jurisdiction.objects.filter(Q(pk=pk) | Q(parent_id=pk)).values("pk")
    return Q(_AmongIds(F(f"{field}_id"), Subquery(ids)))


def within(jurisdiction: Jurisdiction | None, field: str = "jurisdiction") -> Q:
    """Records of ``jurisdiction`` and the jurisdictions below it, through the foreign key
    ``field`` (``"unit__jurisdiction"`` for records bound through their unit).

    An empty Q — every record — for None and for the district, which every jurisdiction is in.
    """
    if jurisdiction is None or jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
        return Q()
    return _at_or_below(jurisdiction.pk, field)


def scope_by_jurisdiction(
    qs: QuerySet[M], user: User, *, field: str = "jurisdiction"
) -> QuerySet[M]:
    """Limit a queryset of jurisdiction-bound records to what staff and leaders may see.

    District-wide staff and leaders see everything; street-scoped staff see their jurisdiction and
    the jurisdictions below it; every other role sees nothing through this helper (operators reach
    their own records through ownership, in their app's helpers).
    """
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_district_wide:
        return qs
    if user.role == Role.STAFF and user.jurisdiction_id:
        return qs.filter(_at_or_below(user.jurisdiction_id, field))
    return qs.none()


def jurisdictions_for_user(user: User) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.select_related("parent")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_district_wide:
        return qs
    if user.role == Role.STAFF and user.jurisdiction_id:
        return qs.filter(Q(pk=user.jurisdiction_id) | Q(parent_id=user.jurisdiction_id))
    return qs.none()


def jurisdiction_for_user(user: User, code: str) -> Jurisdiction:
    """The worked example of the pattern: one fetcher per scoped model, 404 outside the scope."""
    return fetch_or_deny(
        jurisdictions_for_user(user),
        user,
        requested=code,
        message="No such jurisdiction.",
        audit_anonymous=False,
        code=code,
    )
