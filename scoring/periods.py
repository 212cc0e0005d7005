"""Reporting periods: the parser lives in ``lyushunkou.periods`` so that the apps below scoring
(supervision's sampling proposals) parse periods the same way; scoring's modules keep importing it
from here."""

from __future__ import annotations

from django.utils import timezone as timezone  # patched through this module by tests

from lyushunkou.periods import (
    MONTH,
    QUARTER,
    YEAR,
    Period,
    PeriodError,
    containing,
    current,
    last_complete,
    parse,
)

__all__ = [
    "MONTH",
    "QUARTER",
    "YEAR",
    "Period",
    "PeriodError",
    "containing",
    "current",
    "last_complete",
    "parse",
]
