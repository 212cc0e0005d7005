"""The staff complaint list's filters (django-filter), which the exports use too; and the filters
of the survey answers' list (``SurveyFilter``).

Everything starts from ``complaints_for_user``: a filter only narrows what the user may see, and a
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.

Some filters exist so that the list shows exactly the complaints a target of the dashboard counts
(complaints.figures): ``concluded_from``/``concluded_to``, ``outcome`` and ``satisfaction`` (both
take several values) for the resolution and satisfaction rates, and ``counted`` for the two sides
of the handling rate.
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
from complaints.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Complaint,
    Kind,
    Outcome,
    Satisfaction,
    Status,
    SurveyResponse,
    TerminationGround,
)
from lyushunkou.access import scope_by_jurisdiction
from lyushunkou.as_of import recorded_to_filter
from lyushunkou.list_filters import YES_NO, JurisdictionFilter, MultipleValueFilter, active_filters
from lyushunkou.models import Role, User
from lyushunkou.staff_lists import FilteredList
from lyushunkou.widgets import DatePicker
from lyushunkou.workdays import add_workdays

CLOCK_CHOICES = [
    ("overdue", _("Overdue")),
    ("due_soon", _("Due within %(days)s working days") % {"days": DUE_SOON_DAYS}),
    ("provisional", _("Provisional deadline")),
]
# The two sides of the handling rate (complaints.figures): of the complaints received, those it
# counts (all but the ones still open and within their time limit) and those it counts as handled.
COUNTED_CHOICES = [
    ("handling", _("Counted in the handling rate")),
    ("handled", _("Handled: concluded or not accepted")),
    ("resolved", _("Resolved: mediated, or terminated as settled by the parties")),
]
SORT_CHOICES = [
    ("due", _("Due date, earliest first")),
    ("-due", _("Due date, latest first")),
    ("received", _("Received, oldest first")),
]


def complaint_list_queryset(user: User) -> QuerySet[Complaint]:
    return complaints_for_user(user).order_by("-received_at", "-id")


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Record number"), method="filter_record_no")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    jurisdiction = JurisdictionFilter()
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
    concluded_from = django_filters.DateFilter(
        label=_("Concluded from"),
        field_name="concluded_on",
        lookup_expr="gte",
        widget=DatePicker(),
    )
    concluded_to = django_filters.DateFilter(
        label=_("Concluded to"),
        field_name="concluded_on",
        lookup_expr="lte",
        widget=DatePicker(),
    )
    outcome = MultipleValueFilter(label=_("Outcome"), choices=Outcome.choices)
    satisfaction = MultipleValueFilter(
        label=_("Satisfaction callback"), choices=Satisfaction.choices
    )
    counted = django_filters.ChoiceFilter(
        label=_("Handling rate"),
        choices=COUNTED_CHOICES,
        method="filter_counted",
        empty_label=_("All"),
    )
    clock = django_filters.ChoiceFilter(
        label=_("Deadline"), choices=CLOCK_CHOICES, method="filter_clock", empty_label=_("All")
    )
    recorded_to = recorded_to_filter()  # a dashboard figure's instant (lyushunkou.as_of)
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

    def filter_counted(
        self, queryset: QuerySet[Complaint], name: str, value: str
    ) -> QuerySet[Complaint]:
        if value == "handling":
            # As complaints.figures counts "still open and within the legal time limit", today.
            within_limit = Q(status__in=OPEN_STATUSES) & (
                Q(current_due__gte=timezone.localdate()) | Q(current_due__isnull=True)
            )
            return queryset.exclude(within_limit)
        if value == "handled":
            return queryset.filter(status__in=(Status.CONCLUDED, Status.REFUSED))
        if value == "resolved":
            # complaints.figures: the resolution rate's numerator.
            return queryset.filter(
                Q(outcome=Outcome.MEDIATED)
                | Q(outcome=Outcome.TERMINATED, termination_ground=TerminationGround.SETTLED)
            )
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


# The staff complaint list, its page and its export (complaints.exports.COMPLAINT_LIST).
FILTERED_COMPLAINTS = FilteredList(filtered=filtered_complaints, active_filters=active_filters)


# --- The consumer survey's answers --------------------------------------------------------------


def survey_list_queryset(user: User) -> QuerySet[SurveyResponse]:
    """The survey answers of the user's jurisdictions, for staff and leaders (as the complaint
    list); nothing for anyone else. Answers carry no personal data."""
    if user.role not in (Role.STAFF, Role.LEADER):
        return SurveyResponse.objects.none()
    answers = SurveyResponse.objects.select_related("jurisdiction")
    return scope_by_jurisdiction(answers, user).order_by("-answered_on", "-id")


def _yes_no(queryset: QuerySet[SurveyResponse], field: str, value: str) -> QuerySet[SurveyResponse]:
    if value in ("yes", "no"):
        return queryset.filter(**{field: value == "yes"})
    return queryset


class SurveyFilter(django_filters.FilterSet):
    """The filters of the survey figures (complaints.figures.survey_figures): answered in a
    period, in a jurisdiction and those below it, aware, approving, satisfied with life services."""

    answered_from = django_filters.DateFilter(
        label=_("Answered from"), field_name="answered_on", lookup_expr="gte", widget=DatePicker()
    )
    answered_to = django_filters.DateFilter(
        label=_("Answered to"), field_name="answered_on", lookup_expr="lte", widget=DatePicker()
    )
    jurisdiction = JurisdictionFilter()
    aware = django_filters.ChoiceFilter(
        label=_("Aware of the programme"),
        choices=YES_NO,
        method="filter_aware",
        empty_label=_("All"),
    )
    approves = django_filters.ChoiceFilter(
        label=_("Approves of the programme"),
        choices=YES_NO,
        method="filter_approves",
        empty_label=_("All"),
    )
    life_services = MultipleValueFilter(
        label=_("Satisfaction with life services"), choices=SurveyResponse.LifeServices.choices
    )
    source = django_filters.ChoiceFilter(
        label=_("Answered via"), choices=SurveyResponse.Source.choices, empty_label=_("All")
    )

    class Meta:
        model = SurveyResponse
        fields: list[str] = []

    def filter_aware(
        self, queryset: QuerySet[SurveyResponse], name: str, value: str
    ) -> QuerySet[SurveyResponse]:
        return _yes_no(queryset, "aware", value)

    def filter_approves(
        self, queryset: QuerySet[SurveyResponse], name: str, value: str
    ) -> QuerySet[SurveyResponse]:
        return _yes_no(queryset, "approves", value)


def filtered_surveys(request: HttpRequest, user: User) -> SurveyFilter:
    return SurveyFilter(request.GET, queryset=survey_list_queryset(user), request=request)


# The survey answers' list, its page and its export (complaints.exports.SURVEY_LIST).
FILTERED_SURVEYS = FilteredList(filtered=filtered_surveys, active_filters=active_filters)
