"""The shared readers of dates, amounts and phones in ``lyushunkou.tabular`` (DESIGN.md §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lyushunkou.tabular import (
    csv_lines,
    neutralise_formula,
    normalize_phone,
    parse_amount,
    parse_date_time,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-08", (D(2026, 10, 8), None)),
        ("2026/10/8", (D(2026, 10, 8), None)),
        ("2026-10-08 14:30", (D(2026, 10, 8), dt.time(14, 30))),
        ("2026-10-08 14:30:05", (D(2026, 10, 8), dt.time(14, 30, 5))),
        ("2026-10-08T14:30:00", (D(2026, 10, 8), dt.time(14, 30))),  # an Excel date-time cell
        ("2026-10-08T00:00:00", (D(2026, 10, 8), None)),  # an Excel date cell
        ("2026年10月8日", (D(2026, 10, 8), None)),
        ("２０２６－１０－０８", (D(2026, 10, 8), None)),
        ("46303", (D(2026, 10, 8), None)),  # Excel's serial day number
        ("2026-02-30", None),
        ("08/10/2026", None),
        ("123", None),
        ("", None),
    ],
)
def test_dates(text: str, expected: object) -> None:
    assert parse_date_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("680", Decimal("680.00")),
        ("1,234.5", Decimal("1234.50")),
        ("１，２３４．５０", Decimal("1234.50")),
        ("¥ 12 345元", Decimal("12345.00")),
        ("-5", Decimal("-5.00")),
        ("五百", None),
        ("1.2.3", None),
    ],
)
def test_amounts(text: str, expected: object) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0411-86123456", "0411-86123456"),
        ("(0411)86123456", "0411-86123456"),
        ("041186123456", "0411-86123456"),
        ("010-12345678", "010-12345678"),
        ("86123456", None),  # no area code
        ("12812345678", None),
        ("1381234567", None),
        ("110", None),
    ],
)
def test_phones(text: str, expected: object) -> None:
    assert normalize_phone(text) == expected


def test_formulas_are_neutralised_in_csv() -> None:
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("-3") == "'-3"
    assert neutralise_formula("海鲜馆") == "海鲜馆"
    lines = list(csv_lines(["a"], [["=cmd"]]))
    assert lines[0].startswith("\ufeff")
    assert lines[1] == "'=cmd\r\n"
