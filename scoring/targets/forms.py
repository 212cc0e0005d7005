"""Forms of the admin pages of the targets and of the retired demonstration-area checklist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scoring.models import ChecklistItem, Target
from units.uploads import check_upload

PERCENT = "%"
HUNDRED = Decimal(100)


class TargetAdminForm(forms.ModelForm[Target]):
    """Only the keys the portal knows how to compute; a typo would silently evaluate nothing.

    A rate is stored as a fraction (0.96) and typed as the percentage it is shown as (96 next to
    "%", issue 15 item 5): the threshold is in the unit the target is shown in.
    """

    threshold = forms.DecimalField(
        label=_("threshold"),
        required=False,
        max_digits=9,
        decimal_places=4,
        help_text=_(
            "In the unit shown: 96 for a rate of 96% shown as %; per-thousand figures as numbers."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from scoring.targets import TARGET_KEYS

        self.fields["key"] = forms.ChoiceField(
            label=_("key"), choices=[(key, key) for key in TARGET_KEYS]
        )
        target = self.instance
        if target.pk and target.unit_label == PERCENT and target.threshold is not None:
            self.initial["threshold"] = as_percent(target.threshold)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        threshold = data.get("threshold")
        if data.get("unit_label") == PERCENT and threshold is not None:
            if not 0 <= threshold <= HUNDRED:
                self.add_error(
                    "threshold", _("A percentage is between 0 and 100, e.g. 96 for 96%.")
                )
            else:
                data["threshold"] = threshold / HUNDRED
        return data

    class Meta:
        model = Target
        fields = [
            "key",
            "label",
            "comparator",
            "threshold",
            "unit_label",
            "scope",
            "jurisdiction",
            "definition",
            "min_denominator",
            "order",
            "active",
        ]


def as_percent(fraction: Decimal) -> Decimal:
    """0.9600 → 96, 0.9650 → 96.5: the stored fraction as the percentage typed."""
    percent = (fraction * HUNDRED).normalize()
    return percent.quantize(Decimal(1)) if percent == percent.to_integral() else percent


class ChecklistItemAdminForm(forms.ModelForm[ChecklistItem]):
    """Uploads through the admin pass the same checks as the portal's."""

    class Meta:
        model = ChecklistItem
        fields = ["jurisdiction", "item", "done", "evidence_note", "evidence_file"]

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                check_upload(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict.get("file", error.messages)) from None
        return upload
