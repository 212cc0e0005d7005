"""Forms of the score pages: the staff list's filters (django-filter, shared with the exports),
the appeal list's filters, the operator's reply/appeal form and the staff decision form.

The filters start from the access helpers, so a filter only narrows what the user may see; a
jurisdiction outside the user's scope is not a valid choice, so it is ignored rather than obeyed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.list_filters import YES_NO, JurisdictionFilter
from lyushunkou.models import User
from lyushunkou.staff_lists import FilteredList
from scoring import periods
from scoring.grading.access import (
    appeals_for_user,
    latest_period,
    score_list_queryset,
    score_periods_for_user,
)
from scoring.grading.appeals import Correction
from scoring.models import Appeal, Grade, Indicator, UnitScore
from units.guarantees import Guarantee
from units.search import name_matches

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _period_label(key: str) -> str:
    try:
        return str(periods.parse(key).label)
    except periods.PeriodError:
        return key


def _yes_no(queryset: QuerySet[Any], value: str, condition: Q) -> QuerySet[Any]:
    if value == "yes":
        return queryset.filter(condition)
    if value == "no":
        return queryset.exclude(condition)
    return queryset


# --- The staff list of scores ------------------------------------------------------------------


class ScoreFilter(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(label=_("Period"), choices=[], empty_label=None)
    q = django_filters.CharFilter(
        label=_("Name or credit code"), method="filter_text", max_length=100
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All")
    )
    jurisdiction = JurisdictionFilter(field_name="unit__jurisdiction")
    demonstration = django_filters.ChoiceFilter(
        label=_("Demonstration unit"),
        choices=YES_NO,
        method="filter_demonstration",
        empty_label=_("All"),
    )
    vetoed = django_filters.ChoiceFilter(
        label=_("Vetoed"), choices=YES_NO, method="filter_vetoed", empty_label=_("All")
    )
    capped = django_filters.ChoiceFilter(
        label=_("Capped by a weak guarantee"),
        choices=YES_NO,
        method="filter_capped",
        empty_label=_("All"),
    )

    class Meta:
        model = UnitScore
        fields: list[str] = []

    def __init__(self, *args: Any, period_choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["period"].choices = [(p, _period_label(p)) for p in period_choices]
        self.form.fields["q"].widget.attrs.setdefault("placeholder", _("Name or credit code"))

    def filter_text(
        self, queryset: QuerySet[UnitScore], name: str, value: str
    ) -> QuerySet[UnitScore]:
        text = value.strip()
        if not text:
            return queryset
        condition = name_matches(queryset, text, prefix="unit__")
        code = normalize_credit_code(text)
        if code:
            condition |= Q(unit__credit_code__startswith=code)
        return queryset.filter(condition)

    def filter_demonstration(
        self, queryset: QuerySet[UnitScore], name: str, value: str
    ) -> QuerySet[UnitScore]:
        return _yes_no(queryset, value, Q(demonstration=True))

    def filter_vetoed(
        self, queryset: QuerySet[UnitScore], name: str, value: str
    ) -> QuerySet[UnitScore]:
        return _yes_no(queryset, value, ~Q(vetoes=[]))

    def filter_capped(
        self, queryset: QuerySet[UnitScore], name: str, value: str
    ) -> QuerySet[UnitScore]:
        return _yes_no(queryset, value, ~Q(capped_by=""))


def filtered_scores(request: HttpRequest, user: User) -> ScoreFilter:
    """The bound filter for this request; without a period in the query string, the latest
    period scored."""
    # No score yet: the current period, so that the list is empty rather than in error.
    choices = score_periods_for_user(user) or [periods.current().key]
    data: QueryDict = request.GET.copy()
    if data.get("period") not in choices:
        data["period"] = latest_period(choices) or choices[0]
    return ScoreFilter(
        data, queryset=score_list_queryset(user), request=request, period_choices=choices
    )


def active_score_filters(score_filter: ScoreFilter) -> dict[str, str]:
    """The filters in effect (the period always), for links and the export's audit event."""
    params = {name: score_filter.data.get(name, "") for name in ScoreFilter.base_filters}
    return {name: value for name, value in params.items() if value}


# The staff list of grades, its page and its export (scoring.grading.exports.SCORE_LIST).
FILTERED_SCORES = FilteredList(filtered=filtered_scores, active_filters=active_score_filters)


