"""The staff unit list's filters (django-filter), shared by the list page and the exports.

Everything starts from ``units_for_user``: a filter can only narrow what the user may see. A
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.
A jurisdiction includes the jurisdictions below it, as the figures count them.

What every staff list's filters share (several values, the jurisdiction, the filters in force)
is ``lyushunkou.list_filters``'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.list_filters import (
    YES_NO,
    JurisdictionFilter,
    MultipleValueFilter,
    active_filters,
)
from lyushunkou.models import User
from lyushunkou.staff_lists import FilteredList
from lyushunkou.widgets import DatePicker
from units.access import units_for_user
from units.models import (
    BusinessStatus,
    Commitment,
    DemonstrationStatus,
    Industry,
    ServiceStation,
    Unit,
)
from units.search import name_matches
from units.services_status import revocation_due


def _active_station(registered_by: dt.date | None = None) -> Exists:
    stations = ServiceStation.objects.filter(unit=OuterRef("pk"), active=True)
    if registered_by is not None:
        stations = stations.filter(registered_on__lte=registered_by)
    return Exists(stations)


def unit_list_queryset(user: User) -> QuerySet[Unit]:
    """The user's units with what the list and the exports show, in a fixed number of queries."""
    return units_for_user(user).annotate(has_station=_active_station()).order_by("-id")


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", max_length=100
    )
    jurisdiction = JurisdictionFilter()
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), choices=Industry.choices, empty_label=_("All")
    )
    business_status = django_filters.ChoiceFilter(
        label=_("Business status"), choices=BusinessStatus.choices, empty_label=_("All")
    )
    # Several at once: station coverage counts approved units and units in warning.
    demonstration_status = MultipleValueFilter(
        label=_("Demonstration status"), choices=DemonstrationStatus.choices
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
    # Warnings past their rectification deadline: staff decide on revocation (摘牌).
    revocation_due = django_filters.ChoiceFilter(
        label=_("Due for revocation"),
        choices=[("yes", _("Yes"))],
        method="filter_revocation_due",
        empty_label=_("All"),
    )
    # As the station coverage of a period counts them (scoring.targets.station_figures): units
    # whose certificate is valid on that day (issued by then and not expired; a certificate's
    # expiry does not change the status, so the status filter alone would keep it) and, with the
    # station filter, stations registered by then. Revoked units leave by their status.
    as_of = django_filters.DateFilter(
        label=_("As of"),
        method="filter_as_of",
        widget=DatePicker(),
        help_text=_(
            "Only certificates valid on this day (issued by then, not expired) and 12315 "
            "stations registered by then count."
        ),
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
        condition = name_matches(queryset, text)  # indexed for two characters on PostgreSQL
        code = normalize_credit_code(text)
        if code:
            # Codes are stored compact and upper-case: a pasted, spaced or full-width prefix works.
            condition |= Q(credit_code__startswith=code)
        return queryset.filter(condition)

    def _as_of(self) -> dt.date | None:
        value = self.form.cleaned_data.get("as_of")
        return value if isinstance(value, dt.date) else None

    def filter_as_of(
        self, queryset: QuerySet[Unit], name: str, value: dt.date | None
    ) -> QuerySet[Unit]:
        if value is None:
            return queryset
        return queryset.filter(
            Q(certified_from__isnull=True) | Q(certified_from__lte=value),
            Q(certified_until__isnull=True) | Q(certified_until__gte=value),
        )

    def filter_commitment(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        if not value:
            return queryset
        in_force = Commitment.objects.filter(unit=OuterRef("pk"), kind=value, active=True)
        return queryset.filter(Exists(in_force))

    def filter_revocation_due(
        self, queryset: QuerySet[Unit], name: str, value: str
    ) -> QuerySet[Unit]:
        if value != "yes":
            return queryset
        return queryset.filter(revocation_due())

    def filter_station(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        station = _active_station(registered_by=self._as_of())
        if value == "yes":
            return queryset.filter(station)
        if value == "no":
            return queryset.filter(~station)
        return queryset


def filtered_units(request: HttpRequest, user: User) -> UnitFilter:
    """The bound filter for this request (filters come from the query string)."""
    return UnitFilter(request.GET, queryset=unit_list_queryset(user), request=request)


# The staff unit list, its page and its export (units.exports.UNIT_LIST).
FILTERED_UNITS = FilteredList(filtered=filtered_units, active_filters=active_filters)
