"""Filters of the reports list: kind, state, scope and period (a year matches its quarters and
months too), in the URL like every staff list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from scoring.models import Report


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Report.Kind.choices, empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Report.State.choices, empty_label=_("All")
    )
    scope_code = django_filters.ChoiceFilter(label=_("Scope"), empty_label=_("All"))
    period = django_filters.CharFilter(label=_("Period"), method="filter_period", max_length=7)

    class Meta:
        model = Report
        fields: list[str] = []

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["scope_code"].choices = [("", _("All")), *scopes]
        self.form.fields["period"].widget.attrs.setdefault(
            "placeholder", "2026 / 2026-Q3 / 2026-10"
        )

    def filter_period(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        text = value.strip().upper()
        if not text:
            return queryset
        # "2026" also finds 2026-Q1…Q4 and 2026-01…12: what a leader looking for a year wants.
        return queryset.filter(Q(period=text) | Q(period__startswith=f"{text}-"))