# --- The staff list of appeals -----------------------------------------------------------------


class AppealFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Appeal.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Appeal.Kind.choices, empty_label=_("All")
    )
    period = django_filters.CharFilter(label=_("Period"), method="filter_period", max_length=7)
    jurisdiction = JurisdictionFilter(field_name="unit__jurisdiction")

    class Meta:
        model = Appeal
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["period"].widget.attrs.setdefault("placeholder", "2026-10")

    def filter_period(self, queryset: QuerySet[Appeal], name: str, value: str) -> QuerySet[Appeal]:
        text = value.strip()
        if not text:
            return queryset
        try:
            return queryset.filter(period=periods.parse(text).key)
        except periods.PeriodError:
            return queryset.none()


def filtered_appeals(request: HttpRequest, user: User) -> AppealFilter:
    """Without a status in the query string, the appeals awaiting a decision."""
    data: QueryDict = request.GET.copy()
    if "status" not in data:
        data["status"] = Appeal.Status.PENDING
    queryset = appeals_for_user(user).order_by("submitted_at", "pk")
    return AppealFilter(data, queryset=queryset, request=request)


# --- The operator's reply or appeal --------------------------------------------------------------


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[
            (Appeal.Kind.REPLY, _("Reply to the grade (a note for the record)")),
            (Appeal.Kind.APPEAL, _("Appeal the grade (staff decide)")),
        ],
        widget=forms.RadioSelect,
        initial=Appeal.Kind.APPEAL,
    )
    guarantee = forms.ChoiceField(
        label=_("Guarantee concerned"),
        choices=[("", "---------"), *Guarantee.choices],
        required=False,
        help_text=_("Required for an appeal."),
    )
    text = forms.CharField(
        label=_("Your reply, or the grounds of your appeal"), max_length=4000, widget=TEXTAREA
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Appeal.Kind.APPEAL and not data.get("guarantee"):
            self.add_error("guarantee", _("Name the guarantee your appeal is about."))
        return data


# --- The staff decision ------------------------------------------------------------------------


class AppealDecisionForm(forms.Form):
    UPHOLD, DISMISS = "upheld", "dismissed"

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHOLD, _("Uphold: correct the score")), (DISMISS, _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    guarantee = forms.ChoiceField(
        label=_("Guarantee to correct"),
        choices=[("", "---------"), *Guarantee.choices],
        required=False,
    )
    indicator = forms.ChoiceField(
        label=_("Indicator whose records were wrong"),
        required=False,
        help_text=_("Optional. Its points are replaced by the points below, not added to."),
    )
    points = forms.DecimalField(
        label=_("Points"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal(-20),
        max_value=Decimal(20),
        required=False,
        help_text=_(
            "Without an indicator: points added to the guarantee (negative to take away). With an "
            "indicator: the points it should have given."
        ),
    )
    lift_veto = forms.BooleanField(label=_("Lift the veto"), required=False)
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=1000,
        widget=TEXTAREA,
        help_text=_("Shown to the operator."),
    )

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "---------"),
            *((i.code, f"{i.get_guarantee_display()} · {i.label} ({i.code})") for i in indicators),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") != self.UPHOLD:
            return data
        code = data.get("indicator") or ""
        indicator = self.indicators.get(code)
        if indicator is not None and not data.get("guarantee"):
            data["guarantee"] = indicator.guarantee
        if not data.get("guarantee"):
            self.add_error("guarantee", _("Choose the guarantee to correct."))
        elif indicator is not None and indicator.guarantee != data["guarantee"]:
            self.add_error("indicator", _("This indicator belongs to another guarantee."))
        if data.get("points") is None and not data.get("lift_veto"):
            self.add_error("points", _("Give the corrected points, or lift the veto."))
        if indicator is not None and data.get("points") is None:
            self.add_error("points", _("Give the points the indicator should have given."))
        return data

    @property
    def upheld(self) -> bool:
        return bool(self.cleaned_data["decision"] == self.UPHOLD)

    def correction(self) -> Correction | None:
        if not self.upheld:
            return None
        data = self.cleaned_data
        return Correction(
            guarantee=data["guarantee"],
            points=data["points"] if data["points"] is not None else Decimal(0),
            indicator_code=data.get("indicator") or "",
            lift_veto=bool(data.get("lift_veto")),
        )
