"""Importing sampling batches from .xlsx or .csv (DESIGN.md §7), for the page and the command.

All or nothing, as ``units.imports``, whose file reading (encoding detection, .xlsx cells as text)
and error type this module reuses: every row is validated first, any error means nothing is
written, errors read ``row N, column: reason``. A sample number already recorded updates that
batch; it is never recorded twice. Writes go through ``inspections.services``.

A blank 复检结论 leaves a re-test recorded in the portal as it is (the portal may know more than
the sampling system's export); a 核查处置 adds that disposal, dated today, unless the batch has it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import services
from inspections.exports import (
    CATEGORY_NAMES,
    COLUMN_BY_HEADER,
    COLUMN_BY_KEY,
    COLUMNS,
    DISPOSAL_NAMES,
    RESULT_NAMES,
    RETEST_NAMES,
    SAMPLING_TYPE_NAMES,
)
from inspections.models import DisposalKind, SamplingBatch, SamplingResult
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.importing import Progress, record_import
from lyushunkou.models import Jurisdiction, User
from units.credit_codes import normalize_credit_code, validate_credit_code
from units.imports import MAX_FILE_BYTES, ImportFileError, ImportResult, RowError, read_table

MAX_ROWS = 50_000
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def header_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def parse_date(text: str) -> dt.date | None:
    """``2026-10-08``, ``2026/10/8``, ``2026-10-08 14:30[:00]`` or an Excel date cell."""
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _vocabulary(names: dict[Any, str]) -> dict[str, str]:
    accepted = {str(value).lower(): str(value) for value in names}
    accepted.update({name: str(value) for value, name in names.items()})
    return accepted


VOCABULARIES: dict[str, dict[Any, str]] = {
    "sampling_type": SAMPLING_TYPE_NAMES,
    "category": CATEGORY_NAMES,
    "result": RESULT_NAMES,
    "retest_result": RETEST_NAMES,
    "disposal": DISPOSAL_NAMES,
}


@dataclass
class RowPlan:
    row: int
    data: dict[str, Any]
    disposal: str = ""
    existing: SamplingBatch | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Context:
    today: dt.date
    jurisdictions: dict[str, Jurisdiction]
    allowed: set[int] | None
    scope_name: str
    existing: dict[str, SamplingBatch]
    seen: dict[str, int] = field(default_factory=dict)


def _context(by: User | None, numbers: list[str]) -> _Context:
    jurisdictions: dict[str, Jurisdiction] = {}
    for jurisdiction in Jurisdiction.objects.all():
        jurisdictions[jurisdiction.code] = jurisdiction
        jurisdictions[header_key(jurisdiction.name)] = jurisdiction
    allowed: set[int] | None = None
    scope_name = ""
    if by is not None and not by.is_district_wide:
        scoped = list(jurisdictions_for_user(by))
        allowed = {j.pk for j in scoped}
        scope_name = "、".join(j.name for j in scoped)
    existing: dict[str, SamplingBatch] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), 500):  # SQLite's parameter limit
        qs = SamplingBatch.objects.filter(sample_no__in=unique[start : start + 500])
        for batch in qs.select_related("jurisdiction").prefetch_related("disposals"):
            existing[batch.sample_no] = batch
    return _Context(timezone.localdate(), jurisdictions, allowed, scope_name, existing)


def _validate_row(number: int, values: dict[str, str], ctx: _Context) -> RowPlan | list[RowError]:
    errors: list[RowError] = []

    def error(key: str, reason: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, reason))

    for column in COLUMNS:
        if column.required and not values.get(column.key):
            error(column.key, _("This value is required."))
    data: dict[str, Any] = {
        key: values.get(key, "")
        for key in (
            "sample_no",
            "product_name",
            "specification",
            "batch_or_production_date",
            "sampled_unit_name",
            "nominal_manufacturer",
            "lab",
            "failed_items",
        )
    }
    sample_no = data["sample_no"]
    if sample_no in ctx.seen:
        error(
            "sample_no",
            _("This sample number already appears on row %(row)d.") % {"row": ctx.seen[sample_no]},
        )
    elif sample_no:
        ctx.seen[sample_no] = number

    if values.get("sampled_on"):
        sampled_on = parse_date(values["sampled_on"])
        if sampled_on is None:
            error("sampled_on", _("Not a date: write it as 2026-10-08."))
        elif sampled_on > ctx.today:
            error(
                "sampled_on",
                _("The sampling date %(date)s is in the future.") % {"date": sampled_on},
            )
        data["sampled_on"] = sampled_on

    for key, names in VOCABULARIES.items():
        text = header_key(values.get(key, ""))
        if not text:
            data[key] = ""
            continue
        value = _vocabulary(names).get(text) or _vocabulary(names).get(text.lower())
        if value is None:
            error(
                key,
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": values[key], "choices": "、".join(names.values())},
            )
        data[key] = value or ""

    result = data["result"]
    if result == SamplingResult.FAIL and not data["failed_items"]:
        error("failed_items", _("A failed batch (不合格) names its failed items."))
    if data["retest_result"] and result and result != SamplingResult.FAIL:
        error("retest_result", _("Only a failed batch can be re-tested; this one is not 不合格."))
    disposal = data.pop("disposal")
    if disposal and disposal != DisposalKind.NONE_NEEDED and result and result != "fail":
        error("disposal", _("Only a failed batch is disposed of; this one is not 不合格."))

    code = normalize_credit_code(values.get("sampled_unit_credit_code"))
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as problem:
            error("sampled_unit_credit_code", " ".join(problem.messages))
    data["sampled_unit_credit_code"] = code

    if values.get("jurisdiction"):
        jurisdiction = ctx.jurisdictions.get(header_key(values["jurisdiction"]))
        if jurisdiction is None or not jurisdiction.active:
            error(
                "jurisdiction",
                _("Unknown street “%(value)s”; give its name or 12-digit division code.")
                % {"value": values["jurisdiction"]},
            )
        elif jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
            error("jurisdiction", _("Give the street or park, not the district."))
        elif ctx.allowed is not None and jurisdiction.pk not in ctx.allowed:
            error(
                "jurisdiction",
                _("Outside your jurisdiction: you may import sampling of %(scope)s only.")
                % {"scope": ctx.scope_name},
            )
        data["jurisdiction"] = jurisdiction

    existing = ctx.existing.get(sample_no)
    if existing is not None and existing.jurisdiction_id not in (
        ctx.allowed or {existing.jurisdiction_id}
    ):
        error("sample_no", _("This batch is recorded outside your jurisdiction."))
    if errors:
        return errors

    if not data["retest_result"] and existing is not None:
        data["retest_result"] = existing.retest_result  # blank keeps the recorded re-test
        if existing.retest_result and result != SamplingResult.FAIL:
            error("result", _("This batch has a recorded re-test: its first result stays 不合格."))
    candidate = SamplingBatch(**data)
    try:
        candidate.clean_fields(exclude=["jurisdiction", "final_result", "sample_no"])
    except ValidationError as problem:
        for key, messages in problem.message_dict.items():
            error(key if key in COLUMN_BY_KEY else "sample_no", " ".join(messages))
    if len(sample_no) > 40:
        error("sample_no", _("At most 40 characters."))
    if errors:
        return errors
    plan = RowPlan(row=number, data=data, disposal=disposal, existing=existing)
    if existing is not None:
        plan.changes = {
            key: value
            for key, value in data.items()
            if key != "sample_no" and getattr(existing, key) != value
        }
        if disposal and any(d.kind == disposal for d in existing.disposals.all()):
            plan.disposal = ""
    return plan


def _rows(table: list[list[str]]) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    if not table:
        raise ImportFileError(_("The file is empty."))
    positions: dict[str, int] = {}
    for index, header in enumerate(table[0]):
        column = COLUMN_BY_HEADER.get(header_key(header))
        if column is not None and column.key not in positions:
            positions[column.key] = index
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):
            rows.append(
                (
                    number,
                    {k: cells[i].strip() if i < len(cells) else "" for k, i in positions.items()},
                )
            )
    return positions, rows


def import_sampling(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row, then write all of them or none; ``progress`` is told the rows
    written so far (a background job shows it)."""
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
    if not result.errors and not rows:
        result.problems.append(_("The file has no rows below the header."))
    if not result.errors and len(rows) > MAX_ROWS:
        result.problems.append(_("Import at most %(max)d rows at a time.") % {"max": MAX_ROWS})
    if not result.ok:
        return _finish(result, by)

    result.rows = len(rows)
    ctx = _context(by, [values.get("sample_no", "") for _n, values in rows])
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
    result.updated = sum(1 for p in plans if p.existing is not None and (p.changes or p.disposal))
    result.unchanged = len(plans) - result.created - result.updated
    if not dry_run:
        assert by is not None
        _write(plans, by, result, ctx.today, progress)
    return _finish(result, by)


def _write(
    plans: list[RowPlan],
    by: User,
    result: ImportResult,
    today: dt.date,
    progress: Progress | None = None,
) -> None:
    current: RowPlan | None = None
    try:
        with transaction.atomic():
            for done, current in enumerate(plans):
                if progress is not None:
                    progress(done, len(plans))
                batch = current.existing
                if batch is None:
                    batch = services.batch_record(by=by, data=current.data)
                elif current.changes:
                    batch = services.batch_update(
                        batch=batch, by=by, data=current.changes, version=batch.version
                    )
                if current.disposal:
                    services.disposal_add(
                        batch=batch, by=by, kind=current.disposal, done_on=today, note="导入"
                    )
    except (ValidationError, IntegrityError) as problem:
        # Changed by someone else meanwhile, or a rule only the database knows: nothing written.
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        row = current.row if current else 0
        result.errors.append(RowError(row, COLUMNS[0].header, " ".join(messages)))
        result.created = result.updated = result.unchanged = 0


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(result, by, action="sampling.imported", command="import_sampling")  # type: ignore[no-any-return]
