"""Forms for penalties, dishonest listings and safety incidents: the unit is given by credit code
and resolved within the staff member's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import DishonestListing, Penalty, SafetyIncident
from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.models import User
from lyushunkou.widgets import DatePicker
from units.access import units_for_user


class _UnitByCode(forms.ModelForm):  # type: ignore[type-arg]
    unit_code = forms.CharField(
        label=_("Unit's credit code"),
        max_length=30,
        help_text=_("The unified social credit code of a registered unit in your jurisdiction."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["unit_code"].initial = self.instance.unit.credit_code
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DatePicker()
            if name == "unit_code":
                continue

    def clean_unit_code(self) -> Any:
        code = normalize_credit_code(self.cleaned_data["unit_code"])
        unit = units_for_user(self.user).filter(credit_code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit with this credit code in your jurisdiction."))
        return unit

    def record_data(self) -> dict[str, Any]:
        data = {key: value for key, value in self.cleaned_data.items() if key != "unit_code"}
        data["unit"] = self.cleaned_data["unit_code"]
        return data


class PenaltyForm(_UnitByCode):
    class Meta:
        model = Penalty
        fields = ["kind", "decision_no", "decided_on", "amount", "note"]


class ListingForm(_UnitByCode):
    class Meta:
        model = DishonestListing
        fields = ["listed_on", "removed_on", "authority", "reason"]


class IncidentForm(_UnitByCode):
    class Meta:
        model = SafetyIncident
        fields = ["occurred_on", "severity", "description", "harmed_consumers"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


RECORD_FORMS: dict[str, type[_UnitByCode]] = {
    "penalties": PenaltyForm,
    "listings": ListingForm,
    "incidents": IncidentForm,
}
