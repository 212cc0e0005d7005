"""Forms of the demonstration block and industry pages: the public period, and staff's membership
changes.

The period follows DESIGN.md §6 (a year ``2026``, a quarter ``2026-Q3``, a month ``2026-10``). The
parser of record is scoring.periods, which units may not import (units is below scoring); this is
the little of it the block pages need.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# More credit codes than this in one go is a spreadsheet: the unit import takes those.
MAX_CODES = 200


@dataclass(frozen=True)
class BlockPeriod:
    start: dt.date
    end: dt.date
    key: str
    label: str

    def until(self, today: dt.date) -> dt.date:
        """The last day data can count for: the period's end, or today while it runs."""
        return min(self.end, today)


def _month(year: int, month: int) -> BlockPeriod:
    last = calendar.monthrange(year, month)[1]
    return BlockPeriod(
        dt.date(year, month, 1),
        dt.date(year, month, last),
        f"{year}-{month:02d}",
        gettext("%(year)s-%(month)02d") % {"year": year, "month": month},
    )


def parse_period(text: str) -> BlockPeriod | None:
    """The period a ``?period=`` value names, or None when it is malformed."""
    text = (text or "").strip().upper()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        label = gettext("%(year)s") % {"year": year}
        return BlockPeriod(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}", label)
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * quarter - 2
        label = gettext("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
        end = dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
        return BlockPeriod(dt.date(year, first, 1), end, f"{year}-Q{quarter}", label)
    if match := _MONTH.match(text):
        return _month(int(match.group(1)), int(match.group(2)))
    return None


def last_complete_month(today: dt.date) -> BlockPeriod:
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return _month(previous.year, previous.month)


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

    def clean_period(self) -> BlockPeriod:
        text = str(self.cleaned_data.get("period") or "")
        if not text.strip():
            return last_complete_month(self.today)
        period = parse_period(text)
        if period is None or not 2000 <= period.start.year <= 2100:
            raise forms.ValidationError(
                _("Period: use a year (2026), a quarter (2026-Q3) or a month (2026-10).")
            )
        if period.start > self.today:
            raise forms.ValidationError(
                _("Period: %(period)s has not started yet.") % {"period": period.label}
            )
        return period

    def chosen(self) -> BlockPeriod:
        """The valid period asked for, else the last complete month (the error is shown)."""
        if self.is_valid():
            period: BlockPeriod = self.cleaned_data["period"]
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
