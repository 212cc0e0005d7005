"""The form that links a record to a unit: a suggested unit, or any unit by its credit code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import normalize_credit_code


class LinkForm(forms.Form):
    unit = forms.IntegerField(label=_("suggested unit"), required=False, min_value=1)
    credit_code = forms.CharField(
        label=_("or the unit's credit code"), max_length=30, required=False
    )

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data.get("credit_code"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not data.get("credit_code") and not self.errors:
            self.add_error(
                "credit_code", _("Choose a suggested unit or enter the unit's credit code.")
            )
        return data
