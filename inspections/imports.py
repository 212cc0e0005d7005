"""Importing sampling batches from .xlsx or .csv (DESIGN.md §7), for the page and the command.

All or nothing, with the file reading, row checking and writing of ``lyushunkou.importing``:
every row is validated first, any error means nothing is written, errors read
``row N, column: reason``. A sample number already recorded updates that batch; it is never
recorded twice. Writes go through ``inspections.services``.

A blank 复检结论 leaves a re-test recorded in the portal as it is (the portal may know more than
the sampling system's export); a 核查处置 adds that disposal, dated today, unless the batch has it.
A blank 抽样环节 gives a new batch its product category's default stage and leaves a recorded
batch's stage as it is (it may have been given by an earlier file), unless the row changes the
category, which makes the recorded default wrong: then the new category's default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import services
from inspections.exports import (
    CATEGORY_NAMES,
    COLUMN_BY_KEY,
    COLUMNS,
    DISPOSAL_NAMES,
    RESULT_NAMES,
    RETEST_NAMES,
    SAMPLING_TYPE_NAMES,
    STAGE_NAMES,
)
from inspections.models import (
    DisposalKind,
    ProductCategory,
    SamplingBatch,
    SamplingResult,
    SamplingStage,
    default_stage,
)
from lyushunkou.importing import (
    ImportResult,
    Progress,
    RowError,
    Streets,
    credit_code_cell,
    load_existing,
    lookup,
    read_rows,
    record_import,
    vocabulary,
    write_rows,
)
from lyushunkou.models import User
from lyushunkou.tabular import parse_date

MAX_ROWS = 50_000

VOCABULARIES: dict[str, dict[Any, str]] = {
    "sampling_type": SAMPLING_TYPE_NAMES,
    "category": CATEGORY_NAMES,
    "result": RESULT_NAMES,
    "retest_result": RETEST_NAMES,
    "disposal": DISPOSAL_NAMES,
    "stage": STAGE_NAMES,
}
# The sampling forms write the stage with 环节 (生产环节, 餐饮服务环节); both spellings import.
_ALIASES = {"stage": {f"{name}环节": str(value) for value, name in STAGE_NAMES.items()}}
_ACCEPTED = {
    key: vocabulary(names, aliases=_ALIASES.get(key)) for key, names in VOCABULARIES.items()
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
    streets: Streets
    existing: dict[str, SamplingBatch]
    seen: dict[str, int] = field(default_factory=dict)


def _context(by: User | None, numbers: list[str]) -> _Context:
    batches = SamplingBatch.objects.select_related("jurisdiction").prefetch_related("disposals")
    return _Context(
        timezone.localdate(), Streets.load(by), load_existing(batches, "sample_no", numbers)
    )


# Reports a problem with one of the row's cells: (column key, reason).
_Report = Callable[[str, str], None]

_TEXT_KEYS = (
    "sample_no",
    "product_name",
    "specification",
    "batch_or_production_date",
    "sampled_unit_name",
    "nominal_manufacturer",
    "lab",
    "failed_items",
)


def _validate_row(number: int, values: dict[str, str], ctx: _Context) -> RowPlan | list[RowError]:
    errors: list[RowError] = []

    def error(key: str, reason: str) -> None:
        errors.append(RowError(number, COLUMN_BY_KEY[key].header, reason))

    data = _read_cells(number, values, ctx, error)
    disposal = data.pop("disposal")
    _check_outcome(data, disposal, error)
    _read_place(values, data, ctx, error)
    existing = ctx.existing.get(data["sample_no"])
    if existing is not None and not ctx.streets.allows(existing.jurisdiction_id):
        error("sample_no", _("This batch is recorded outside your jurisdiction."))
    if errors:
        return errors

    _fill_blanks(data, existing, error)
    _check_fields(data, error)
    if errors:
        return errors
    return _plan(number, data, disposal, existing)


def _read_cells(
    number: int, values: dict[str, str], ctx: _Context, error: _Report
) -> dict[str, Any]:
    """The row's cells as batch fields: required cells, the sample number, the date, the names."""
    for column in COLUMNS:
        if column.required and not values.get(column.key):
            error(column.key, _("This value is required."))
    data: dict[str, Any] = {key: values.get(key, "") for key in _TEXT_KEYS}
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
        if not values.get(key):
            data[key] = ""
            continue
        value = lookup(_ACCEPTED[key], values[key])
        if value is None:
            error(
                key,
                _("Unknown value “%(value)s”; use one of: %(choices)s.")
                % {"value": values[key], "choices": "、".join(names.values())},
            )
        data[key] = value or ""
    return data


