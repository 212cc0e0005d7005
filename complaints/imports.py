"""Importing the 12315 complaint file (DESIGN.md §7), shared by the staff page and the command.

All or nothing: every row is checked first (``complaints.imports_rows`` and
``complaints.imports_steps``), then every row is applied
through the workflow services inside one transaction, and any error — in the file or refused by a
service — rolls the whole file back. Errors read ``row N, column: reason`` with spreadsheet row
numbers (the header is row 1). A dry run goes through the same services and is rolled back, so it
finds everything a real import would.

A record number already in the register never creates a second complaint: the row adds only the
steps the portal does not have yet (acceptance or refusal, conclusion, callback), each through its
service (``complaint_accept(on=...)``, ``complaint_refuse``, ``complaint_conclude(on=...)``,
``complaint_record_satisfaction``), so the clocks, rates and audit trail are what they would be had
staff taken the steps on the complaint's page. The importing staff member is the actor of the
services (audit log); the timeline shows these steps with no actor and the note ``import``.
Registration data (names, respondent, category …) of a complaint already registered is not
changed by a re-import.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from complaints import services
from complaints.exports import COLUMN_BY_KEY, COLUMNS, HEADERS, TRANSFERRED_TO_UNKNOWN
from complaints.imports_rows import RowPlan, context
from complaints.imports_steps import validate_row
from complaints.models import Complaint, ComplaintEvent, Outcome, TerminationGround
from complaints.services_followup import complaint_record_satisfaction
from lyushunkou.importing import Progress, record_import
from lyushunkou.models import User
from lyushunkou.tabular import column_positions, data_rows
from units.imports import MAX_FILE_BYTES, ImportFileError, ImportResult, RowError, read_table

MAX_ROWS = 50_000
IMPORT_NOTE = "import"

__all__ = ["IMPORT_NOTE", "MAX_FILE_BYTES", "ImportResult", "RowError", "import_complaints"]


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it (a dry run, or an error in a row)."""


def import_complaints(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then apply all of them or none. ``by`` None only for a dry run.

    Staff scoped to a street may import only complaints of their street. ``progress`` is told
    the rows applied so far (a background job shows it).
    """
    if by is None and not dry_run:
        raise ValueError("An import that writes needs the user it is recorded under.")
    result = ImportResult(filename=filename, dry_run=dry_run)
    try:
        if len(content) > MAX_FILE_BYTES:
            raise ImportFileError(_("The file is larger than 20 MB; split it."))
        table = read_table(content, filename)
        if not table:
            raise ImportFileError(_("The file is empty."))
    except ImportFileError as problem:
        result.problems.append(str(problem))
        return _finish(result, by)

    positions = column_positions(table[0], HEADERS)
    for column in COLUMNS:
        if column.required and column.header not in positions:
            result.problems.append(_("column %(column)s: missing") % {"column": column.header})
    if result.problems:
        return _finish(result, by)
    rows = data_rows(table, positions)
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
    ctx = context(by, [values.get("登记编号", "") for _number, values in rows])
    plans: list[RowPlan] = []
    for number, values in rows:
        outcome = validate_row(number, values, ctx)
        if isinstance(outcome, list):
            result.errors.extend(outcome)
        else:
            plans.append(outcome)
    if result.errors:
        return _finish(result, by)

    _apply(plans, by, result, progress)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    else:
        result.created = sum(1 for plan in plans if plan.existing is None)
        result.updated = sum(1 for plan in plans if plan.existing is not None and plan.steps)
        result.unchanged = len(plans) - result.created - result.updated
    return _finish(result, by)


def _apply(
    plans: list[RowPlan], by: User | None, result: ImportResult, progress: Progress | None = None
) -> None:
    """Every row through the services in one transaction; rolled back on any error or dry run."""
    try:
        with transaction.atomic():
            for done, plan in enumerate(plans):
                if progress is not None:
                    progress(done, len(plans))
                try:
                    with transaction.atomic():  # a savepoint: later rows are still checked
                        _apply_row(plan, by)
                except (ValidationError, IntegrityError) as problem:
                    result.errors.append(_service_error(plan, problem))
            if result.errors or result.dry_run:
                raise _Rollback
    except _Rollback:
        pass


def _apply_row(plan: RowPlan, by: User | None) -> None:
    if not plan.steps:
        return
    complaint = plan.existing
    mark = 0
    if complaint is not None:
        last = complaint.events.order_by("-pk").values_list("pk", flat=True).first()
        mark = last or 0
    for step in plan.steps:
        plan.current_step = step
        if step == "register":
            complaint = services.complaint_register(by=by, data=dict(plan.data))
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
                note=_conclusion_note(plan.outcome),
            )
        elif step == "satisfaction":
            complaint = complaint_record_satisfaction(
                complaint=complaint, by=by, answer=plan.satisfaction
            )
    assert complaint is not None
    _mark_imported(complaint, after=mark)


def _conclusion_note(outcome: str) -> str:
    if outcome == Outcome.TERMINATED:
        return _("The 12315 file gives no ground for terminating mediation; recorded as “other”.")
    if outcome == Outcome.TRANSFERRED:
        return _(
            "The 12315 file does not name the authority it was transferred to; see the 12315 "
            "system."
        )
    return ""


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


def _finish(result: ImportResult, by: User | None) -> ImportResult:
    return record_import(result, by, action="complaint.imported", command="import_complaints")  # type: ignore[no-any-return]
