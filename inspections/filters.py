"""The sampling list's filters, shared by the list page and the exports.

Everything starts from ``batches_for_user``: a filter only narrows what the user may see. A
jurisdiction includes the jurisdictions below it, as the figures count them; sampling type and
final result take several values (``?sampling_type=supervisory&sampling_type=evaluative``), so
the list shows exactly the batches a target counts (inspections.figures.pass_rate_types).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    CheckType,
    OnSiteCheck,
    ProductCategory,
    SamplingBatch,
    SamplingResult,
    SamplingStage,
    SamplingType,
    stage_condition,
)
from inspections.selectors import overdue_condition, sampling_list_queryset
from lyushunkou.as_of import recorded_to_filter
from lyushunkou.list_filters import JurisdictionFilter, MultipleValueFilter, active_filters
from lyushunkou.models import User
from lyushunkou.staff_lists import FilteredList
from lyushunkou.widgets import DatePicker
from units.credit_codes import normalize_credit_code

YES = [("yes", _("Yes"))]


class SamplingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sample number or product"), method="filter_text", max_length=100
    )
    sampling_type = MultipleValueFilter(label=_("Sampling type"), choices=SamplingType.choices)
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ProductCategory.choices, empty_label=_("All")
    )
    final_result = MultipleValueFilter(label=_("Final result"), choices=SamplingResult.choices)
    stage = django_filters.ChoiceFilter(
        label=_("Sampling stage"),
        choices=SamplingStage.choices,
        method="filter_stage",
        empty_label=_("All"),
    )
    jurisdiction = JurisdictionFilter()
    unit = django_filters.CharFilter(
        label=_("Sampled unit (name or credit code)"), method="filter_unit", max_length=100
    )
    sampled_from = django_filters.DateFilter(
        label=_("Sampled from"), field_name="sampled_on", lookup_expr="gte", widget=DatePicker()
    )
    sampled_to = django_filters.DateFilter(
        label=_("Sampled to"), field_name="sampled_on", lookup_expr="lte", widget=DatePicker()
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Disposal overdue"), choices=YES, method="filter_overdue", empty_label=_("All")
    )
    recorded_to = recorded_to_filter()  # a dashboard figure's instant (lyushunkou.as_of)

    class Meta:
        model = SamplingBatch
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["unit"].widget.attrs.setdefault("placeholder", _("Name or credit code"))

    def filter_text(
        self, queryset: QuerySet[SamplingBatch], name: str, value: str
    ) -> QuerySet[SamplingBatch]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(sample_no__startswith=text) | Q(product_name__icontains=text))

    def filter_unit(
        self, queryset: QuerySet[SamplingBatch], name: str, value: str
    ) -> QuerySet[SamplingBatch]:
        text = value.strip()
        if not text:
            return queryset
        condition = Q(sampled_unit_name__icontains=text) | Q(unit__name__icontains=text)
        code = normalize_credit_code(text)
        if code:
            condition |= Q(sampled_unit_credit_code__startswith=code)
        return queryset.filter(condition)

    def filter_stage(
        self, queryset: QuerySet[SamplingBatch], name: str, value: str
    ) -> QuerySet[SamplingBatch]:
        # As inspections.figures counts it: a batch without a stage at its category's default.
        return queryset.filter(stage_condition(value)) if value else queryset

    def filter_overdue(
        self, queryset: QuerySet[SamplingBatch], name: str, value: str
    ) -> QuerySet[SamplingBatch]:
        if value == "yes":
            return queryset.filter(overdue_condition(timezone.localdate()))
        return queryset


def filtered_batches(request: HttpRequest, user: User) -> SamplingFilter:
    return SamplingFilter(request.GET, queryset=sampling_list_queryset(user), request=request)


# The sampling list, its page and its export (inspections.exports.SAMPLING_LIST).
FILTERED_BATCHES = FilteredList(filtered=filtered_batches, active_filters=active_filters)


class CheckFilter(django_filters.FilterSet):
    """The on-site check list's one filter, a form so the list gets the staff lists' panel."""

    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="check_type", choices=CheckType.choices, empty_label=_("All")
    )

    class Meta:
        model = OnSiteCheck
        fields: list[str] = []
