"""Importing the 12315 complaint file (DESIGN.md §7), shared by the staff page, the background
job and the command.

All or nothing: the file is read a chunk of rows at a time (its memory does not grow with its
rows) inside one transaction; every row is checked (``complaints.imports_rows`` and
``complaints.imports_steps``) and applied, and any error — in the file or refused by a service —
rolls the whole file back. Errors read ``row N, column: reason`` with spreadsheet row numbers
(the header is row 1). A dry run writes as a real import would and is rolled back, so it finds
everything a real import would. A file of more than ``COMPLAINT_IMPORT_MAX_ROWS`` rows is
refused, naming the limit; the import page states it before the upload.

A complaint the portal has not registered yet (most of a year's file arrives concluded or not
accepted) takes the bulk path (``complaints.imports_bulk``): the same fields, clocks and
timeline as its steps through the services, written a chunk at a time, with one audit event for
the file. A row for a complaint already registered goes through the services: a record number
already in the register never creates a second complaint, the row adds only the steps the
portal does not have yet (acceptance or refusal, conclusion, callback), each through its
service (``complaint_accept(on=...)``, ``complaint_refuse``,
``complaint_conclude(on=...)``, ``complaint_record_satisfaction``), so the clocks, rates and
audit trail are what they would be had staff taken the steps on the complaint's page. The
importing staff member is the actor of the services (audit log); the timeline shows imported
steps with no actor and the note ``import``. Registration data (names, respondent, category …)
of a complaint already registered is not changed by a re-import, so the same file twice adds
nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from complaints import services
from complaints.exports import COLUMN_BY_KEY, COLUMNS, TRANSFERRED_TO_UNKNOWN
from complaints.imports_bulk import IMPORT_NOTE, BulkWriter, conclusion_note, takes_bulk_path
from complaints.imports_rows import RowPlan, context, load_chunk
from complaints.imports_steps import validate_row
from complaints.models import Complaint, ComplaintEvent, Outcome, TerminationGround
from complaints.services_followup import complaint_record_satisfaction
from lyushunkou.importing import (
    ImportResult,
    Progress,
    RowError,
    estimate_rows,
    open_rows,
    record_import,
)
from lyushunkou.models import User

CHUNK_ROWS = 1000  # rows checked and written together: the memory an import takes

__all__ = ["IMPORT_NOTE", "ImportResult", "RowError", "import_complaints", "max_rows"]


def max_rows() -> int:
    """The most rows a complaint file may have (``COMPLAINT_IMPORT_MAX_ROWS``)."""
    return int(settings.COMPLAINT_IMPORT_MAX_ROWS)


class _RollBack(Exception):
    """Raised inside the import's transaction to undo it."""


def import_complaints(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
    bulk: bool = True,
) -> ImportResult:
    """Check every row and apply all of them or none. ``by`` None only for a dry run.

    The file is read a chunk of rows at a time, in one transaction: each chunk is checked, then
    written while no row so far has an error (later rows are still checked, so every error is
    listed); any error, or a dry run, undoes it all. New complaints take the bulk path
    (``complaints.imports_bulk``; ``bulk=False`` sends them through the services too, as a check
    that both write the same); rows of complaints already registered go through the workflow
    services. Staff scoped to a street may import only complaints of their street.
    ``progress`` is told the rows done so far (a background job shows it).
    """
    result = ImportResult.start(filename, by, dry_run)
    limit = max_rows()
    stream = open_rows(
        result,
        content,
        filename,
        COLUMNS,
        max_rows=limit,
        missing=_("column %(column)s: missing"),
        too_many=_(
            "The file has %(count)d rows; a complaint file may have at most %(max)d rows "
            "(COMPLAINT_IMPORT_MAX_ROWS). Split it and import the parts one after the other."
        ),
    )
    if stream is None:
        return _finish(result, by, None)
    ctx = context(by)
    writer = BulkWriter(by)
    total = estimate_rows(content, filename)
    done = 0
    checked_ok = True  # no row so far has an error of its own (the file's, not a service's)
    try:
        with transaction.atomic():
            for chunk in stream.chunks(CHUNK_ROWS):
                load_chunk(ctx, (values.get("record_no", "") for _number, values in chunk))
                errors_before = len(result.errors)
                plans = result.check(
                    chunk, lambda number, values: validate_row(number, values, ctx)
                )
                checked_ok = checked_ok and len(result.errors) == errors_before
                if checked_ok:
                    _count(result, plans)
                    _write(result, plans, by, writer if bulk else None)
                if progress is not None:  # each row, as the job's reporter expects
                    for row in range(done, done + len(chunk)):
                        progress(row, max(total, done + len(chunk)))
                done += len(chunk)
            if not result.ok or dry_run:
                raise _RollBack
    except _RollBack:
        pass
    if not result.ok:
        result.created = result.updated = result.unchanged = 0
        writer.tally.complaints = 0
        writer.tally.steps.clear()
    return _finish(result, by, writer)


