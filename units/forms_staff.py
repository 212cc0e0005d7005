"""Forms of the staff pages: import, demonstration-status actions, claim decisions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

STATUS_ACTION_CHOICES = [
    ("warn", _("Issue a warning")),
    ("rectified", _("Lift the warning (rectified)")),
    ("revoke", _("Revoke demonstration status")),
]


class UnitStatusForm(forms.Form):
    """A demonstration-status action; revoking needs an explicit confirmation."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=STATUS_ACTION_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_(
            "Required. Recorded in the history, shown to the operator and on the public "
            "plaque page."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm the revocation: the plaque will show the unit as revoked."),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actions is not None:
            # What the page offers; a posted action is still checked by the service, which
            # refuses it if someone else changed the status meanwhile.
            field = cast(forms.ChoiceField, self.fields["action"])
            field.choices = [choice for choice in STATUS_ACTION_CHOICES if choice[0] in actions]

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == "revoke" and not cleaned.get("confirm"):
            self.add_error(
                "confirm", _("Tick the box to confirm: revocation cannot be undone here.")
            )
        return cleaned


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not str(cleaned.get("note", "")).strip():
            self.add_error("note", _("Give the reason for rejecting the claim."))
        return cleaned
