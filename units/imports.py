"""Importing units from .xlsx or .csv (DESIGN.md §7 rules), shared by the page and the command.

All or nothing: every row is validated first and any error means nothing is written; errors are
listed as ``row N, column: reason`` with spreadsheet row numbers (the header is row 1). A credit
code already in the register updates that unit; it never creates a second one. Writes go through
``unit_create`` / ``unit_update_profile`` inside one transaction, so the audit trail of each unit
is the same as for a change made on its page.

The file format (column headers, Chinese names of industries and business statuses) is defined in
``units.exports`` with the export and the template, so the three cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.importing import Progress, record_import
from lyushunkou.models import Jurisdiction, User
from units.credit_codes import (
    entity_kind_for,
    normalize_credit_code,
    validate_credit_code,
)
from units.exports import (
    BUSINESS_STATUS_NAMES,
    COLUMN_BY_HEADER,
    COLUMN_BY_KEY,
    COLUMNS,
    INDUSTRY_NAMES,
)
from units.models import BusinessStatus, Industry, Unit
from units.services import unit_create, unit_update_profile

MAX_ROWS = 100_000
MAX_FILE_BYTES = 20 * 1024 * 1024
MASK_CHARACTER = "*"


_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, no header)."""


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


@dataclass
class RowPlan:
    row: int
    code: str
    data: dict[str, Any]
    existing: Unit | None = None
    changes: dict[str, Any] = field(default_factory=dict)


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

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    @property
    def messages(self) -> list[str]:
        return [*self.problems, *(str(error) for error in self.errors)]