def _count(result: ImportResult, plans: list[RowPlan]) -> None:
    """New rows, rows that add steps to their complaint, and the others."""
    for plan in plans:
        if plan.existing is None:
            result.created += 1
        elif plan.steps:
            result.updated += 1
        else:
            result.unchanged += 1


def _write(
    result: ImportResult, plans: list[RowPlan], by: User | None, writer: BulkWriter | None
) -> None:
    """A chunk's plans: the new complaints in bulk, the others through the services,
    each row in a savepoint so that the later rows are still tried and their errors listed."""
    new = [plan for plan in plans if writer is not None and takes_bulk_path(plan)]
    if writer is not None and new:
        result.errors.extend(writer.write(new))
    bulk = {id(plan) for plan in new}
    for plan in plans:
        if id(plan) in bulk or not plan.steps:
            continue
        try:
            with transaction.atomic():
                _apply_row(plan, by)
        except (ValidationError, IntegrityError) as problem:
            result.errors.append(_service_error(plan, problem))


def _apply_row(plan: RowPlan, by: User | None) -> None:
    complaint = plan.existing
    mark = 0
    if complaint is not None:
        last = complaint.events.order_by("-pk").values_list("pk", flat=True).first()
        mark = last or 0
    for step in plan.steps:
        plan.current_step = step
        if step == "register":
            complaint = services.complaint_register(by=by, **plan.data)
            continue
        assert complaint is not None
        if step == "accept":
            assert plan.decided_on is not None
            complaint = services.complaint_accept(
                complaint=complaint, by=by, version=complaint.version, on=plan.decided_on
            )
        elif step == "refuse":
            complaint = services.complaint_refuse(
                complaint=complaint,
                by=by,
                version=complaint.version,
                ground=plan.refusal_ground,
                note=plan.refusal_note,
                on=plan.decided_on,
            )
        elif step == "conclude":
            complaint = services.complaint_conclude(
                complaint=complaint,
                by=by,
                version=complaint.version,
                outcome=plan.outcome,
                on=plan.concluded_on,
                amount_recovered=plan.amount_recovered,
                termination_ground=(
                    TerminationGround.OTHER if plan.outcome == Outcome.TERMINATED else ""
                ),
                transferred_to=(
                    TRANSFERRED_TO_UNKNOWN if plan.outcome == Outcome.TRANSFERRED else ""
                ),
                note=conclusion_note(plan.outcome),
            )
        elif step == "satisfaction":
            complaint = complaint_record_satisfaction(
                complaint=complaint, by=by, answer=plan.satisfaction
            )
    assert complaint is not None
    _mark_imported(complaint, after=mark)


def _mark_imported(complaint: Complaint, *, after: int) -> None:
    """The timeline shows the imported steps as the import's (no actor, note ``import``); the
    audit log keeps the staff member who imported the file."""
    events = ComplaintEvent.objects.filter(complaint=complaint, pk__gt=after)
    events.filter(note="").update(actor=None, note=IMPORT_NOTE)
    events.exclude(note="").exclude(note=IMPORT_NOTE).update(
        actor=None, note=Concat(Value(f"{IMPORT_NOTE}: "), F("note"))
    )


# Which column a service's complaint is about, by the step that raised it.
_STEP_COLUMNS = {
    "register": "record_no",
    "accept": "decided_on",
    "refuse": "refusal_reason",
    "conclude": "outcome",
    "satisfaction": "satisfaction",
}
_FIELD_COLUMNS = {
    "received_at": "received_at",
    "complainant_name": "complainant_name",
    "complainant_phone": "complainant_phone",
    "respondent_name": "respondent_name",
    "respondent_credit_code": "respondent_credit_code",
    "respondent_address": "respondent_address",
    "request_text": "request_text",
    "amount_involved": "amount_involved",
    "amount_recovered": "amount_recovered",
    "outcome": "outcome",
    "answer": "satisfaction",
}


def _service_error(plan: RowPlan, problem: ValidationError | IntegrityError) -> RowError:
    key = _STEP_COLUMNS.get(plan.current_step, "record_no")
    if isinstance(problem, IntegrityError):
        # Someone registered this record number meanwhile: nothing was written.
        return RowError(plan.row, COLUMN_BY_KEY["record_no"].header, str(problem))
    if hasattr(problem, "error_dict"):
        fields = [name for name in problem.message_dict if name in _FIELD_COLUMNS]
        if fields:
            key = _FIELD_COLUMNS[fields[0]]
        if plan.current_step == "conclude" and "on" in problem.message_dict:
            key = "concluded_on"
    return RowError(plan.row, COLUMN_BY_KEY[key].header, " ".join(problem.messages))


def _finish(result: ImportResult, by: User | None, writer: BulkWriter | None) -> ImportResult:
    """The file's audit event; with what the bulk path wrote, which has no event of its own."""
    bulk = writer.tally.detail() if writer is not None else {"complaints": 0, "steps": {}}
    return record_import(
        result, by, action="complaint.imported", command="import_complaints", bulk=bulk
    )
