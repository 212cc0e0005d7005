"""Reads for the API's views (STYLE.md habit 1: views reach models only through selectors)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from api.models import ApiClient, IdempotentResponse
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import User
from scoring.models import TargetResult

M = TypeVar("M", bound=Model)


def empty(model: type[M]) -> QuerySet[M]:
    """An empty queryset of ``model``: what the schema generator sees, with no caller."""
    return model._default_manager.none()


def stored_response(client: ApiClient, key: str) -> IdempotentResponse | None:
    return IdempotentResponse.objects.filter(client=client, key=key).first()


def target_results(user: User, params: Any) -> QuerySet[TargetResult]:
    """The stored target results the user's scope covers: the district's for district-wide
    accounts, their streets' otherwise."""
    qs = TargetResult.objects.all()
    if not user.is_district_wide:
        codes = list(jurisdictions_for_user(user).values_list("code", flat=True))
        qs = qs.filter(scope_code__in=codes)
    period = str(params.get("period", ""))
    scope = str(params.get("scope", ""))
    if period:
        qs = qs.filter(period=period)
    if scope:
        qs = qs.filter(scope_code=scope)
    return qs
