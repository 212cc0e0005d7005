"""Chinese working days, for the legal deadlines of DESIGN.md §5.

Where a day's status comes from, in order:
1. ``CalendarOverride``: an administrator's ruling on that date;
2. ``chinese_calendar``: the State Council's published arrangement, 调休 make-up days
   included, for the years the installed package has data for (2004–2026 in 1.11.0);
3. a fallback for later years: Monday–Friday minus the statutory holidays of
   全国年节及纪念日放假办法 (as amended 2024). It knows nothing of make-up days, so a result that
   used it is *provisional* until an administrator confirms the year (``CalendarYear``) after
   entering the official notice.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _
from lunardate import LunarDate

from lyushunkou.models import CalendarOverride, CalendarYear

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """The last day to act, and whether it rests on the fallback rules."""

    date: dt.date
    provisional: bool


def covered_by_package(year: int) -> bool:
    """Whether chinese_calendar has the official arrangement for ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The public holidays every citizen has under the 2024 amendment (13 days a year)."""
    days: set[dt.date] = {dt.date(year, 1, 1)}  # 元旦, 1 day
    # 春节, 4 days: 农历除夕 to 正月初三; 除夕 is the day before 正月初一 (腊月 has 29 or 30 days).
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days.update(new_year + dt.timedelta(days=offset) for offset in range(-1, 3))
    # 清明节, 1 day: the solar term, which falls on 4 or 5 April.
    qingming = [
        day
        for day, name in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 7))
        if name == "清明"
    ]
    days.update(qingming)
    days.update({dt.date(year, 5, 1), dt.date(year, 5, 2)})  # 劳动节, 2 days
    days.add(LunarDate(year, 5, 5).to_solar_date())  # 端午节, 1 day
    days.add(LunarDate(year, 8, 15).to_solar_date())  # 中秋节, 1 day
    days.update(dt.date(year, 10, day) for day in (1, 2, 3))  # 国庆节, 3 days
    return frozenset(days)


def _fallback_is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


class WorkdayCalendar:
    """Answers for a range of dates with the overrides loaded once (one query per range)."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self._overrides = dict(
            CalendarOverride.objects.filter(date__gte=start, date__lte=end).values_list(
                "date", "is_workday"
            )
        )
        years = range(start.year, end.year + 1)
        self._confirmed_years = set(
            CalendarYear.objects.filter(year__in=list(years)).values_list("year", flat=True)
        )

    def day(self, day: dt.date) -> tuple[bool, bool]:
        """``(is_workday, provisional)`` for one date inside the loaded range."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the loaded range {self.start}–{self.end}.")
        if day in self._overrides:
            return self._overrides[day], False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:
            return _fallback_is_workday(day), day.year not in self._confirmed_years


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar(day, day).day(day)[0]


# Deadlines already computed in this process. Cleared whenever an administrator changes the
# calendar here (signals in lyushunkou.signals); other processes pick up a change within
# DEADLINE_CACHE_SECONDS. A year's import computes the same few hundred deadlines thousands of
# times, each otherwise costing two queries.
DEADLINE_CACHE_SECONDS = 300.0
_deadline_cache: dict[tuple[dt.date, int], tuple[float, Deadline]] = {}


def clear_deadline_cache() -> None:
    _deadline_cache.clear()


def deadline(start: dt.date, workdays: int) -> Deadline:
    """The ``workdays``-th working day after ``start``, ``start`` itself not counted.

    Example (DESIGN.md §5): received 2026-09-30, 7 working days → 2026-10-15, because 1–7 October
    are the National Day holiday and Saturday 10 October is a make-up working day.
    """
    if workdays < 1:
        raise ValueError("A deadline is at least one working day away.")
    now = time.monotonic()
    cached = _deadline_cache.get((start, workdays))
    if cached is not None and now - cached[0] < DEADLINE_CACHE_SECONDS:
        return cached[1]
    result = _compute_deadline(start, workdays)
    if len(_deadline_cache) > 50_000:
        _deadline_cache.clear()
    _deadline_cache[(start, workdays)] = (now, result)
    return result


def _compute_deadline(start: dt.date, workdays: int) -> Deadline:
    # Long holidays add at most ~9 days per 5 working days; load generously, extend if needed.
    span = dt.timedelta(days=workdays * 2 + 30)
    calendar = WorkdayCalendar(start, start + span)
    day, counted, provisional = start, 0, False
    while counted < workdays:
        day += ONE_DAY
        if day > calendar.end:
            calendar = WorkdayCalendar(day, day + span)
        open_, unsure = calendar.day(day)
        provisional = provisional or unsure
        if open_:
            counted += 1
    return Deadline(day, provisional)


def add_workdays(start: dt.date, workdays: int) -> dt.date:
    return deadline(start, workdays).date


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    ``workdays_between(today, due)`` is the number of working days left before a deadline.
    """
    if end == start:
        return 0
    if end < start:
        return -workdays_between(end, start)
    calendar = WorkdayCalendar(start, end)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += calendar.day(day)[0]
    return count


def calendar_warnings(today: dt.date | None = None) -> list[str]:
    """Warnings for administrators: from 1 November, next year's arrangement must be entered."""
    today = today or timezone.localdate()
    warnings = []
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    confirmed = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    for year in years:
        if not covered_by_package(year) and year not in confirmed:
            warnings.append(
                _(
                    "The official holiday arrangement for %(year)s is not available: deadlines "
                    "in %(year)s are computed from the statutory holidays alone and marked "
                    "provisional. Enter the State Council notice as calendar overrides and "
                    "confirm the year."
                )
                % {"year": year}
            )
    return warnings
