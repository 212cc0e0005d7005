"""Posting complaints and sampling results: one code path with the file import.

A batch of records becomes the very file the importer reads (a UTF-8 CSV with the file's
Chinese headers, DESIGN.md §7) and goes through ``complaints.imports.import_complaints`` or
``inspections.imports.import_sampling`` as the client's system account. The vocabulary, the
checks, the workflow services, all-or-nothing, idempotency by record or sample number, the audit
event and the figures' refresh are therefore the file import's, by construction. A record may
name its fields by the file's header (登记编号) or by the column's English key (record_no); the
errors name the field as the record did, with its index in the batch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lyushunkou.importing import FileColumn, ImportResult
from lyushunkou.models import User

MAX_BATCH = 1000
MAX_VALUE_CHARS = 5000  # longer than any column the importers accept; refused before parsing
FIRST_ROW = 2  # the header is row 1 of the file the importer reads


@dataclass(frozen=True)
class IngestError:
    index: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message}


@dataclass
class Ingest:
    """The outcome of a batch: the importer's counts, or why nothing was written."""

    ok: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[IngestError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def records_of(payload: Any) -> list[Any]:
    """One record (an object) or a batch (a list of objects)."""
    return payload if isinstance(payload, list) else [payload]


def field_names(columns: Sequence[FileColumn]) -> dict[str, FileColumn]:
    """Every name a record may give a field: the file's header and the column's key."""
    names: dict[str, FileColumn] = {}
    for column in columns:
        names[column.header] = column
        names[column.key] = column
    return names


def _cell(value: Any) -> str | None:
    """A JSON value as the text of a cell; None for a type no cell holds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


def _to_rows(
    records: Sequence[Any], columns: Sequence[FileColumn]
) -> tuple[list[list[str]], list[dict[str, str]], list[IngestError]]:
    """The rows of the file, the name each record gave each column (for its errors), and the
    errors of shape: not an object, an unknown field, a wrong type, an over-long value."""
    names = field_names(columns)
    rows: list[list[str]] = []
    spelled: list[dict[str, str]] = []
    errors: list[IngestError] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(IngestError(index, "", _("A record must be a JSON object.")))
            continue
        cells: dict[str, str] = {}
        given: dict[str, str] = {}
        for name, value in record.items():
            column = names.get(str(name))
            if column is None:
                errors.append(IngestError(index, str(name), _("Unknown field.")))
                continue
            if column.header in cells:
                errors.append(
                    IngestError(index, str(name), _("This field is given twice (by two names)."))
                )
                continue
            text = _cell(value)
            if text is None:
                errors.append(
                    IngestError(index, str(name), _("Must be a string, a number or null."))
                )
                continue
            if len(text) > MAX_VALUE_CHARS:
                errors.append(
                    IngestError(
                        index,
                        str(name),
                        _("At most %(max)d characters.") % {"max": MAX_VALUE_CHARS},
                    )
                )
                continue
            cells[column.header] = text
            given[column.header] = str(name)
        if not any(text.strip() for text in cells.values()) and isinstance(record, dict):
            errors.append(IngestError(index, "", _("The record is empty.")))
        rows.append([cells.get(column.header, "") for column in columns])
        spelled.append(given)
    return rows, spelled, errors


def ingest(
    payload: Any,
    *,
    columns: Sequence[FileColumn],
    importer: Callable[..., ImportResult],
    by: User,
    dry_run: bool = False,
) -> Ingest:
    """Check the batch's shape, then run the file importer on it as ``by``."""
    records = records_of(payload)
    if not records:
        return Ingest(False, errors=[IngestError(None, "", _("The batch is empty."))])
    rows, spelled, errors = _to_rows(records, columns)
    if errors:
        return Ingest(False, errors=errors)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    writer.writerows(rows)
    result = importer(
        content=buffer.getvalue().encode("utf-8"), filename="api.csv", by=by, dry_run=dry_run
    )
    if not result.ok:
        found = [IngestError(None, "", problem) for problem in result.problems]
        for error in result.errors:
            index = error.row - FIRST_ROW
            if 0 <= index < len(spelled):
                name = spelled[index].get(error.column, error.column)
                found.append(IngestError(index, name, error.reason))
            else:
                found.append(IngestError(None, error.column, error.reason))
        return Ingest(False, errors=found)
    return Ingest(
        True,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
