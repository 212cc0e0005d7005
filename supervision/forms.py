"""Forms of the proposal pages. A period is ``2026``, ``2026-Q3`` or ``2026-10`` (DESIGN.md §6),
parsed by ``lyushunkou.periods``; a malformed one is an error naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import SamplingBatch
from lyushunkou.models import Jurisdiction
from lyushunkou.periods import Period, PeriodError, parse


class PeriodField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Period"))
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text", _("A year (2026), a quarter (2026-Q3) or a month (2026-10).")
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "2026-10")

    def clean(self, value: Any) -> Period | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse(text)
        except PeriodError as error:
            raise forms.ValidationError(str(error), code="period") from None


class GenerateForm(forms.Form):
    period = PeriodField()


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. which sampling task or week the visit is planned for."),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for dismissing"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sample_no} · {obj.sampled_on:%Y-%m-%d} · {obj.product_name}"


class LinkBatchForm(forms.Form):
    batch = BatchChoiceField(
        label=_("Sampling batch"),
        queryset=SamplingBatch.objects.none(),
        help_text=_(
            "Batches of the proposal's street sampled since it was accepted and not linked yet."
        ),
    )

    def __init__(self, *args: Any, candidates: QuerySet[SamplingBatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["batch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class FiguresForm(forms.Form):
    period = PeriodField(required=False)
    scope = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Whole district"),
    )

    def __init__(
        self, *args: Any, places: QuerySet[Jurisdiction], district_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ModelChoiceField)
        scope.queryset = places
        if not district_wide:
            scope.empty_label = None  # a street's staff see their street (the default)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseWarningForm(forms.Form):
    note = forms.CharField(
        label=_("What was done or found"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
