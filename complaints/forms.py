"""Forms of the complaint pages: intake, one form per workflow step, the operator's response,
the public callback and the consumer survey. Every date input uses the browser's date picker."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from complaints.models import (
    Category,
    Channel,
    ConsumptionKind,
    FaultFinding,
    Kind,
    MediationRecord,
    OdrResponse,
    Outcome,
    RefusalGround,
    Satisfaction,
    SurveyResponse,
    TerminationGround,
)
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Jurisdiction, User
from lyushunkou.widgets import DatePicker
from units.forms import CreditCodeField

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _today() -> dt.date:
    return timezone.localdate()


def _not_in_future(value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


def street_choices(user: User | None = None) -> QuerySet[Jurisdiction]:
    """Active streets, parks and zones (the district itself is not a place to answer from)."""
    qs = jurisdictions_for_user(user) if user is not None else Jurisdiction.objects.all()
    return (
        qs.filter(active=True)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


# --- Intake ------------------------------------------------------------------------------------


class ComplaintRegisterForm(forms.Form):
    """A complaint or report taken by hand (phone, visit, letter)."""

    record_no = forms.CharField(label=_("record number"), max_length=40)
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    received_on = forms.DateField(label=_("received on"), widget=DatePicker(), initial=_today)
    received_time = forms.TimeField(
        label=_("time received"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    complainant_name = forms.CharField(label=_("complainant"), max_length=50)
    complainant_phone = forms.CharField(label=_("phone"), max_length=20)
    complainant_id_number = forms.CharField(
        label=_("ID number (optional)"), max_length=18, required=False
    )
    complainant_address = forms.CharField(
        label=_("complainant address (optional)"), max_length=200, required=False
    )
    respondent_name = forms.CharField(label=_("respondent"), max_length=200)
    respondent_credit_code = CreditCodeField(
        required=False,
        label=_("respondent credit code (optional)"),
        help_text=_("Links the complaint to the unit in the register when it matches."),
    )
    respondent_address = forms.CharField(label=_("respondent address"), max_length=200)
    jurisdiction = forms.ModelChoiceField(
        label=_("jurisdiction"), queryset=Jurisdiction.objects.none()
    )
    consumption_kind = forms.ChoiceField(
        label=_("consumption kind"), choices=ConsumptionKind.choices
    )
    category = forms.ChoiceField(label=_("issue category"), choices=Category.choices)
    request_text = forms.CharField(
        label=_("request and facts"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    # Errors the service reports on its own field names land on the matching input.
    FIELD_FOR_SERVICE_ERROR = {"received_at": "received_on"}

    amount_involved = forms.DecimalField(
        label=_("amount involved (yuan, optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = street_choices(user)  # type: ignore[attr-defined]

    def clean_received_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["received_on"])

    def clean_complainant_phone(self) -> str:
        phone: str = self.cleaned_data["complainant_phone"].strip()
        if not re.fullmatch(r"\+?[\d\- ]{7,20}", phone):
            raise forms.ValidationError(_("Enter a phone number of digits (7 or more)."))
        return phone

    def clean_complainant_id_number(self) -> str:
        value: str = self.cleaned_data["complainant_id_number"].strip().upper()
        if value and not ric.is_valid(value):
            raise forms.ValidationError(_("This is not a valid resident ID number."))
        return value

    def service_data(self) -> dict[str, Any]:
        """The fields as ``services.complaint_register`` takes them."""
        data = dict(self.cleaned_data)
        at = data.pop("received_time") or dt.time(9, 0)
        data["received_at"] = dt.datetime.combine(
            data.pop("received_on"), at, tzinfo=timezone.get_current_timezone()
        )
        return data


# --- Workflow steps (staff) -------------------------------------------------------------------


class StepForm(forms.Form):
    """Every step carries the version the page showed, so a stale or repeated form is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class DatedStepForm(StepForm):
    on = forms.DateField(label=_("date"), widget=DatePicker(), initial=_today)

    def clean_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["on"])


class RefuseForm(DatedStepForm):
    ground = forms.ChoiceField(
        label=_("ground (Art. 15)"), choices=[("", "---------"), *RefusalGround.choices]
    )
    note = forms.CharField(label=_("note"), max_length=2000, required=False, widget=TEXTAREA)


