"""Working-day deadlines for the seeder without one query per deadline."""

from __future__ import annotations

import bisect
import datetime as dt

from lyushunkou.workdays import Deadline, WorkdayCalendar, deadline


class FastCalendar:
    """Working-day deadlines for a whole period from one ``WorkdayCalendar`` (one load of the
    overrides), with the same results as ``lyushunkou.workdays.deadline``."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        calendar = WorkdayCalendar(start, end)
        self.start, self.end = start, end
        self.worked: list[int] = []  # working days counted up to and including each day
        self.unsure: list[int] = []  # provisional days up to and including each day
        worked = unsure = 0
        day = start
        while day <= end:
            is_workday, provisional = calendar.day(day)
            worked += is_workday
            unsure += provisional
            self.worked.append(worked)
            self.unsure.append(unsure)
            day += dt.timedelta(days=1)

    def add(self, start: dt.date, workdays: int) -> Deadline:
        index = (start - self.start).days
        if not 0 <= index < len(self.worked):
            return deadline(start, workdays)
        target = self.worked[index] + workdays
        found = bisect.bisect_left(self.worked, target, lo=index + 1)
        if found >= len(self.worked):
            return deadline(start, workdays)
        provisional = self.unsure[found] > self.unsure[index]
        return Deadline(self.start + dt.timedelta(days=found), provisional)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to ``end`` (both inside the period)."""
        return self.worked[(end - self.start).days] - self.worked[(start - self.start).days]
