"""Filters of the demonstration-application list (staff and leaders)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import User
from units.models import ApplicationStatus, DemonstrationApplication


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=ApplicationStatus.choices)
    year = django_filters.NumberFilter(label=_("year"))
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("jurisdiction"), field_name="unit__jurisdiction", queryset=None
    )
    q = django_filters.CharFilter(
        label=_("unit name"), field_name="unit__name", lookup_expr="icontains"
    )

    class Meta:
        model = DemonstrationApplication
        fields: list[str] = []

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["jurisdiction"].queryset = jurisdictions_for_user(user)
