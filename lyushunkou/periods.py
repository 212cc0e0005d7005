"""Reporting periods (DESIGN.md §6): a year ``2026``, a quarter ``2026-Q3`` or a month ``2026-10``.

Scores, target evaluations, reports and sampling proposals are all kept per period; this module is
the one parser. It lives in the base app so that every app parses periods alike (scoring re-exports
it as ``scoring.periods``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_PATTERNS = (
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTH),
)


class PeriodError(ValueError):
    """A malformed period; the message is one line, fit for a command's error output."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    key: str

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == QUARTER:
            return _("%(year)s Q%(quarter)s") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def is_future(self, today: dt.date | None = None) -> bool:
        """Not started yet."""
        return self.start > (today or timezone.localdate())

    def is_complete(self, today: dt.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The last day data can count for: the period's end, or today while it runs."""
        return min(self.end, today or timezone.localdate())

    def previous(self) -> Period:
        return containing(self.start - dt.timedelta(days=1), self.kind)

    def year_earlier(self) -> Period:
        if self.kind == YEAR:
            return parse(str(self.start.year - 1))
        if self.kind == QUARTER:
            return parse(f"{self.start.year - 1}-Q{(self.start.month - 1) // 3 + 1}")
        return parse(f"{self.start.year - 1}-{self.start.month:02d}")

    def last(self, n: int) -> list[Period]:
        """This period and the n − 1 before it, oldest first."""
        periods = [self]
        while len(periods) < n:
            periods.append(periods[-1].previous())
        return list(reversed(periods))


def parse(text: str) -> Period:
    text = (text or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if year < 2000 or year > 2100:
            break
        if kind == YEAR:
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR, f"{year}")
        if kind == QUARTER:
            quarter = int(match.group(2))
            first = 3 * quarter - 2
            last_day = calendar.monthrange(year, first + 2)[1]
            return Period(
                dt.date(year, first, 1),
                dt.date(year, first + 2, last_day),
                QUARTER,
                f"{year}-Q{quarter}",
            )
        month = int(match.group(2))
        last_day = calendar.monthrange(year, month)[1]
        return Period(
            dt.date(year, month, 1), dt.date(year, month, last_day), MONTH, f"{year}-{month:02d}"
        )
    raise PeriodError(
        _("Malformed period %(text)r: use a year (2026), a quarter (2026-Q3) or a month (2026-10).")
        % {"text": text}
    )


def containing(day: dt.date, kind: str = MONTH) -> Period:
    if kind == YEAR:
        return parse(f"{day.year}")
    if kind == QUARTER:
        return parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse(f"{day.year}-{day.month:02d}")


def current(kind: str = MONTH, today: dt.date | None = None) -> Period:
    return containing(today or timezone.localdate(), kind)


def last_complete(kind: str = MONTH, today: dt.date | None = None) -> Period:
    """The latest period of this kind that has ended: what scheduled reports cover."""
    return current(kind, today).previous()
