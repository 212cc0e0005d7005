"""The staff complaint list's filters (django-filter); the exports use the same filter.

Everything starts from ``complaints_for_user``: a filter only narrows what the user may see, and a
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.access import complaints_for_user
from complaints.clocks import DUE_SOON_DAYS
from complaints.models import OPEN_STATUSES, Category, Channel, Complaint, Kind, Status
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Jurisdiction, User
from lyushunkou.widgets import DatePicker
from lyushunkou.workdays import add_workdays

CLOCK_CHOICES = [
    ("overdue", _("Overdue")),
    ("due_soon", _("Due within %(days)s working days") % {"days": DUE_SOON_DAYS}),
    ("provisional", _("Provisional deadline")),
]
SORT_CHOICES = [
    ("due", _("Due date, earliest first")),
    ("-due", _("Due date, latest first")),
    ("received", _("Received, oldest first")),
]


def complaint_list_queryset(user: User) -> QuerySet[Complaint]:
    return complaints_for_user(user).order_by("-received_at", "-id")


def _jurisdiction_choices(request: HttpRequest | None) -> QuerySet[Jurisdiction]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return Jurisdiction.objects.none()
    return jurisdictions_for_user(user).order_by("sort_order", "code")


class ComplaintFilter(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("Record number"), method="filter_record_no")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    jurisdiction = django_filters.ModelChoiceFilter(
        label=_("Jurisdiction"),
        queryset=_jurisdiction_choices,
        empty_label=_("All"),
        method="filter_jurisdiction",
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        label=_("Issue category"), choices=Category.choices, empty_label=_("All")
    )
    respondent = django_filters.CharFilter(
        label=_("Respondent"), method="filter_respondent", max_length=100
    )
    unit = django_filters.NumberFilter(field_name="unit_id", widget=forms.HiddenInput)
    received_from = django_filters.DateFilter(
        label=_("Received from"),
        field_name="received_at__date",
        lookup_expr="gte",
        widget=DatePicker(),
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"),
        field_name="received_at__date",
        lookup_expr="lte",
        widget=DatePicker(),
    )
    clock = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=CLOCK_CHOICES, method="filter_clock", empty_label=_("All")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="sort_by",
        empty_label=_("Received, newest first"),
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_record_no(
        self, queryset: QuerySet[Complaint], name: str, value: str
    ) -> QuerySet[Complaint]:
        text = value.strip()
        return queryset.filter(record_no__icontains=text) if text else queryset

    def filter_jurisdiction(
        self, queryset: QuerySet[Complaint], name: str, value: Jurisdiction | None
    ) -> QuerySet[Complaint]:
        if value is None:
            return queryset
        return queryset.filter(Q(jurisdiction=value) | Q(jurisdiction__parent=value))

    def filter_respondent(
        self, queryset: QuerySet[Complaint], name: str, value: str
    ) -> QuerySet[Complaint]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(respondent_name__icontains=text)
            | Q(unit__name__icontains=text)
            | Q(respondent_credit_code__startswith=text.upper())
        )

    def filter_clock(
        self, queryset: QuerySet[Complaint], name: str, value: str
    ) -> QuerySet[Complaint]:
        today = timezone.localdate()
        running = queryset.filter(status__in=OPEN_STATUSES, current_due__isnull=False)
        if value == "overdue":
            return running.filter(current_due__lt=today)
        if value == "due_soon":
            return running.filter(
                current_due__gte=today, current_due__lte=add_workdays(today, DUE_SOON_DAYS)
            )
        if value == "provisional":
            return running.filter(current_due_provisional=True)
        return queryset

    def sort_by(self, queryset: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        if value == "due":
            return queryset.order_by(F("current_due").asc(nulls_last=True), "-id")
        if value == "-due":
            return queryset.order_by(F("current_due").desc(nulls_last=True), "-id")
        if value == "received":
            return queryset.order_by("received_at", "id")
        return queryset


def filtered_complaints(request: HttpRequest, user: User) -> ComplaintFilter:
    """The bound filter for this request (filters come from the query string)."""
    return ComplaintFilter(request.GET, queryset=complaint_list_queryset(user), request=request)


def active_filter_params(request: HttpRequest) -> dict[str, str]:
    """The filters in the query string that are set, for the export links."""
    params = {name: request.GET.get(name, "") for name in ComplaintFilter.base_filters}
    return {name: value for name, value in params.items() if value}
