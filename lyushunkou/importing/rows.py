"""The rows of a file against an app's columns (``read_rows``), and writing the valid rows' plans
all or nothing (``write_rows``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lyushunkou.import_templates import example_row_problem, is_example_row
from lyushunkou.importing.reading import MAX_FILE_BYTES, ImportFileError, iter_table
from lyushunkou.importing.result import ImportResult, PlanT, Progress, RowError, Rows
from lyushunkou.tabular import clean_text, column_positions


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
    ``open_rows`` reads the same rows a chunk at a time.
    """
    stream = open_rows(
        result, content, filename, columns, max_rows=max_rows, missing=missing, too_many=too_many
    )
    if stream is None:
        return None
    rows = [row for chunk in stream.chunks(CHUNK_ROWS) for row in chunk]
    return rows if result.ok else None


CHUNK_ROWS = 1000


def open_rows(
    result: ImportResult,
    content: bytes,
    filename: str,
    columns: Sequence[FileColumn],
    *,
    max_rows: int,
    missing: str = "",
    too_many: str = "",
) -> RowStream | None:
    """The file's header checked against ``columns``, and its data rows to read a chunk at a
    time (``RowStream.chunks``); None, with the problems added to ``result``, when the file
    cannot be read or lacks a required column. The rest is reported as ``read_rows`` does, once
    the rows have been read: the memory a file takes does not grow with its rows."""
    try:
        if len(content) > MAX_FILE_BYTES:
            raise ImportFileError(_("The file is larger than 20 MB; split it."))
        table = iter_table(content, filename)
        header = next(table, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
    except ImportFileError as problem:
        result.problems.append(str(problem))
        return None
    by_header = column_positions(header, [column.header for column in columns])
    positions = {c.key: by_header[c.header] for c in columns if c.header in by_header}
    for column in columns:
        if column.required and column.key not in positions:
            if missing:
                result.problems.append(missing % {"column": column.header})
            else:
                result.errors.append(RowError(1, column.header, _("This column is missing.")))
    if not result.ok:
        return None
    return RowStream(result, table, positions, max_rows=max_rows, too_many=too_many)


def data_row(cells: Sequence[str], positions: dict[str, int]) -> dict[str, str] | None:
    """A row's trimmed text by column key; None for a blank row (which keeps its number)."""
    if not any(clean_text(cell) for cell in cells):
        return None
    return {
        key: clean_text(cells[index]) if index < len(cells) else ""
        for key, index in positions.items()
    }


class RowStream:
    """The data rows of an open file (``open_rows``), read as they are asked for.

    Rows stop coming at the first problem with the file as a whole (unreadable past some row,
    the template's example row, more than ``max_rows`` rows); the rows of a file with a problem
    are still counted, for the message, but not read. When the rows are exhausted the problems
    are in ``result.problems``, and the row errors found meanwhile are dropped: a file refused
    as a whole is reported as such, as it always was. ``result.rows`` is the count of data rows.
    """

    def __init__(
        self,
        result: ImportResult,
        table: Iterator[list[str]],
        positions: dict[str, int],
        *,
        max_rows: int,
        too_many: str,
    ) -> None:
        self.result = result
        self.table = table
        self.positions = positions
        self.max_rows = max_rows
        self.too_many = too_many

    def chunks(self, size: int) -> Iterator[Rows]:
        result = self.result
        problems: list[str] = []
        count = 0
        chunk: Rows = []
        try:
            for number, cells in enumerate(self.table, start=2):
                values = data_row(cells, self.positions)
                if values is None:
                    continue
                count += 1
                if problems:
                    continue  # counted only: the file is refused already
                if is_example_row(values):
                    problems.append(example_row_problem(number))
                elif count > self.max_rows:
                    problems.append("")  # the count is known at the end
                else:
                    chunk.append((number, values))
                    if len(chunk) >= size:
                        yield chunk
                        chunk = []
        except ImportFileError as problem:
            problems.append(str(problem))
        if chunk and not problems:
            yield chunk
        if not count and not problems:
            problems.append(_("The file has no rows below the header."))
        if "" in problems:
            message = self.too_many or _(
                "The file has %(count)d rows; import at most %(max)d at a time."
            )
            problems[problems.index("")] = message % {"count": count, "max": self.max_rows}
        if problems:
            result.errors.clear()
            result.problems.extend(problems)
            return
        result.rows = count


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
