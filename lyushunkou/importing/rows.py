"""The rows of a file against an app's columns (``read_rows``), and writing the valid rows' plans
all or nothing (``write_rows``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lyushunkou.import_templates import example_row_problem, is_example_row
from lyushunkou.importing.reading import MAX_FILE_BYTES, ImportFileError, read_table
from lyushunkou.importing.result import ImportResult, PlanT, Progress, RowError, Rows
from lyushunkou.tabular import column_positions, data_rows


class FileColumn(Protocol):
    """A column of an app's file format (``<app>.exports.COLUMNS``)."""

    @property
    def header(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def required(self) -> bool: ...


def read_rows(
    result: ImportResult,
    content: bytes,
    filename: str,
    columns: Sequence[FileColumn],
    *,
    max_rows: int,
    missing: str = "",
    too_many: str = "",
) -> Rows | None:
    """The data rows of the file as ``(spreadsheet row number, {column key: trimmed text})``,
    blank rows skipped; None, with the problems added to ``result``, when the file cannot be
    read, lacks a required column, has no rows or more than ``max_rows``.

    A missing column is an error of row 1 unless ``missing`` (with ``%(column)s``) makes it a
    problem of the file; ``too_many`` (``%(count)d``, ``%(max)d``) replaces the usual message.
    """
    try:
        if len(content) > MAX_FILE_BYTES:
            raise ImportFileError(_("The file is larger than 20 MB; split it."))
        table = read_table(content, filename)
        if not table:
            raise ImportFileError(_("The file is empty."))
    except ImportFileError as problem:
        result.problems.append(str(problem))
        return None
    by_header = column_positions(table[0], [column.header for column in columns])
    positions = {c.key: by_header[c.header] for c in columns if c.header in by_header}
    for column in columns:
        if column.required and column.key not in positions:
            if missing:
                result.problems.append(missing % {"column": column.header})
            else:
                result.errors.append(RowError(1, column.header, _("This column is missing.")))
    if not result.ok:
        return None
    rows = data_rows(table, positions)
    result.problems.extend(example_row_problem(n) for n, values in rows if is_example_row(values))
    if not rows:
        result.problems.append(_("The file has no rows below the header."))
    elif len(rows) > max_rows:
        message = too_many or _("The file has %(count)d rows; import at most %(max)d at a time.")
        result.problems.append(message % {"count": len(rows), "max": max_rows})
    if not result.ok:
        return None
    result.rows = len(rows)
    return rows


def write_rows(
    result: ImportResult,
    plans: Sequence[PlanT],
    write: Callable[[PlanT], object],
    *,
    column: str,
    progress: Progress | None = None,
    roll_back: bool = False,
) -> None:
    """All or nothing: every plan through ``write`` in one transaction, ``progress`` told the
    rows done so far. An error ``write`` raises undoes the transaction and is reported on its
    row under ``column``; ``write`` may instead add a row's error to ``result.errors`` itself
    (checking the later rows too), which also undoes it, as ``roll_back`` (a dry run that goes
    through the services) does. Nothing written means no row counted."""
    current: PlanT | None = None
    try:
        with transaction.atomic():
            for done, current in enumerate(plans):
                if progress is not None:
                    progress(done, len(plans))
                write(current)
            if result.errors or roll_back:
                raise _RollBack
    except _RollBack:
        pass
    except (ValidationError, IntegrityError) as problem:
        # Changed by someone else meanwhile, or a rule only the database knows: nothing written.
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        row = current.row if current is not None else 0
        result.errors.append(RowError(row, column, " ".join(messages)))
    if result.errors:
        result.created = result.updated = result.unchanged = 0


class _RollBack(Exception):
    """Raised inside an import's transaction to undo it."""
