"""Forms for recording one sampling batch by hand, linking a batch to a unit, and choosing the
period and scope of the sampling figures. Dates use the shared ``DatePicker``; every choice of
jurisdiction or unit is limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.imports import stage_error
from inspections.models import (
    DEFAULT_STAGE_BY_CATEGORY,
    DisposalKind,
    ProductCategory,
    ProductSubcategory,
    SamplingBatch,
    SamplingStage,
)
from lyushunkou import periods
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import Jurisdiction, User
from lyushunkou.widgets import DatePicker
from units.access import units_for_user
from units.models import Unit

__all__ = ["FiguresForm", "LinkUnitForm", "SamplingBatchForm", "period_bounds"]

# The columns of the import (DESIGN.md §7) plus the sub-category and the unit's address. A blank
# 抽样环节 is the category's default (``inspections.models.default_stage``, applied on save).
ENTRY_FIELDS = [
    "sample_no",
    "sampled_on",
    "sampling_type",
    "category",
    "subcategory",
    "stage",
    "product_name",
    "specification",
    "batch_or_production_date",
    "sampled_unit_name",
    "sampled_unit_credit_code",
    "sampled_unit_address",
    "jurisdiction",
    "nominal_manufacturer",
    "lab",
    "result",
    "failed_items",
    "retest_result",
]


def _stage_defaults() -> str:
    """食品: 流通, 重点消费品: 生产, …, from the rule the model applies on save."""
    defaults = [
        f"{ProductCategory(category).label}: {SamplingStage(stage).label}"
        for category, stage in DEFAULT_STAGE_BY_CATEGORY.items()
    ]
    defaults.append(f"{ProductSubcategory.FOOD_CATERING.label}: {SamplingStage.CATERING.label}")
    return "; ".join(defaults)


def _clean_code(raw: str) -> str:
    code = normalize_credit_code(raw)
    if code:
        validate_credit_code(code)
    return code


class SamplingBatchForm(forms.Form):
    """One batch, as a row of the import would give it; the services check the rules."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(
            SamplingBatch,
            fields=ENTRY_FIELDS,
            widgets={
                "sampled_on": DatePicker(),
                "failed_items": forms.Textarea(attrs={"rows": 2}),
            },
        )
        fields["sampled_unit_credit_code"] = forms.CharField(
            label=_("Sampled unit's credit code"),
            max_length=30,
            required=False,
            help_text=_(
                "When a registered unit has this code, the batch is linked to it; otherwise the "
                "name, code and address are kept as given."
            ),
        )
        stage = fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [("", _("Default of the category")), *SamplingStage.choices]
        stage.help_text = _(
            "Blank: the default of the product category (%(defaults)s). Catering service is for "
            "food only."
        ) % {"defaults": _stage_defaults()}
        jurisdiction = fields["jurisdiction"]
        assert isinstance(jurisdiction, forms.ModelChoiceField)
        jurisdiction.queryset = (
            jurisdictions_for_user(user)
            .filter(active=True)
            .exclude(kind=Jurisdiction.Kind.DISTRICT)
            .order_by("sort_order", "code")
        )
        jurisdiction.help_text = _("The street or park; only those of your jurisdiction.")
        fields["disposal"] = forms.ChoiceField(
            label=_("Disposal"), choices=[("", "—"), *DisposalKind.choices], required=False
        )
        fields["disposal_on"] = forms.DateField(
            label=_("Disposal date"),
            required=False,
            widget=DatePicker(),
            help_text=_("Blank: today."),
        )
        self.fields.update(fields)

    def clean_sample_no(self) -> str:
        return str(self.cleaned_data["sample_no"]).strip()

    def clean_sampled_unit_credit_code(self) -> str:
        return _clean_code(self.cleaned_data["sampled_unit_credit_code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category, subcategory = cleaned.get("category"), cleaned.get("subcategory")
        if category and subcategory:
            allowed = {value for value, _label in ProductSubcategory.for_category(category)}
            if subcategory not in allowed:
                self.add_error("subcategory", _("This sub-category is not of the category."))
        stage_problem = stage_error(cleaned.get("stage") or "", category or "")
        if stage_problem:
            self.add_error("stage", stage_problem)
        return cleaned

    def batch_data(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ENTRY_FIELDS}


class LinkUnitForm(forms.Form):
    credit_code = forms.CharField(
        label=_("Unit's credit code"),
        max_length=30,
        help_text=_("The unified social credit code of a registered unit in your jurisdiction."),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_credit_code(self) -> Unit:
        code = _clean_code(self.cleaned_data["credit_code"])
        if self.user is None:
            raise forms.ValidationError(_("Not allowed."))
        unit = units_for_user(self.user).filter(credit_code=code).first()
        if unit is not None:
            return unit
        if Unit.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _(
                    "The unit with credit code %(code)s is outside your jurisdiction; it cannot "
                    "be linked here."
                )
                % {"code": code}
            )
        raise forms.ValidationError(
            _("No registered unit has the credit code %(code)s.") % {"code": code}
        )


# --- The figures page's period and scope ---------------------------------------------------


def period_bounds(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """``2026`` / ``2026-Q3`` / ``2026-10`` (DESIGN.md §6) → first and last day, ending by today.

    A malformed period raises ``lyushunkou.periods.PeriodError`` (a ``ValueError``)."""
    parsed = periods.parse(period)
    return parsed.start, parsed.as_of(today)


YEARS_SHOWN = 5


def period_choices(today: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for year in range(today.year, today.year - YEARS_SHOWN, -1):
        whole = str(_("%(year)d, to date") if year == today.year else _("%(year)d, whole year"))
        options = [(str(year), whole % {"year": year})]
        options += [
            (f"{year}-Q{q}", f"{year} Q{q}")
            for q in range(1, 5)
            if dt.date(year, 3 * q - 2, 1) <= today
        ]
        options += [
            (f"{year}-{m:02d}", f"{year}-{m:02d}")
            for m in range(1, 13)
            if dt.date(year, m, 1) <= today
        ]
        groups.append((str(year), options))
    return groups


class FiguresForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    scope = forms.ChoiceField(label=_("Scope"), required=False)

    def __init__(
        self,
        *args: Any,
        today: dt.date,
        places: list[Jurisdiction],
        district_wide: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.places = {place.code: place for place in places}
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = period_choices(today)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        choices = [(code, place.name) for code, place in self.places.items()]
        scope.choices = [("", _("Whole district")), *choices] if district_wide else choices
        scope.required = not district_wide
