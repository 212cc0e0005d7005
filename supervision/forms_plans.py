"""Forms of the inspection-plan pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from supervision.forms import PeriodField
from supervision.services_plans import MAX_SEED


class DrawForm(forms.Form):
    period = PeriodField(
        help_text=_("A year (2027) or a quarter (2027-Q1): the plan's checks are made in it.")
    )
    scope = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Jurisdiction.objects.none(),
        to_field_name="code",
        empty_label=None,
        help_text=_("The district draws in every street; a street in itself."),
    )
    ratio = forms.DecimalField(
        label=_("Share drawn (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(5),
        help_text=_("Of each street's operating, verified units; rounded up."),
    )
    minimum = forms.IntegerField(
        label=_("At least per street"), min_value=0, max_value=1000, initial=1
    )
    seed = forms.IntegerField(
        label=_("Random seed (optional)"),
        min_value=1,
        max_value=MAX_SEED,
        required=False,
        help_text=_("Leave empty for a new random seed; give a plan's seed to draw it again."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, places: QuerySet[Jurisdiction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ModelChoiceField)
        scope.queryset = places


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)
