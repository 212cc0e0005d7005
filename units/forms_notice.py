"""Forms of the public notice: a visitor's objection, staff's resolution and unmasking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models_notice import ObjectionStatus, UpheldOutcome


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you know that speaks against certifying this unit, and since when."),
        error_messages={"required": _("Describe your objection.")},
    )
    contact = forms.CharField(
        label=_("contact (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "A phone number or e-mail address if staff may contact you; it is shown to no one "
            "else, and never to the unit."
        ),
    )
    # A field people never see (as on registration): a bot that fills every input gives itself
    # away, with no captcha for people to solve.
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."), code="honeypot")
        return data


class ResolveObjectionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (ObjectionStatus.DISMISSED, ObjectionStatus.DISMISSED.label),
            (ObjectionStatus.UPHELD, ObjectionStatus.UPHELD.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(
        label=_("if upheld"),
        choices=[("", "—"), *UpheldOutcome.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnmaskObjectorForm(forms.Form):
    reason = forms.CharField(
        label=_("why you need the contact"),
        min_length=4,
        max_length=200,
        error_messages={"min_length": _("State why you need to see the objector's contact.")},
    )
