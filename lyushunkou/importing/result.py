"""What an importer reports: a row's error, the plan of a valid row, progress, and the result
with its counts (``ImportResult``), which also checks every row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

from lyushunkou.models import User


class Progress(Protocol):
    """Told by an importer how many of its rows it has written, and of how many."""

    def __call__(self, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class Plan(Protocol):
    """A valid row an importer will write: its spreadsheet row and the record it updates."""

    @property
    def row(self) -> int: ...

    @property
    def existing(self) -> object | None: ...


PlanT = TypeVar("PlanT", bound=Plan)
Rows = list[tuple[int, dict[str, str]]]


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, filename: str, by: User | None, dry_run: bool) -> ImportResult:
        if by is None and not dry_run:
            raise ValueError("An import that writes needs the user it is recorded under.")
        return cls(filename=filename, dry_run=dry_run)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    @property
    def messages(self) -> list[str]:
        return [*self.problems, *(str(error) for error in self.errors)]

    def check(
        self, rows: Rows, check: Callable[[int, dict[str, str]], PlanT | list[RowError]]
    ) -> list[PlanT]:
        """Every row through ``check``: the plans of the valid ones; the others' errors added."""
        plans: list[PlanT] = []
        for number, values in rows:
            outcome = check(number, values)
            if isinstance(outcome, list):
                self.errors.extend(outcome)
            else:
                plans.append(outcome)
        return plans

    def count(self, plans: Sequence[PlanT], changed: Callable[[PlanT], bool]) -> None:
        """New rows, rows that change their record, and the others."""
        self.created = sum(1 for plan in plans if plan.existing is None)
        self.updated = sum(1 for plan in plans if plan.existing is not None and changed(plan))
        self.unchanged = len(plans) - self.created - self.updated
