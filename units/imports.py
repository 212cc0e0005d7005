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

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lyushunkou.credit_codes import normalize_credit_code
from lyushunkou.importing import (
    ImportResult,
    Progress,
    RowError,
    Streets,
    credit_code_cell,
    load_existing,
    read_rows,
    record_import,
    vocabulary,
    write_rows,
)
from lyushunkou.models import User
from lyushunkou.tabular import header_key
from units.credit_codes import entity_kind_for
from units.exports import BUSINESS_STATUS_NAMES, COLUMN_BY_KEY, COLUMNS, INDUSTRY_NAMES
from units.models import BusinessStatus, Industry, Unit
from units.services import unit_create, unit_update_profile

__all__ = ["ImportResult", "import_units"]

MAX_ROWS = 100_000
MASK_CHARACTER = "*"


_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")


@dataclass
class RowPlan:
    row: int
    code: str
    data: dict[str, Any]
    existing: Unit | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _lookup(accepted: dict[str, str], text: str) -> str | None:
    key = header_key(text).lower()
    if key in accepted:
        return accepted[key]
    # "生活服务（美容美发、洗浴、家政、维修）" → "生活服务"
    head = re.split(r"[(（]", key, maxsplit=1)[0]
    return accepted.get(head)


# --- Validation --------------------------------------------------------------------------------


@dataclass
class _Context:
    streets: Streets
    existing: dict[str, Unit]
    industries: dict[str, str]
    statuses: dict[str, str]
    seen: dict[str, int] = field(default_factory=dict)


def _context(by: User | None, codes: Sequence[str]) -> _Context:
    return _Context(
        streets=Streets.load(by),
        existing=load_existing(Unit.objects.select_related("jurisdiction"), "credit_code", codes),
        industries=vocabulary(INDUSTRY_NAMES, Industry.choices),
        statuses=vocabulary(BUSINESS_STATUS_NAMES, BusinessStatus.choices),
    )


# Reports a problem with one of the row's cells: (column key, reason).
_Report = Callable[[str, str], None]

_PEOPLE_KEYS = ("legal_representative", "contact_person", "contact_phone")


def _validate_row(number: int, values: dict[str, str], ctx: _Context) -> RowPlan | list[RowError]:
    errors: list[RowError] = []

    def error(key: str, reason: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, reason))

    for column in COLUMNS:
        if column.required and not values.get(column.key):
            error(column.key, _("This value is required."))
    code = _read_code(number, values, ctx, error)
    data: dict[str, Any] = {"credit_code": code}
    _read_text(values, data, error)
    _read_choices(values, data, ctx, error)
    if values.get("jurisdiction"):
        jurisdiction, reason = ctx.streets.find(
            values["jurisdiction"],
            district=_("Give the street or park the unit is in, not the district."),
            outside=_("Outside your jurisdiction: you may import units of %(scope)s only."),
        )
        if reason:
            error("jurisdiction", reason)
        data["jurisdiction"] = jurisdiction

    existing = ctx.existing.get(code)
    if existing is not None and not ctx.streets.allows(existing.jurisdiction_id):
        error(
            "credit_code",
            _("This unit is registered in %(street)s, outside your jurisdiction.")
            % {"street": existing.jurisdiction.name},
        )
    if errors:
        return errors

    _check_fields(code, data, existing, error)
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


def _read_code(number: int, values: dict[str, str], ctx: _Context, error: _Report) -> str:
    """The row's credit code, checked and not repeated from an earlier row."""
    code, invalid = credit_code_cell(values.get("credit_code"))
    if invalid:
        error("credit_code", invalid)
    elif code in ctx.seen:
        error(
            "credit_code",
            _("This credit code already appears on row %(row)d.") % {"row": ctx.seen[code]},
        )
    elif code:
        ctx.seen[code] = number
    return code


def _read_text(values: dict[str, str], data: dict[str, Any], error: _Report) -> None:
    """The free-text cells: name, address, people and the contact phone."""
    for key in ("name", "address", *_PEOPLE_KEYS):
        if key in values:
            data[key] = values[key]
    for key in _PEOPLE_KEYS:
        if MASK_CHARACTER in data.get(key, ""):
            # A masked export pasted back would overwrite the real name or number with stars.
            error(key, _("This looks masked (it contains *); enter the full value."))

    phone = unicodedata.normalize("NFKC", data.get("contact_phone", ""))
    if phone:
        data["contact_phone"] = phone
        if MASK_CHARACTER not in phone and not _PHONE.match(phone):
            error("contact_phone", _("Not a phone number: use digits, e.g. 13812345678."))


def _read_choices(
    values: dict[str, str], data: dict[str, Any], ctx: _Context, error: _Report
) -> None:
    """The industry and business status, by their Chinese names."""
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


def _check_fields(code: str, data: dict[str, Any], existing: Unit | None, error: _Report) -> None:
    """The model's own field rules (lengths, choices) with the file's column names."""
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
    result = ImportResult.start(filename, by, dry_run)
    rows = read_rows(result, content, filename, COLUMNS, max_rows=MAX_ROWS)
    if rows is None:
        return _finish(result, by)
    ctx = _context(by, [normalize_credit_code(values.get("credit_code")) for _n, values in rows])
    plans = result.check(rows, lambda number, values: _validate_row(number, values, ctx))
    if result.errors:
        return _finish(result, by)

    result.count(plans, lambda plan: bool(plan.changes))
    if not dry_run:
        assert by is not None
        write_rows(
            result,
            plans,
            lambda plan: _write(plan, by),
            column=COLUMNS[0].header,
            progress=progress,
        )
    return _finish(result, by)


def _write(plan: RowPlan, by: User) -> None:
    if plan.existing is None:
        unit_create(by=by, **plan.data)
    elif plan.changes:
        unit_update_profile(
            unit=plan.existing, by=by, **plan.changes, version=plan.existing.version
        )


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(result, by, action="unit.imported", command="import_units")
