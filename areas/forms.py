"""Forms of the demonstration-area pages: a network point, an item's evidence, an activity, and
the filters of the lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import AreaActivity, NetworkPoint
from areas.models_assessment import AssessmentItemReview
from lyushunkou.models import Jurisdiction, User
from units.access import units_for_user
from units.credit_codes import normalize_credit_code
from units.models import Unit


class NetworkPointForm(forms.ModelForm[NetworkPoint]):
    """A point in a community of the user's scope; a unit's station names the unit by its credit
    code (looked up within the user's scope)."""

    unit_credit_code = forms.CharField(
        label=_("Unit's credit code"),
        required=False,
        max_length=30,
        help_text=_("For a unit's 12315 service station: the unit's unified social credit code."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    class Meta:
        model = NetworkPoint
        fields = [
            "kind",
            "name",
            "community",
            "address",
            "contact_person",
            "contact_phone",
            "opening_hours",
            "latitude",
            "longitude",
            "active",
        ]
        help_texts = {
            "contact_phone": _("Shown masked on public pages."),
            "opening_hours": _("E.g. 周一至周五 8:30-17:00."),
            "latitude": _("Optional, WGS 84 (as a phone's map shows), e.g. 38.812345."),
            "longitude": _("Optional, WGS 84, e.g. 121.261234."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        from areas.access import communities_for_user

        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communities_for_user(user).filter(active=True)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.unit_id is not None and self.instance.unit is not None:
                self.fields["unit_credit_code"].initial = self.instance.unit.credit_code

    def clean_unit_credit_code(self) -> Unit | None:
        code = normalize_credit_code(self.cleaned_data.get("unit_credit_code"))
        if not code:
            return None
        unit = units_for_user(self.user).filter(credit_code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit of your jurisdiction has the credit code %(code)s.") % {"code": code}
            )
        return unit

    def point_data(self) -> dict[str, Any]:
        data = {key: self.cleaned_data[key] for key in self.Meta.fields}
        data["unit"] = self.cleaned_data.get("unit_credit_code")
        return data


class ConfirmationForm(forms.Form):
    in_place = forms.BooleanField(label=_("In place"), required=False)
    note = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Document numbers, dates, what was done."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, JPG or PNG. A new file replaces the one on record."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the evidence shows this item is in place"),
        required=False,
        help_text=_("Saving without this box withdraws an earlier confirmation."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ActivityForm(forms.ModelForm[AreaActivity]):
    class Meta:
        model = AreaActivity
        fields = ["kind", "title", "held_on", "venue", "reach", "findings"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }


class StreetFilter(forms.Form):
    """The street (by code) and free text of the network's lists; every field is optional."""

    street = forms.ChoiceField(
        label=_("Street"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, places: list[Jurisdiction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        street = self.fields["street"]
        assert isinstance(street, forms.ChoiceField)
        street.choices = [("", _("All")), *((p.code, p.name) for p in places)]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All")), *NetworkPoint.Kind.choices]


class AssessmentForm(forms.Form):
    statement = forms.CharField(
        label=_("Self-assessment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the street did for each item and where its evidence is. The items are submitted "
            "as the records show them now."
        ),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """One accept/return choice and a note per item of the self-assessment."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            code = str(item["code"])
            self.fields[f"decision_{code}"] = forms.ChoiceField(
                label=str(item["label"]),
                choices=AssessmentItemReview.Decision.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                help_text=_("Required when the item is returned: what is missing."),
            )

    def decisions(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            str(item["code"]): (
                str(data.get(f"decision_{item['code']}", "")),
                str(data.get(f"note_{item['code']}", "")),
            )
            for item in self.items
        }


class IssueForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the new version"),
        required=False,
        max_length=500,
        help_text=_("Only when correcting a verdict issued before."),
    )
