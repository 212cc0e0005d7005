"""The district targets (DESIGN.md §6): their evaluation for a period and a scope, the summary table
the dashboard and the reports read, and the demonstration-area checklist.

``evaluate(period, jurisdiction)`` returns the object of DESIGN.md §7::

    {"period": "2026-10", "scope": "district" | "<jurisdiction code>",
     "evaluated_at": "2026-11-03T09:15:00+08:00",
     "targets": [{"key", "label", "value", "numerator", "denominator", "comparator",
                  "threshold", "met", "detail"}, ...]}

JSON types, always the same: ``value`` and ``threshold`` are numbers (rates as fractions, 0.96 for
96%, rounded to 6 places) or null; ``numerator`` and ``denominator`` are integer counts, except the
per-thousand figure whose denominator is thousands of residents pro-rated to the period (a number
with up to 6 decimals, null without a population); ``met`` is true / false / null. ``value`` and
``met`` are null when there is no data (a zero denominator), never 0% or 100%. ``detail`` is an
addition to §7: an object with the facts behind the figure (which threshold applied, the
year-on-year comparison of the problem detection rate, the population used …).

The figures come from the apps' selectors only — ``complaints.figures.complaint_figures`` and
``survey_figures``, ``inspections.figures.sampling_figures`` — plus the 12315 station coverage of
demonstration units, computed here with one aggregate. Data counts up to the period's end, or up to
today while the period runs (``Period.as_of``); a period not started yet has no data.

Thresholds: for a jurisdiction, its own jurisdiction-scoped target wins, then the demonstration-area
target if the jurisdiction was designated a demonstration area on or before the period's end, then
the district target. docs/targets.md describes every target.

The package: ``definitions`` (keys, thresholds, comparison), ``formatting`` (how a figure is
written, on the pages and in the reports' PDFs), ``figures`` (the figures of a period and scope),
``evaluation`` (the §7 object), ``judge`` (whether a figure may be judged at all: minimum sample, a
running period), ``storage`` (the summary table), ``refreshing`` (when the open periods' results are
refreshed) and ``checklist`` (the demonstration-area checklist); the targets pages and admin
(``forms``, ``views``, ``urls``, ``admin``); and ``dashboard``, the leader dashboard and big screen
that read the summary table. The names below are the ones other modules use.
"""

from __future__ import annotations

from scoring.targets.checklist import (
    Item,
    checklist_file_for_user,
    checklist_item_for_user,
    checklist_item_save,
    checklist_items_for_user,
    checklist_place_for_user,
    checklist_places_for_user,
)
from scoring.targets.definitions import (
    DEMONSTRATION_STATUSES,
    DETECTION_HEADLINE_TYPE,
    DISTRICT_SCOPE,
    TARGET_KEYS,
    TOLERANCE,
    applicable_targets,
    compare,
    is_demo_area,
    scope_code,
)
from scoring.targets.evaluation import evaluate
from scoring.targets.figures import collect_figures, station_figures
from scoring.targets.formatting import format_value
from scoring.targets.storage import refresh, store

__all__ = [
    "DEMONSTRATION_STATUSES",
    "DETECTION_HEADLINE_TYPE",
    "DISTRICT_SCOPE",
    "TARGET_KEYS",
    "TOLERANCE",
    "Item",
    "applicable_targets",
    "checklist_file_for_user",
    "checklist_item_for_user",
    "checklist_item_save",
    "checklist_items_for_user",
    "checklist_place_for_user",
    "checklist_places_for_user",
    "collect_figures",
    "compare",
    "evaluate",
    "format_value",
    "is_demo_area",
    "refresh",
    "scope_code",
    "station_figures",
    "store",
]
