"""Periods: the one parser of ``2026``, ``2026-Q3`` and ``2026-10`` used by scores, targets and
reports."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring import periods
from scoring.periods import PeriodError, parse


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year"),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quarter"),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quarter"),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "month"),
        (" 2026-10 ", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month"),
    ],
)
def test_parse(text: str, start: dt.date, end: dt.date, kind: str) -> None:
    period = parse(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse(period.key) == period


@pytest.mark.parametrize("text", ["", "26", "2026-13", "2026-Q5", "2026-1", "2026/10", "1999"])
def test_malformed_periods_are_refused_with_one_line(text: str) -> None:
    with pytest.raises(PeriodError) as error:
        parse(text)
    assert "\n" not in str(error.value)
    assert "2026-Q3" in str(error.value)  # says what would be accepted


def test_previous_year_earlier_and_last() -> None:
    assert parse("2026-01").previous().key == "2025-12"
    assert parse("2026-Q1").previous().key == "2025-Q4"
    assert parse("2026").previous().key == "2025"
    assert parse("2026-Q3").year_earlier().key == "2025-Q3"
    assert [p.key for p in parse("2026-02").last(3)] == ["2025-12", "2026-01", "2026-02"]


def test_as_of_future_and_last_complete() -> None:
    today = dt.date(2026, 11, 29)
    month = parse("2026-11")
    assert month.as_of(today) == today
    assert parse("2026-10").as_of(today) == dt.date(2026, 10, 31)
    assert parse("2026-12").is_future(today)
    assert not month.is_future(today)
    assert periods.last_complete("month", today).key == "2026-10"
    assert periods.last_complete("quarter", today).key == "2026-Q3"
    assert periods.last_complete("year", today).key == "2025"
