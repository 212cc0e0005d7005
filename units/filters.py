"""The staff unit list's filters (django-filter), shared by the list page and the exports.

Everything starts from ``units_for_user``: a filter can only narrow what the user may see. A
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.
A jurisdiction includes the jurisdictions below it, as the figures count them.

``MultipleValueFilter``, ``filter_params`` and ``active_filters`` are shared with the complaint
and sampling lists: a filter that takes several values (``?x=a&x=b``), so that a list can show
exactly the records a figure of the dashboard counts (scoring.targets.dashboard), and the filters
in force, for the lists' links and export audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from lyushunkou.access import jurisdictions_for_user, within
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import Jurisdiction, User
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

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


# --- Filters of several values, shared by the staff lists -------------------------------------


def split_values(values: list[str]) -> list[str]:
    """``["a", "b,c", ""]`` → ``["a", "b", "c"]``: repeated and comma-separated values alike."""
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


class ValuesCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that also read one comma-separated value (``?x=a,b``, the form the export links
    and audit events carry) and ignore an empty one (``?x=``, the "All" of the single select
    these filters replaced), so links made for the old single-value filters keep working."""

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        values = super().value_from_datadict(data, files, name)
        if isinstance(values, str):  # a plain dict's single value
            values = [values]
        return split_values(list(values or []))


class MultipleValueFilter(django_filters.MultipleChoiceFilter):
    """Records with any of the chosen values: ``?x=a&x=b`` or ``?x=a,b``; ``?x=a`` as before.

    One ``IN`` condition and no ``DISTINCT`` (the field is a column of the listed model, so no
    row can repeat), which keeps the lists' queries as they were.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ValuesCheckboxes)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: list[str]) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": sorted(set(value))})


def filter_params(
    request: HttpRequest, filterset: type[django_filters.FilterSet]
) -> dict[str, str]:
    """The filters in the query string that are set, one string each (several values joined by
    commas, which the filters read back): for the export links and the exports' audit events."""
    params: dict[str, str] = {}
    for name, declared in filterset.base_filters.items():
        if isinstance(declared, django_filters.MultipleChoiceFilter):
            value = ",".join(split_values(request.GET.getlist(name)))
        else:
            value = request.GET.get(name, "")
        if value:
            params[name] = value
    return params


def active_filters(bound: django_filters.FilterSet) -> dict[str, str]:
    """The filters set in the query string of a list's bound filter (``filter_params``)."""
    return filter_params(bound.request, type(bound))


def _active_station(registered_by: dt.date | None = None) -> Exists:
    stations = ServiceStation.objects.filter(unit=OuterRef("pk"), active=True)
    if registered_by is not None:
        stations = stations.filter(registered_on__lte=registered_by)
    return Exists(stations)


def unit_list_queryset(user: User) -> QuerySet[Unit]:
    """The user's units with what the list and the exports show, in a fixed number of queries."""
    return units_for_user(user).annotate(has_station=_active_station()).order_by("-id")


def _jurisdiction_choices(request: HttpRequest | None) -> QuerySet[Jurisdiction]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return Jurisdiction.objects.none()
    return jurisdictions_for_user(user).order_by("sort_order", "code")


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", max_length=100
    )
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"),
        queryset=_jurisdiction_choices,
        empty_label=_("All"),
        method="filter_jurisdiction",
    )
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

    def filter_jurisdiction(
        self, queryset: QuerySet[Unit], name: str, value: Jurisdiction | None
    ) -> QuerySet[Unit]:
        return queryset.filter(within(value))

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
