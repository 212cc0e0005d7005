"""Forms of the inspections pages. Every date uses the shared ``DatePicker``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    CheckType,
    DisposalKind,
    Guarantee,
    RetestResult,
    Severity,
)
from lyushunkou.widgets import DatePicker
from units.uploads import ALLOWED

__all__ = [
    "CheckForm",
    "CheckItemForm",
    "DisposalForm",
    "FindingConfirmForm",
    "FindingForm",
    "NotifyForm",
    "RectificationForm",
    "RetestApplyForm",
    "RetestResultForm",
]

FILE_ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)


class NotifyForm(forms.Form):
    notified_on = forms.DateField(label=_("Unit notified of the failure on"), widget=DatePicker())


class RetestApplyForm(forms.Form):
    applied_on = forms.DateField(label=_("Re-test applied for on"), widget=DatePicker())
    lab = forms.CharField(label=_("Re-test laboratory"), max_length=200)


class RetestResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Re-test result (final)"), choices=RetestResult.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Re-test concluded on"), widget=DatePicker())


class DisposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Disposal"), choices=DisposalKind.choices)
    done_on = forms.DateField(label=_("Date"), widget=DatePicker())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Date of the check"), widget=DatePicker())
    check_type = forms.ChoiceField(label=_("Type"), choices=CheckType.choices)
    inspectors = forms.CharField(
        label=_("Inspectors"),
        max_length=200,
        help_text=_("The names of the inspectors present, e.g. 张三、李四."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckItemForm(forms.Form):
    item = forms.CharField(max_length=200, widget=forms.HiddenInput)
    passed = forms.BooleanField(label=_("Passed"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


CheckItemFormSet = forms.formset_factory(CheckItemForm, extra=0)


class FindingForm(forms.Form):
    # A blank first choice, so that an untouched extra form is unchanged and skipped.
    guarantee = forms.ChoiceField(label=_("Guarantee"), choices=[("", "—"), *Guarantee.choices])
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices])
    description = forms.CharField(
        label=_("Finding"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    rectification_due = forms.DateField(
        label=_("Rectify by"),
        required=False,
        widget=DatePicker(),
        help_text=_("Blank: 10 working days after the check."),
    )


# Blank extra forms are skipped (empty_permitted): a check without findings is a clean check.
FindingFormSet = forms.formset_factory(FindingForm, extra=2)


class RectificationForm(forms.Form):
    rectified_on = forms.DateField(label=_("Rectified on"), widget=DatePicker())
    note = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


class FindingConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Confirm the rectification")), ("return", _("Send back"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not str(cleaned.get("note", "")).strip():
            self.add_error("note", _("Give the reason; the operator will see it."))
        return cleaned
