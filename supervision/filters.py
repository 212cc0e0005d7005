"""The proposal list's filters, shared by the list page and the exports.

Everything starts from ``proposals_for_user``: a filter only narrows what the user may see. A
malformed period or a jurisdiction the user cannot choose makes the filter form invalid, and the
page answers 400 with the error (issue 19, bad input).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from lyushunkou.list_filters import JurisdictionFilter, filter_params
from lyushunkou.models import User
from lyushunkou.periods import Period
from supervision.access import warnings_for_user
from supervision.forms import PeriodField
from supervision.models import (
    EarlyWarning,
    Metric,
    ProposalKind,
    ProposalState,
    SamplingProposal,
    WarningState,
)
from supervision.selectors import proposal_list_queryset, with_rank


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField

    def filter(self, qs: QuerySet[Any], value: Period | None) -> QuerySet[Any]:
        return qs.filter(period=value.key) if value is not None else qs


class ProposalFilter(django_filters.FilterSet):
    period = PeriodFilter(label=_("Period"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ProposalState.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Grouping"), choices=ProposalKind.choices, empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        label=_("Issue category"), choices=Category.choices, empty_label=_("All")
    )
    jurisdiction = JurisdictionFilter(to_field_name="code")

    class Meta:
        model = SamplingProposal
        fields: list[str] = []


def filtered_proposals(request: HttpRequest, user: User) -> ProposalFilter:
    return ProposalFilter(
        request.GET, queryset=with_rank(proposal_list_queryset(user)), request=request
    )


def active_filter_params(request: HttpRequest) -> dict[str, str]:
    return filter_params(request, ProposalFilter)


class WarningFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=WarningState.choices, empty_label=_("All")
    )
    metric = django_filters.ChoiceFilter(
        label=_("What rose"), choices=Metric.choices, empty_label=_("All")
    )
    jurisdiction = JurisdictionFilter(to_field_name="code")

    class Meta:
        model = EarlyWarning
        fields: list[str] = []


def filtered_warnings(request: HttpRequest, user: User) -> WarningFilter:
    return WarningFilter(request.GET, queryset=warnings_for_user(user), request=request)
