"""Scoring: the versioned Five Guarantees rubric, unit scores with their evidence, appeals, the
district targets and their evaluations, the demonstration-area checklist, summary tables for the
leader dashboard, and the archive of periodic PDF reports (DESIGN.md §5–§7).

This app reads units, complaints and inspections; they never import it.

The package: ``rubric`` (grades, the rubric and its indicators), ``scores`` (unit scores,
corrections, appeals), ``targets`` (targets, their results, demonstration areas), ``checklist``,
``summaries`` (the dashboard's grade summary) and ``reports``. Django finds the models through the
imports below, in the order they were declared when this was one module.
"""

from __future__ import annotations

# Declaration order, not alphabetical: it is the order Django registers the models in.
# isort: off
from scoring.models.rubric import LETTERS, MAX_GUARANTEE_POINTS, Grade, Indicator, Rubric
from scoring.models.scores import APPEAL_DAYS, Appeal, ScoreCorrection, UnitScore
from scoring.models.targets import DemonstrationArea, Target, TargetResult
from scoring.models.checklist import ChecklistItem
from scoring.models.summaries import GradeSummary
from scoring.models.reports import Report

# isort: on

__all__ = [
    "APPEAL_DAYS",
    "LETTERS",
    "MAX_GUARANTEE_POINTS",
    "Appeal",
    "ChecklistItem",
    "DemonstrationArea",
    "Grade",
    "GradeSummary",
    "Indicator",
    "Report",
    "Rubric",
    "ScoreCorrection",
    "Target",
    "TargetResult",
    "UnitScore",
]
