"""Reads for the leader dashboard (issue 6 item 6): one period, one scope, a fixed query count.

Everything comes from the summary tables the jobs refresh — ``TargetResult`` (written by
``scoring.targets.refresh``) and ``GradeSummary`` (written by the scoring engine) — plus three
counts on indexed columns of the raw tables (units in warning, overdue complaints, overdue
disposals). Nothing here scans raw rows per request (DESIGN.md §8), and the number of queries does
not depend on the amount of data: tests/scoring/test_dashboard_queries.py pins it.

Every figure carries the URLs of the lists behind it. The key → list mapping is ``TARGET_LISTS``:
for each target the list filtered to exactly the records its denominator counts and to those its
numerator counts, over the days the figure counted (``figure_window``), in the dashboard's scope.

The package: ``links`` (the lists behind the figures), ``scope`` (which scope a user sees),
``figures`` (the figures table), ``trends`` (the figures over past periods), ``cards`` (cards the
apps above add), ``board`` (the whole page's reads), ``views`` and ``urls``; ``screen`` and
``views_screen`` are the big screen's reads and page. The names below are the ones other modules
use.
"""

from __future__ import annotations

from scoring.targets.dashboard.board import (
    WARNING_LIMIT,
    Dashboard,
    grade_period_candidates,
    leader_dashboard,
    period_choices,
)
from scoring.targets.dashboard.figures import TargetRow, target_rows
from scoring.targets.dashboard.links import SCORES_LIST, TARGET_LISTS, dashboard_url, figure_window
from scoring.targets.dashboard.scope import DISTRICT, Scope, places_for_user, scope_for_user
from scoring.targets.dashboard.trends import TREND_PERIODS

__all__ = [
    "DISTRICT",
    "SCORES_LIST",
    "TARGET_LISTS",
    "TREND_PERIODS",
    "WARNING_LIMIT",
    "Dashboard",
    "Scope",
    "TargetRow",
    "dashboard_url",
    "figure_window",
    "grade_period_candidates",
    "leader_dashboard",
    "period_choices",
    "places_for_user",
    "scope_for_user",
    "target_rows",
]