class MediationForm(StepForm):
    kind = forms.ChoiceField(label=_("kind"), choices=MediationRecord.Kind.choices)
    occurred_at = forms.DateTimeField(
        label=_("when"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("record"), max_length=2000, widget=TEXTAREA)

    def clean_occurred_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["occurred_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("This time is in the future."))
        return value


class PauseForm(DatedStepForm):
    reason = forms.CharField(
        label=_("testing, inspection or appraisal"),
        max_length=200,
        help_text=_("The mediation clock stops until the clock is resumed."),
    )


class ConcludeForm(DatedStepForm):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", "---------")] + [c for c in Outcome.choices if c[0] != Outcome.REFUSED],
    )
    amount_recovered = forms.DecimalField(
        label=_("economic loss recovered (yuan)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("For 调解成功 (mediated successfully)."),
    )
    termination_ground = forms.ChoiceField(
        label=_("ground for terminating"),
        required=False,
        choices=[("", "---------"), *TerminationGround.choices],
        help_text=_("For 终止调解 (mediation terminated)."),
    )
    transferred_to = forms.CharField(
        label=_("transferred to"),
        max_length=200,
        required=False,
        help_text=_("For 移送 (transferred)."),
    )
    fault_finding = forms.ChoiceField(
        label=_("finding of fault"),
        required=False,
        choices=[("", _("Not determined")), *FaultFinding.choices],
        help_text=_(
            "Whatever the outcome: a complaint where the operator was at fault counts against "
            "its grade; refusing mediation costs more."
        ),
    )
    note = forms.CharField(label=_("conclusion"), max_length=2000, required=False, widget=TEXTAREA)


class ReasonStepForm(StepForm):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=TEXTAREA)


class DecideForm(DatedStepForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("open", _("Open a case")), ("not_open", _("Do not open a case"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=TEXTAREA)


# The answers a complainant can give to the callback. "No answer" (未评价) is what an import
# records when nobody answered; it is never offered as an answer to click.
CALLBACK_ANSWERS = [
    (value, label) for value, label in Satisfaction.choices if value != Satisfaction.NO_ANSWER
]


class SatisfactionForm(StepForm):
    answer = forms.ChoiceField(
        label=_("the complainant's answer"), choices=CALLBACK_ANSWERS, widget=forms.RadioSelect
    )


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label=_("why you need the personal data"),
        min_length=4,
        max_length=500,
        help_text=_("Kept in the audit log with your name."),
    )


# --- Operator ----------------------------------------------------------------------------------


class OdrRespondForm(StepForm):
    response = forms.ChoiceField(
        label=_("your response"), choices=OdrResponse.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("your reply to the consumer's request"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


# --- Public ------------------------------------------------------------------------------------


class CallbackAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=CALLBACK_ANSWERS)


class SurveyForm(forms.Form):
    """The programme's consumer survey (DESIGN.md §6: awareness, recognition, life services)."""

    jurisdiction = forms.ModelChoiceField(
        label=_("where you live or shop"), queryset=Jurisdiction.objects.none()
    )
    aware = forms.ChoiceField(
        label=_("Have you heard of the 放心消费 (assured consumption) programme?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    # The follow-up to ``aware``: only someone who has heard of the programme answers it, and
    # even they may leave it as it is (counted as not approving, DESIGN.md §6), so the answer
    # the form starts with is always accepted.
    approves = forms.ChoiceField(
        label=_("If you have heard of it: do you approve of it?"),
        choices=[*YES_NO, ("", _("Not heard of it, or no opinion"))],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    life_services = forms.ChoiceField(
        label=_("How satisfied are you with life services (shops, restaurants, repairs …)?"),
        choices=SurveyResponse.LifeServices.choices,
        widget=forms.RadioSelect,
    )
    # A field people never see: a bot that fills every input gives itself away.
    website = forms.CharField(
        required=False,
        label="",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "tabindex": "-1",
                "class": "visually-hidden",
                "aria-hidden": "true",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = street_choices()  # type: ignore[attr-defined]

    @property
    def question_count(self) -> int:
        """The questions the consumer sees (the page's introduction states it): every field but
        the hidden honeypot."""
        return sum(1 for name in self.fields if name != "website")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."), code="honeypot")
        aware, approves = data.get("aware"), data.get("approves")
        if aware == "no" and approves:
            self.add_error(
                "approves",
                _("Only someone who has heard of the programme can say whether they approve."),
            )
        return data

    def service_data(self, answered_on: dt.date | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        aware = data["aware"] == "yes"
        return {
            "jurisdiction": data["jurisdiction"],
            "answered_on": answered_on or timezone.localdate(),
            "aware": aware,
            # Left as it was: no opinion (None), which is not approval either.
            "approves": {"yes": True, "no": False}.get(data["approves"]) if aware else None,
            "life_services": data["life_services"],
        }


class SurveyEntryForm(SurveyForm):
    """Staff typing in a paper form: the date it was filled in, a place within their scope."""

    answered_on = forms.DateField(label=_("date on the form"), widget=DatePicker(), initial=_today)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["jurisdiction"].label = _("jurisdiction")
        self.fields["jurisdiction"].queryset = street_choices(user)  # type: ignore[attr-defined]

    def clean_answered_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["answered_on"])
