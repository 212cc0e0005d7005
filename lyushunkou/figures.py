"""The shape every programme figure takes (DESIGN.md §6), shared by the apps that compute them.

A figure is its numerator, its denominator, and the value numerator ÷ denominator as a fraction
(0.97, shown as 97%); with nothing to divide by the value is None — "no data", never 0% or 100%.
"""

from __future__ import annotations

from typing import Any


def ratio(numerator: float, denominator: float | None) -> float | None:
    if not denominator:
        return None
    return numerator / denominator


def percent(value: float | None) -> str:
    """A fraction as a percentage with one decimal (0.973 → "97.3%"); no data is blank."""
    return "" if value is None else f"{value * 100:.1f}%"


def figure(numerator: int, denominator: int) -> dict[str, Any]:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": ratio(numerator, denominator),
    }
