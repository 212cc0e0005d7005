"""The data a periodic report shows (DESIGN.md §6–§8), gathered into plain Python values before
any layout starts: a fixed number of aggregate queries whatever the size of the data.

``gather`` returns everything ``scoring.reports.render`` lays out: the target table (from the
``TargetResult`` summary rows, evaluated first if missing), complaints, sampling, the
demonstration programme, the survey with its confidence intervals, the jurisdictions ranked by
targets missed and the methodology. Personal data never enters it: complaints are counted,
respondents are businesses, and no complainant, phone number or address is read.

The package: ``scope`` (whose report, ``ReportRequestError``), ``formatting`` (how figures are
written), ``targets_table`` (the target table), one module per section (``complaints_section``,
``sampling_section``, ``programme_section``, ``survey_section``), ``methodology`` (the appendix)
and ``gathering`` (``gather``). The names below are the ones other modules use.
"""

from __future__ import annotations

from scoring.reports.data.formatting import (
    NO_DATA,
    format_change,
    format_met,
    format_threshold,
    format_value,
    wilson_interval,
)
from scoring.reports.data.gathering import gather
from scoring.reports.data.methodology import methodology_formulas
from scoring.reports.data.scope import (
    DISTRICT,
    ReportRequestError,
    Scope,
    scope_jurisdiction,
    top_level_jurisdictions,
)
from scoring.reports.data.targets_table import TargetFigure, prepare_targets, target_figures

__all__ = [
    "DISTRICT",
    "NO_DATA",
    "ReportRequestError",
    "Scope",
    "TargetFigure",
    "format_change",
    "format_met",
    "format_threshold",
    "format_value",
    "gather",
    "methodology_formulas",
    "prepare_targets",
    "scope_jurisdiction",
    "target_figures",
    "top_level_jurisdictions",
    "wilson_interval",
]
