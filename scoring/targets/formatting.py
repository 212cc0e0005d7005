"""How a target's figures are written, on the pages, in the CSV exports and in the report PDFs
alike (issue 20 item 3): a rate, a number, a value with its unit, a threshold, a change, met or
not, a share.

The differences a reader sees are parameters, not copies:

- ``no_data``: what stands for a missing figure. "" for a value on the pages (the templates show
  their own "no data" badge), "—" for a count or a threshold, "无数据" (``NO_DATA``) in the reports.
- ``with_unit``: the pages write "29.58 批次"; the report writes "29.58" under a column that names
  the unit.
- ``trim``: the dashboard's threshold drops trailing zeros ("≥ 95%", "≤ 2.5 千人"); the report's
  keeps them ("≥ 95.0%", "≤ 2.50").
- ``thousands``: the report groups digits ("12,345"); the dashboard does not ("12345").

The defaults are what the pages print; the reports pass their own.

A figure is written in its own type: a ``Decimal`` rounds half-even at the digits it prints, a
``float`` at its binary value (0.1235 as a float prints 12.3%, as a Decimal 12.4%). The reports
write the decimal a figure prints as (``exact``); the pages and ``evaluate_targets`` write what they
are given (Decimals from the summary table, the §7 floats). Converting here would change a tie on
one side or the other.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring.models import Target

PERCENT = "%"
DASH = "—"
NO_DATA = gettext_lazy("No data")

Figure = Decimal | float
NoData = str | Promise


def exact(value: Decimal | float | int | None) -> Decimal | None:
    """The decimal a figure prints as: 0.1 is Decimal("0.1"), not the nearest binary fraction."""
    return None if value is None else Decimal(str(value))


def is_rate(unit_label: str) -> bool:
    """Whether a target is shown in percent: its stored value is a fraction (0.96 for 96%)."""
    return unit_label.strip() == PERCENT


def _trimmed(text: str) -> str:
    """ "95.0" → "95", "2.50" → "2.5", "2.55" stays."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_rate(
    value: Figure | None, *, digits: int = 1, trim: bool = False, no_data: NoData = DASH
) -> str:
    """A fraction in percent: 0.9634 → "96.3%"."""
    if value is None:
        return str(no_data)
    shown = f"{value * 100:.{digits}f}"
    return (_trimmed(shown) if trim else shown) + PERCENT


def format_number(
    value: Decimal | None, *, digits: int = 2, thousands: bool = False, no_data: NoData = DASH
) -> str:
    """A count as a count (12, or 12,345 with ``thousands``), anything else with ``digits``
    decimals (29.58)."""
    if value is None:
        return str(no_data)
    group = "," if thousands else ""
    if value == value.to_integral_value():
        return f"{int(value):{group}}"
    return f"{value:{group}.{digits}f}"


def format_value(
    value: Figure | None,
    unit_label: str,
    *,
    no_data: NoData = "",
    with_unit: bool = True,
    trim: bool = False,
) -> str:
    """A target's value as people read it: rates in percent with one decimal ("96.3%"), other
    figures with two decimals and their unit ("29.58 批次"); ``no_data`` for None, never 0% or
    100%."""
    if value is None:
        return str(no_data)
    if is_rate(unit_label):
        return format_rate(value, trim=trim)
    shown = f"{value:.2f}"
    if trim:
        shown = _trimmed(shown)
    return f"{shown} {unit_label}".rstrip() if with_unit else shown


def format_threshold(
    comparator: str, threshold: Figure | None, unit_label: str, *, trim: bool, with_unit: bool
) -> str:
    """ "≥ 95%": the comparator's sign and the threshold; "decrease" on its own for a target that
    must fall; "—" for a target without a threshold."""
    if comparator == Target.Comparator.DECREASE:
        return str(Target.Comparator.DECREASE.label)
    if threshold is None:
        return DASH
    sign = dict(Target.Comparator.choices).get(comparator, comparator)
    return f"{sign} {format_value(threshold, unit_label, with_unit=with_unit, trim=trim)}"


def format_change(current: Figure | None, previous: Figure | None, unit_label: str) -> str:
    """The change since an earlier figure: "+1.2 个百分点" for a rate, "-0.35" otherwise; "—"
    when either figure is missing."""
    now, before = exact(current), exact(previous)
    if now is None or before is None:
        return DASH
    delta = now - before
    if is_rate(unit_label):
        return _("%(delta)s pp") % {"delta": f"{delta * 100:+.1f}"}
    return f"{delta:+.2f}"


def format_met(met: bool | None, *, no_data: NoData = NO_DATA) -> str:
    if met is None:
        return str(no_data)
    return _("Met") if met else _("Not met")


def format_share(part: int, whole: int, *, no_data: NoData = NO_DATA) -> str:
    """``part`` of ``whole`` in percent, written exactly ("12.5%"); ``no_data`` when ``whole`` is
    0."""
    return format_rate(exact(part / whole), no_data=no_data) if whole else str(no_data)
