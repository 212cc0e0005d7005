"""Who reads which unit scores and appeals, and the score lists' reads (the package's docstring
says who sees what)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
from lyushunkou.models import Role, User
from scoring import periods
from scoring.models import Appeal, GradeSummary, Indicator, UnitScore
from units.models import Unit

READERS = (Role.STAFF, Role.LEADER)
TREND_PERIODS = 12


def _live(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- Scores ------------------------------------------------------------------------------------


def scores_for_user(user: User) -> QuerySet[UnitScore]:
    qs = UnitScore.objects.select_related("unit", "unit__jurisdiction", "jurisdiction", "rubric")
    if not _live(user):
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user)
    if user.role in READERS:
        # By the unit's jurisdiction today, as the unit pages are scoped.
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def score_for_user(user: User, unit_pk: int | str, period: str) -> UnitScore:
    """One unit's score for a period. Addressed by unit and period rather than by row, because
    re-scoring a period replaces its rows: a link in a notification must outlive that."""
    requested = f"{unit_pk}/{period}"
    return fetch_or_deny(
        scores_for_user(user), user, requested=requested, unit_id=unit_pk, period=period
    )


def score_url(score: UnitScore | Appeal) -> str:
    return reverse("score-detail", kwargs={"unit_pk": score.unit_id, "period": score.period})


def recency(period: str) -> tuple[dt.date, int]:
    """Sort key of "latest": the period whose data reach furthest (a running period counts up to
    today), and of two reaching as far, the shorter (a month before its quarter and year)."""
    try:
        parsed = periods.parse(period)
    except periods.PeriodError:
        return (dt.date.min, 0)
    return (parsed.as_of(timezone.localdate()), -parsed.days)


def latest_period(choices: Iterable[str]) -> str | None:
    return max(choices, key=recency, default=None)


def score_periods_for_user(user: User) -> list[str]:
    """The periods the user's scores cover, latest first.

    Staff and leaders read them from the grade summaries (a few rows a period), which every
    scoring run writes for every period it scores: a DISTINCT over the scores themselves reads
    every score in scope, some 900,000 rows at city scale, on each list page. Scores stored
    without summaries (only outside a scoring run) are read directly."""
    if _live(user) and user.role in READERS:
        summaries = scope_by_jurisdiction(GradeSummary.objects.all(), user)
        found = set(summaries.order_by().values_list("period", flat=True).distinct())
        if found:
            return sorted(found, key=recency, reverse=True)
    found = set(scores_for_user(user).order_by().values_list("period", flat=True).distinct())
    return sorted(found, key=recency, reverse=True)


def latest_scores(user: User, units: Iterable[Unit]) -> dict[int, UnitScore]:
    """Unit pk → its latest score the user may see, in one query (a unit has a score per period,
    a few dozen at most)."""
    by_unit: dict[int, list[UnitScore]] = {}
    unit_ids = [unit.pk for unit in units]
    if not unit_ids:
        return {}
    qs = scores_for_user(user).filter(unit_id__in=unit_ids).select_related(None)
    for score in qs.defer("evidence").order_by():
        by_unit.setdefault(score.unit_id, []).append(score)
    return {
        unit_id: max(scores, key=lambda s: recency(s.period)) for unit_id, scores in by_unit.items()
    }


def score_trend(user: User, score: UnitScore) -> list[UnitScore]:
    """The unit's scores of the same kind of period as ``score`` (months, quarters or years), up
    to and including it, oldest first: at most ``TREND_PERIODS``."""
    kind = periods.parse(score.period).kind
    here = recency(score.period)
    rows = [
        row
        for row in scores_for_user(user)
        .filter(unit_id=score.unit_id)
        .select_related(None)
        .defer("evidence")
        .order_by("-period")[:200]
        if _kind_of(row.period) == kind and recency(row.period) <= here
    ]
    rows.sort(key=lambda s: recency(s.period))
    return rows[-TREND_PERIODS:]


def _kind_of(period: str) -> str:
    try:
        return periods.parse(period).kind
    except periods.PeriodError:
        return ""


def score_list_queryset(user: User) -> QuerySet[UnitScore]:
    """Scores as the staff list and its exports show them, in a fixed number of queries.

    Highest total first; equal totals newest score first (the score's id, descending), not by the
    unit's name: totals take few distinct values, and a tie-break across the join to the units
    made PostgreSQL sort the period's ~900,000 scores for every page. The order is the index
    ``score_period_total_id`` on (period, total DESC, id DESC), which answers each keyset page
    (issue 17 item 1)."""
    pending = Appeal.objects.filter(
        unit_id=OuterRef("unit_id"),
        period=OuterRef("period"),
        kind=Appeal.Kind.APPEAL,
        status=Appeal.Status.PENDING,
    )
    return (
        scores_for_user(user)
        .defer("evidence")
        .annotate(appeal_pending=Exists(pending))
        .order_by("-total", "-pk")
    )


# --- Appeals -----------------------------------------------------------------------------------


def appeals_for_user(user: User) -> QuerySet[Appeal]:
    qs = Appeal.objects.select_related(
        "unit", "unit__jurisdiction", "submitted_by", "decided_by", "correction"
    )
    if not _live(user):
        return qs.none()
    if user.role == Role.OPERATOR:
        return qs.filter(unit__owner=user)
    if user.role in READERS:
        return scope_by_jurisdiction(qs, user, field="unit__jurisdiction")
    return qs.none()


def appeal_for_user(user: User, pk: int | str, *, write: bool = False) -> Appeal:
    """``write``: deciding the appeal, which staff of the unit's scope alone may do."""
    if write and user.role != Role.STAFF:
        raise deny_write(user, model="scoring.appeal", requested=pk)
    return fetch_or_deny(appeals_for_user(user), user, requested=pk, pk=pk)


def score_appeals(user: User, score: UnitScore) -> list[Appeal]:
    """Replies and appeals about this unit's grade of this period, newest first."""
    return list(appeals_for_user(user).filter(unit_id=score.unit_id, period=score.period))


def score_for_appeal(user: User, appeal: Appeal) -> UnitScore | None:
    return scores_for_user(user).filter(unit_id=appeal.unit_id, period=appeal.period).first()


def score_indicators(score: UnitScore | None) -> list[Indicator]:
    """The indicators of the rubric the appealed score was computed with (the decision form
    offers them as "the indicator whose records were wrong")."""
    if score is None:
        return []
    return list(Indicator.objects.filter(rubric_id=score.rubric_id).order_by("order", "id"))
