"""Forms of the identity-match pages: the filter, staff's decision, a previous credit code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from supervision.models_identity import MatchState

ALL = "all"


class MatchFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        choices=[(ALL, _("All")), *MatchState.choices],
        required=False,
        initial=MatchState.OPEN,
    )


class ConfirmMatchForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClearMatchForm(forms.Form):
    note = forms.CharField(
        label=_("Why they are not the same operator"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _CreditCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = normalize_credit_code(super().clean(value))
        validate_credit_code(code)
        return code


class PreviousCodeForm(forms.Form):
    credit_code = _CreditCodeField(label=_("The unit's credit code"))
    previous_credit_code = _CreditCodeField(
        label=_("Its previous credit code"),
        help_text=_("As on its business licence or in the register of market entities."),
    )