def _check_outcome(data: dict[str, Any], disposal: str, error: _Report) -> None:
    """The result, re-test, stage and disposal cells agree with one another."""
    result = data["result"]
    if result == SamplingResult.FAIL and not data["failed_items"]:
        error("failed_items", _("A failed batch (不合格) names its failed items."))
    if data["retest_result"] and result and result != SamplingResult.FAIL:
        error("retest_result", _("Only a failed batch can be re-tested; this one is not 不合格."))
    stage_problem = stage_error(data["stage"], data["category"])
    if stage_problem:
        error("stage", stage_problem)
    if disposal and disposal != DisposalKind.NONE_NEEDED and result and result != "fail":
        error("disposal", _("Only a failed batch is disposed of; this one is not 不合格."))


def _read_place(
    values: dict[str, str], data: dict[str, Any], ctx: _Context, error: _Report
) -> None:
    """The sampled unit's credit code and the street or park the batch belongs to."""
    code, invalid = credit_code_cell(values.get("sampled_unit_credit_code"))
    if invalid:
        error("sampled_unit_credit_code", invalid)
    data["sampled_unit_credit_code"] = code

    if values.get("jurisdiction"):
        jurisdiction, reason = ctx.streets.find(
            values["jurisdiction"],
            district=_("Give the street or park, not the district."),
            outside=_("Outside your jurisdiction: you may import sampling of %(scope)s only."),
            inactive_unknown=True,
        )
        if reason:
            error("jurisdiction", reason)
        data["jurisdiction"] = jurisdiction


def _fill_blanks(data: dict[str, Any], existing: SamplingBatch | None, error: _Report) -> None:
    """A blank stage or re-test: the default stage, the recorded re-test (module docstring)."""
    if not data["stage"]:
        data["stage"] = _blank_stage(data["category"], existing)
    if not data["retest_result"] and existing is not None:
        data["retest_result"] = existing.retest_result  # blank keeps the recorded re-test
        if existing.retest_result and data["result"] != SamplingResult.FAIL:
            error("result", _("This batch has a recorded re-test: its first result stays 不合格."))


def _check_fields(data: dict[str, Any], error: _Report) -> None:
    """The model's own field rules (lengths, choices) with the file's column names."""
    candidate = SamplingBatch(**data)
    try:
        candidate.clean_fields(exclude=["jurisdiction", "final_result", "sample_no"])
    except ValidationError as problem:
        for key, messages in problem.message_dict.items():
            error(key if key in COLUMN_BY_KEY else "sample_no", " ".join(messages))
    if len(data["sample_no"]) > 40:
        error("sample_no", _("At most 40 characters."))


def _plan(
    number: int, data: dict[str, Any], disposal: str, existing: SamplingBatch | None
) -> RowPlan:
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


def stage_error(stage: str, category: str) -> str:
    """Why the stage does not fit the product category ("" when it does): 餐饮服务 is a stage
    of food sampling only. The file import, the API and the entry form all ask this."""
    if stage == SamplingStage.CATERING and category not in ("", ProductCategory.FOOD):
        return _("餐饮服务 is a stage of food sampling; this batch is not 食品.")
    return ""


def _blank_stage(category: str, existing: SamplingBatch | None) -> str:
    """The stage of a row that leaves 抽样环节 blank (the module docstring says why)."""
    if existing is not None and existing.category == category and existing.stage:
        return existing.stage
    subcategory = existing.subcategory if existing is not None else ""
    return default_stage(category, subcategory if subcategory.startswith(category) else "")


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
    result = ImportResult.start(filename, by, dry_run)
    rows = read_rows(
        result,
        content,
        filename,
        COLUMNS,
        max_rows=MAX_ROWS,
        too_many=_("Import at most %(max)d rows at a time."),
    )
    if rows is None:
        return _finish(result, by)
    ctx = _context(by, [values.get("sample_no", "") for _n, values in rows])
    plans = result.check(rows, lambda number, values: _validate_row(number, values, ctx))
    if result.errors:
        return _finish(result, by)
    result.count(plans, lambda plan: bool(plan.changes or plan.disposal))
    if not dry_run:
        assert by is not None
        write_rows(
            result,
            plans,
            lambda plan: _write(plan, by, ctx.today),
            column=COLUMNS[0].header,
            progress=progress,
        )
    return _finish(result, by)


def _write(plan: RowPlan, by: User, today: dt.date) -> None:
    batch = plan.existing
    if batch is None:
        batch = services.batch_record(by=by, **plan.data)
    elif plan.changes:
        batch = services.batch_update(batch=batch, by=by, **plan.changes, version=batch.version)
    if plan.disposal:
        services.disposal_add(batch=batch, by=by, kind=plan.disposal, done_on=today, note="导入")


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(result, by, action="sampling.imported", command="import_sampling")
