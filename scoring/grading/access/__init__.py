"""Access helpers for unit scores and appeals (STYLE.md habit 1), and what a user may see of a
score's evidence.

Who sees what, as for units (``units.access``): operators the scores of their own units; staff the
scores of the units in their scope (all, or their street); leaders everything; other roles
nothing. Appeals follow their unit. ``write=True`` on an appeal means deciding it: staff only.
Outside the scope the answer is 404, as if the object did not exist, and the attempt is audited.

A score's evidence names records of other apps; ``score_explanation`` turns it into lines with
links the viewing user may follow — an operator is never shown a report (举报) or a complaint not
forwarded to them, and is sent to their own workspace pages rather than staff pages.

The package: ``scores`` (the access helpers and the reads of scores and appeals) and
``explanation`` (a score's evidence for this user). The names below are the ones other modules use.
"""

from __future__ import annotations

from scoring.grading.access.explanation import (
    EvidenceLine,
    EvidenceRecord,
    Explanation,
    GuaranteeLines,
    score_explanation,
)
from scoring.grading.access.scores import (
    READERS,
    TREND_PERIODS,
    appeal_for_user,
    appeals_for_user,
    latest_period,
    latest_scores,
    recency,
    score_appeals,
    score_for_appeal,
    score_for_user,
    score_indicators,
    score_list_queryset,
    score_periods_for_user,
    score_trend,
    score_url,
    scores_for_user,
)

__all__ = [
    "READERS",
    "TREND_PERIODS",
    "EvidenceLine",
    "EvidenceRecord",
    "Explanation",
    "GuaranteeLines",
    "appeal_for_user",
    "appeals_for_user",
    "latest_period",
    "latest_scores",
    "recency",
    "score_appeals",
    "score_explanation",
    "score_for_appeal",
    "score_for_user",
    "score_indicators",
    "score_list_queryset",
    "score_periods_for_user",
    "score_trend",
    "score_url",
    "scores_for_user",
]