# --- Reading the file --------------------------------------------------------------------------


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (what Excel on Chinese Windows writes)."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file starts as UTF-8 but is not valid UTF-8.")) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GB18030 (GBK); save it again as UTF-8 CSV.")
        ) from None


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed into Excel (phones, all-digit codes) lose no digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet (or the CSV) as text, the header row first."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        text = decode_csv(content)
        try:
            return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file is malformed: %(error)s") % {"error": error}
            ) from None
    if name.endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as .xlsx."))
    raise ImportFileError(_("Upload an .xlsx or .csv file."))


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("The file could not be read as an .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _header_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


# --- Vocabularies ------------------------------------------------------------------------------


def _vocabulary(names: dict[Any, str], choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Accepted spellings → value: the Chinese name, the stored value, and the labels."""
    accepted: dict[str, str] = {}
    for value, label in choices:
        accepted[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[_header_key(str(label)).lower()] = value
    for value, name in names.items():
        accepted[name] = str(value)
    return accepted


def _lookup(vocabulary: dict[str, str], text: str) -> str | None:
    key = _header_key(text).lower()
    if key in vocabulary:
        return vocabulary[key]
    # "生活服务（美容美发、洗浴、家政、维修）" → "生活服务"
    head = re.split(r"[(（]", key, maxsplit=1)[0]
    return vocabulary.get(head)


# --- Validation --------------------------------------------------------------------------------


@dataclass
class _Context:
    by: User | None
    jurisdictions: dict[str, Jurisdiction]
    allowed: set[int] | None
    scope_name: str
    existing: dict[str, Unit]
    industries: dict[str, str]
    statuses: dict[str, str]
    seen: dict[str, int] = field(default_factory=dict)


def _context(by: User | None, codes: Sequence[str]) -> _Context:
    jurisdictions: dict[str, Jurisdiction] = {}
    for jurisdiction in Jurisdiction.objects.all():
        jurisdictions[jurisdiction.code] = jurisdiction
        jurisdictions[_header_key(jurisdiction.name)] = jurisdiction
    allowed: set[int] | None = None
    scope_name = ""
    if by is not None and not by.is_district_wide:
        scoped = list(jurisdictions_for_user(by))
        allowed = {jurisdiction.pk for jurisdiction in scoped}
        scope_name = "、".join(jurisdiction.name for jurisdiction in scoped)
    existing: dict[str, Unit] = {}
    unique_codes = sorted(set(codes))
    for start in range(0, len(unique_codes), 500):  # stay under SQLite's parameter limit
        chunk = unique_codes[start : start + 500]
        for unit in Unit.objects.filter(credit_code__in=chunk).select_related("jurisdiction"):
            existing[unit.credit_code] = unit
    return _Context(
        by=by,
        jurisdictions=jurisdictions,
        allowed=allowed,
        scope_name=scope_name,
        existing=existing,
        industries=_vocabulary(INDUSTRY_NAMES, Industry.choices),
        statuses=_vocabulary(BUSINESS_STATUS_NAMES, BusinessStatus.choices),
    )


def _validate_row(number: int, values: dict[str, str], ctx: _Context) -> RowPlan | list[RowError]:
    errors: list[RowError] = []

    def error(key: str, reason: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, reason))

    for column in COLUMNS:
        if column.required and not values.get(column.key):
            error(column.key, _("This value is required."))

    data: dict[str, Any] = {}
    code = normalize_credit_code(values.get("credit_code"))
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as problem:
            error("credit_code", " ".join(problem.messages))
        else:
            if code in ctx.seen:
                error(
                    "credit_code",
                    _("This credit code already appears on row %(row)d.") % {"row": ctx.seen[code]},
                )
            else:
                ctx.seen[code] = number
    data["credit_code"] = code

    for key in ("name", "address", "legal_representative", "contact_person", "contact_phone"):
        if key in values:
            data[key] = values[key]
    for key in ("legal_representative", "contact_person", "contact_phone"):
        if MASK_CHARACTER in data.get(key, ""):
            # A masked export pasted back would overwrite the real name or number with stars.
            error(key, _("This looks masked (it contains *); enter the full value."))

    phone = unicodedata.normalize("NFKC", data.get("contact_phone", ""))
    if phone:
        data["contact_phone"] = phone
        if MASK_CHARACTER not in phone and not _PHONE.match(phone):
            error("contact_phone", _("Not a phone number: use digits, e.g. 13812345678."))

    if values.get("industry"):
        industry = _lookup(ctx.industries, values["industry"])
        if industry is None:
            error(
                "industry",
                _("Unknown industry “%(value)s”; use one of: %(choices)s.")
                % {"value": values["industry"], "choices": "、".join(INDUSTRY_NAMES.values())},
            )
        data["industry"] = industry

    if values.get("business_status"):
        status = _lookup(ctx.statuses, values["business_status"])
        if status is None:
            error(
                "business_status",
                _("Unknown business status “%(value)s”; use one of: %(choices)s.")
                % {
                    "value": values["business_status"],
                    "choices": "、".join(BUSINESS_STATUS_NAMES.values()),
                },
            )
        data["business_status"] = status

    if values.get("jurisdiction"):
        jurisdiction = ctx.jurisdictions.get(_header_key(values["jurisdiction"]))
        if jurisdiction is None:
            error(
                "jurisdiction",
                _("Unknown street “%(value)s”; give its name or 12-digit division code.")
                % {"value": values["jurisdiction"]},
            )
        elif not jurisdiction.active:
            inactive = _("%(street)s is no longer in use.") % {"street": jurisdiction.name}
            error("jurisdiction", inactive)
        elif jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
            error("jurisdiction", _("Give the street or park the unit is in, not the district."))
        elif ctx.allowed is not None and jurisdiction.pk not in ctx.allowed:
            error(
                "jurisdiction",
                _("Outside your jurisdiction: you may import units of %(scope)s only.")
                % {"scope": ctx.scope_name},
            )
        data["jurisdiction"] = jurisdiction

    existing = ctx.existing.get(code)
    if (
        existing is not None
        and ctx.allowed is not None
        and existing.jurisdiction_id not in ctx.allowed
    ):
        error(
            "credit_code",
            _("This unit is registered in %(street)s, outside your jurisdiction.")
            % {"street": existing.jurisdiction.name},
        )
    if errors:
        return errors

    # The model's own field rules (lengths, choices) with the file's column names.
    if existing is None:
        candidate = Unit(kind=entity_kind_for(code))
    else:
        candidate = Unit(kind=existing.kind, **{name: getattr(existing, name) for name in _PROFILE})
    for key, value in data.items():
        setattr(candidate, key, value)
    checked = [key for key in data if key not in ("credit_code", "jurisdiction")]
    try:
        candidate.clean_fields(exclude=[f.name for f in Unit._meta.fields if f.name not in checked])
    except ValidationError as problem:
        for key, messages in problem.message_dict.items():
            if key in COLUMN_BY_KEY:
                error(key, " ".join(messages))
    if errors:
        return errors

    plan = RowPlan(row=number, code=code, data=data, existing=existing)
    if existing is not None:
        plan.changes = {
            key: value
            for key, value in data.items()
            if key != "credit_code" and getattr(existing, key) != value
        }
    return plan


_PROFILE = [
    "name",
    "industry",
    "address",
    "jurisdiction_id",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "business_status",
]


def _rows(table: list[list[str]]) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    """Map the header to column positions and the data rows to {key: text}; skip blank rows."""
    if not table:
        raise ImportFileError(_("The file is empty."))
    positions: dict[str, int] = {}
    for index, header in enumerate(table[0]):
        column = COLUMN_BY_HEADER.get(_header_key(header))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    key: cells[index].strip() if index < len(cells) else ""
                    for key, index in positions.items()
                },
            )
        )
    return positions, rows


# --- The import --------------------------------------------------------------------------------


def import_units(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row, then write all of them or none. ``by`` None is a dry run's system check.

    Staff scoped to a street may only create or update units of their street. ``progress`` is
    told the rows written so far (a background job shows it).
    """
    if by is None and not dry_run:
        raise ValueError("An import that writes needs the user it is recorded under.")
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        if len(content) > MAX_FILE_BYTES:
            raise ImportFileError(_("The file is larger than 20 MB; split it."))
        positions, rows = _rows(read_table(content, filename))
    except ImportFileError as problem:
        result.problems.append(str(problem))
        return _finish(result, by)

    for column in COLUMNS:
        if column.required and column.key not in positions:
            result.errors.append(RowError(1, column.header, _("This column is missing.")))
    if result.errors:
        return _finish(result, by)
    if not rows:
        result.problems.append(_("The file has no rows below the header."))
        return _finish(result, by)
    if len(rows) > MAX_ROWS:
        result.problems.append(
            _("The file has %(count)d rows; import at most %(max)d at a time.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
        return _finish(result, by)

    result.rows = len(rows)
    ctx = _context(by, [normalize_credit_code(values.get("credit_code")) for _n, values in rows])
    plans: list[RowPlan] = []
    for number, values in rows:
        outcome = _validate_row(number, values, ctx)
        if isinstance(outcome, list):
            result.errors.extend(outcome)
        else:
            plans.append(outcome)
    if result.errors:
        return _finish(result, by)

    result.created = sum(1 for plan in plans if plan.existing is None)
    result.updated = sum(1 for plan in plans if plan.existing is not None and plan.changes)
    result.unchanged = len(plans) - result.created - result.updated
    if not dry_run:
        assert by is not None
        _write(plans, by, result, progress)
    return _finish(result, by)


def _write(
    plans: list[RowPlan], by: User, result: ImportResult, progress: Progress | None = None
) -> None:
    current: RowPlan | None = None
    try:
        with transaction.atomic():
            for done, current in enumerate(plans):
                if progress is not None:
                    progress(done, len(plans))
                if current.existing is None:
                    unit_create(by=by, data=current.data)
                elif current.changes:
                    unit_update_profile(
                        unit=current.existing,
                        by=by,
                        data=current.changes,
                        version=current.existing.version,
                    )
    except (ValidationError, IntegrityError) as problem:
        # Someone changed or registered one of these units meanwhile: nothing was written.
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        row = current.row if current else 0
        result.errors.append(RowError(row, COLUMNS[0].header, " ".join(messages)))
        result.created = result.updated = result.unchanged = 0


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(result, by, action="unit.imported", command="import_units")  # type: ignore[no-any-return]
