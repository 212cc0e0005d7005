"""The staff unit list's filters (django-filter), shared by the list page and the exports.

Everything starts from ``units_for_user``: a filter can only narrow what the user may see. A
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Jurisdiction, User
from units.access import units_for_user
from units.credit_codes import normalize_credit_code
from units.models import (
    BusinessStatus,
    Commitment,
    DemonstrationStatus,
    Industry,
    ServiceStation,
    Unit,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _active_station() -> Exists:
    return Exists(ServiceStation.objects.filter(unit=OuterRef("pk"), active=True))


def unit_list_queryset(user: User) -> QuerySet[Unit]:
    """The user's units with what the list and the exports show, in a fixed number of queries."""
    return units_for_user(user).annotate(has_station=_active_station()).order_by("-id")


def _jurisdiction_choices(request: HttpRequest | None) -> QuerySet[Jurisdiction]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return Jurisdiction.objects.none()
    return jurisdictions_for_user(user).order_by("sort_order", "code")


class UnitFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", max_length=100
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"), queryset=_jurisdiction_choices, empty_label=_("All")
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), choices=Industry.choices, empty_label=_("All")
    )
    business_status = django_filters.ChoiceFilter(
        label=_("Business status"), choices=BusinessStatus.choices, empty_label=_("All")
    )
    demonstration_status = django_filters.ChoiceFilter(
        label=_("Demonstration status"), choices=DemonstrationStatus.choices, empty_label=_("All")
    )
    commitment = django_filters.ChoiceFilter(
        label=_("Commitment in force"),
        choices=Commitment.Kind.choices,
        method="filter_commitment",
        empty_label=_("All"),
    )
    has_station = django_filters.ChoiceFilter(
        label=_("12315 service station"),
        choices=YES_NO,
        method="filter_station",
        empty_label=_("All"),
    )

    class Meta:
        model = Unit
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs.setdefault("placeholder", _("Name or credit code"))

    def filter_text(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        text = value.strip()
        if not text:
            return queryset
        condition = Q(name__icontains=text)
        code = normalize_credit_code(text)
        if code:
            # Codes are stored compact and upper-case: a pasted, spaced or full-width prefix works.
            condition |= Q(credit_code__startswith=code)
        return queryset.filter(condition)

    def filter_commitment(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        if not value:
            return queryset
        in_force = Commitment.objects.filter(unit=OuterRef("pk"), kind=value, active=True)
        return queryset.filter(Exists(in_force))

    def filter_station(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        if value == "yes":
            return queryset.filter(_active_station())
        if value == "no":
            return queryset.filter(~_active_station())
        return queryset


def filtered_units(request: HttpRequest, user: User) -> UnitFilter:
    """The bound filter for this request (filters come from the query string)."""
    return UnitFilter(request.GET, queryset=unit_list_queryset(user), request=request)


def active_filter_params(request: HttpRequest) -> dict[str, str]:
    """The filters in the query string that are set, for links and the export's audit event."""
    params = {name: request.GET.get(name, "") for name in UnitFilter.base_filters}
    return {name: value for name, value in params.items() if value}
