"""What the staff lists' filters (django-filter) share, whichever app lists what.

- ``MultipleValueFilter``: a filter that takes several values (``?x=a&x=b`` or ``?x=a,b``), so
  that a list can show exactly the records a figure of the dashboard counts.
- ``JurisdictionFilter``: a jurisdiction of the user's scope, meaning it and every jurisdiction
  below it, as the figures count them. A jurisdiction outside the scope is not a valid choice, so
  it is ignored rather than obeyed.
- ``filter_params`` and ``active_filters``: the filters in force, for the lists' links and the
  exports' audit events.
- ``YES_NO``: the choices of a yes-or-no filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from lyushunkou.access import jurisdictions_for_user, within
from lyushunkou.models import Jurisdiction, User

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


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


def jurisdiction_choices(request: HttpRequest | None) -> QuerySet[Jurisdiction]:
    """The jurisdictions a list may be filtered by: the user's scope (none without a user)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return Jurisdiction.objects.none()
    return jurisdictions_for_user(user).order_by("sort_order", "code")


class JurisdictionFilter(django_filters.ModelChoiceFilter):
    """Records of a jurisdiction of the user's scope and of the jurisdictions below it, through
    the foreign key ``field_name`` (``"unit__jurisdiction"`` for records bound through their
    unit); "All" by default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Jurisdiction"))
        kwargs.setdefault("queryset", jurisdiction_choices)
        kwargs.setdefault("empty_label", _("All"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Jurisdiction | None) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(within(value, self.field_name))
