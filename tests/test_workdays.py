"""Working days for legal deadlines (DESIGN.md §5 "Working days")."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from lyushunkou.models import CalendarOverride, CalendarYear
from lyushunkou.workdays import (
    add_workdays,
    calendar_warnings,
    deadline,
    is_workday,
    statutory_holidays,
    workdays_between,
)

D = dt.date
pytestmark = pytest.mark.django_db


def test_it_skips_national_day_and_counts_the_make_up_saturday() -> None:
    # Received 30 Sep 2026 → accept by 15 Oct: 1–7 Oct off, Saturday 10 Oct a make-up workday.
    due = deadline(D(2026, 9, 30), 7)
    assert due.date == D(2026, 10, 15)
    assert due.provisional is False


def test_it_skips_spring_festival_2026() -> None:
    assert add_workdays(D(2026, 2, 10), 7) == D(2026, 2, 26)


def test_the_start_day_itself_is_not_counted() -> None:
    # Monday 2026-11-23 + 1 working day is Tuesday, not Monday.
    assert add_workdays(D(2026, 11, 23), 1) == D(2026, 11, 24)
    # From a Friday, the first working day is the next Monday.
    assert add_workdays(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_new_years_day_2027_is_a_holiday_from_the_fallback_rules() -> None:
    assert is_workday(D(2027, 1, 1)) is False
    due = deadline(D(2026, 12, 30), 2)  # Thu 31 Dec, then Mon 4 Jan (Fri 1 Jan off, weekend)
    assert due.date == D(2027, 1, 4)
    assert due.provisional is True


def test_deadlines_inside_a_covered_year_are_not_provisional() -> None:
    assert deadline(D(2026, 3, 2), 45).provisional is False


def test_spring_festival_2027_runs_from_new_years_eve_for_four_days() -> None:
    # 春节 2027: 正月初一 is Saturday 6 Feb; 除夕 Friday 5 Feb to 初三 Monday 8 Feb are off.
    assert is_workday(D(2027, 2, 4)) is True
    assert is_workday(D(2027, 2, 5)) is False
    assert is_workday(D(2027, 2, 8)) is False
    assert is_workday(D(2027, 2, 9)) is True


def test_2027_statutory_holidays_are_the_thirteen_days_of_the_2024_rules() -> None:
    days = statutory_holidays(2027)
    assert len(days) == 13
    assert {D(2027, 1, 1), D(2027, 4, 5), D(2027, 5, 1), D(2027, 5, 2)} <= days
    assert {D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)} <= days
    assert D(2027, 6, 9) in days  # 端午 (五月初五)
    assert D(2027, 9, 15) in days  # 中秋 (八月十五)


@pytest.mark.parametrize("year", [2025, 2026])
def test_fallback_holidays_agree_with_the_published_arrangement(year: int) -> None:
    # The fallback must reproduce the statutory days of years the State Council has published.
    for day in statutory_holidays(year):
        assert not chinese_calendar.is_workday(day), day


def test_an_override_wins_over_the_published_calendar() -> None:
    CalendarOverride.objects.create(date=D(2026, 10, 10), is_workday=False, note="测试")
    assert is_workday(D(2026, 10, 10)) is False
    assert add_workdays(D(2026, 9, 30), 7) == D(2026, 10, 16)


def test_an_override_wins_over_the_fallback_and_is_not_provisional() -> None:
    CalendarOverride.objects.create(date=D(2027, 2, 20), is_workday=True, note="调休上班")
    assert is_workday(D(2027, 2, 20)) is True
    due = deadline(D(2027, 2, 19), 1)
    assert due.date == D(2027, 2, 20)
    assert due.provisional is False


def test_confirming_a_year_makes_its_deadlines_final() -> None:
    assert deadline(D(2027, 3, 1), 10).provisional is True
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕示例号")
    assert deadline(D(2027, 3, 1), 10).provisional is False


def test_a_duplicate_override_date_is_a_validation_error() -> None:
    CalendarOverride.objects.create(date=D(2027, 1, 2), is_workday=True, note="first")
    duplicate = CalendarOverride(date=D(2027, 1, 2), is_workday=False, note="second")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "date" in error.value.message_dict


def test_workdays_between_counts_working_days_left() -> None:
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 15)) == 7
    assert workdays_between(D(2026, 10, 15), D(2026, 9, 30)) == -7
    assert workdays_between(D(2026, 10, 15), D(2026, 10, 15)) == 0


def test_deadline_needs_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        deadline(D(2026, 1, 5), 0)


def test_missing_next_year_is_warned_from_the_first_of_november() -> None:
    assert calendar_warnings(D(2026, 10, 31)) == []
    warnings = calendar_warnings(D(2026, 11, 1))
    assert len(warnings) == 1
    assert "2027" in warnings[0]
    CalendarYear.objects.create(year=2027, source="国办发明电")
    assert calendar_warnings(D(2026, 11, 1)) == []


def test_a_long_deadline_crossing_into_an_uncovered_year_still_resolves() -> None:
    due = deadline(D(2026, 12, 1), 45)
    assert due.date > D(2027, 1, 31)
    assert due.provisional is True


def test_a_calendar_change_takes_effect_at_once_despite_the_cache() -> None:
    assert add_workdays(D(2026, 9, 30), 7) == D(2026, 10, 15)  # computed and cached
    override = CalendarOverride.objects.create(date=D(2026, 10, 10), is_workday=False, note="x")
    assert add_workdays(D(2026, 9, 30), 7) == D(2026, 10, 16)
    override.delete()
    assert add_workdays(D(2026, 9, 30), 7) == D(2026, 10, 15)
