"""Claiming a transition with a conditional UPDATE (STYLE.md habit 3), written once.

Two people acting on the same record at once must not both win, and a form based on an older
version must not overwrite someone else's change. ``claim`` updates the row only while it is still
in one of the ``sources`` states (and at the ``version`` the form was based on); exactly one row,
or nothing is written and ``StaleObject`` is raised. Every app's services claim through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _


class StaleObject(ValidationError):
    """The record is no longer in the state (or at the version) the action was based on: someone
    else changed it, or the step is not possible from where it stands. Nothing was written."""

    def __init__(self, message: str | None = None, *, code: str = "stale") -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this record while you were editing it. Nothing was saved: "
                "reload the page to see the current version and try again."
            ),
            code=code,
        )


def _versioned(model: type[Model]) -> bool:
    # The optimistic-lock counter is a non-editable ``version`` (a rubric's editable version
    # number is a name, not a counter, and is never bumped).
    return any(
        field.name == "version" and not field.editable for field in model._meta.concrete_fields
    )


def claim(
    queryset: QuerySet[Any],
    *,
    sources: Iterable[str] | None = None,
    version: int | None = None,
    state_field: str = "status",
    refusal: StaleObject | None = None,
    rows: int = 1,
    **changes: Any,
) -> None:
    """Write ``changes`` to the one row of ``queryset`` still in ``sources`` (its ``state_field``,
    ``status`` unless named) and at ``version``, bumping the version of a versioned model (one
    with a non-editable ``version`` counter; models without one are claimed on their state).

    ``sources=None`` skips the state check and ``version=None`` the version check (the system,
    imports and the demo act on the current version). Raises ``refusal`` (``StaleObject()``
    unless given) when no row, or more than one, matched. ``queryset`` narrows to the row (and to
    any further condition the step needs, e.g. ``rectified_on__isnull=True``); a step on several
    rows at once (rows locked beforehand) names how many must match as ``rows``, inside the
    step's transaction: the refusal rolls back what the rows that did match were given.
    """
    if not claimed(
        queryset,
        sources=sources,
        version=version,
        state_field=state_field,
        rows=rows,
        **changes,
    ):
        raise refusal if refusal is not None else StaleObject()


def claimed(
    queryset: QuerySet[Any],
    *,
    sources: Iterable[str] | None = None,
    version: int | None = None,
    state_field: str = "status",
    rows: int = 1,
    **changes: Any,
) -> bool:
    """``claim`` that says whether it won instead of raising: for the system's own steps (a
    worker claiming a background job, a sweep taking a dead one back, a job finishing), where
    losing the race to another process is expected, not an error to show anyone."""
    if sources is not None:
        queryset = queryset.filter(**{f"{state_field}__in": list(sources)})
    if version is not None:
        queryset = queryset.filter(version=version)
    if _versioned(queryset.model):
        changes = {"version": F("version") + 1, **changes}
    return queryset.update(**changes) == rows
