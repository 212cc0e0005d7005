"""Forms of the demonstration block and industry pages: the public period, and staff's membership
changes.

The period follows DESIGN.md §6 (a year ``2026``, a quarter ``2026-Q3``, a month ``2026-10``),
parsed by the core's ``lyushunkou.periods`` like every other period of the portal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lyushunkou import periods
from lyushunkou.periods import MONTH, Period, PeriodError

# More credit codes than this in one go is a spreadsheet: the unit import takes those.
MAX_CODES = 200


def parse_period(text: str) -> Period | None:
    """The period a ``?period=`` value names, or None when it is malformed."""
    try:
        return periods.parse(text)
    except PeriodError:
        return None


def last_complete_month(today: dt.date) -> Period:
    return periods.last_complete(MONTH, today)


class PeriodForm(forms.Form):
    """``?period=``; empty means the last complete month."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=7,
        help_text=_("A year (2026), a quarter (2026-Q3) or a month (2026-10)."),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "2026-10"}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_period(self) -> Period:
        text = str(self.cleaned_data.get("period") or "")
        if not text.strip():
            return last_complete_month(self.today)
        period = parse_period(text)
        if period is None:
            raise forms.ValidationError(
                _("Period: use a year (2026), a quarter (2026-Q3) or a month (2026-10).")
            )
        if period.start > self.today:
            raise forms.ValidationError(
                _("Period: %(period)s has not started yet.") % {"period": period.label}
            )
        return period

    def chosen(self) -> Period:
        """The valid period asked for, else the last complete month (the error is shown)."""
        if self.is_valid():
            period: Period = self.cleaned_data["period"]
            return period
        return last_complete_month(self.today)


class AddUnitsForm(forms.Form):
    credit_codes = forms.CharField(
        label=_("Credit codes of the units to add"),
        help_text=_(
            "One unified social credit code per line. Either every line is added or none: "
            "fix the lines named in the errors and send them again."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control font-monospace"}),
    )

    def clean_credit_codes(self) -> list[str]:
        lines = str(self.cleaned_data["credit_codes"]).splitlines()
        if not any(line.strip() for line in lines):
            raise forms.ValidationError(_("Credit codes: enter at least one."))
        if len(lines) > MAX_CODES:
            raise forms.ValidationError(
                _("Credit codes: at most %(max)d lines at a time; use the unit import for more.")
                % {"max": MAX_CODES}
            )
        return lines


class RemoveUnitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: the unit leaves this block and its page no longer lists it."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Tick the box to confirm the removal.")},
    )
