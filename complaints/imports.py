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
from complaints.exports import COLUMN_BY_KEY, COLUMNS, TRANSFERRED_TO_UNKNOWN
from complaints.imports_rows import RowPlan, context
from complaints.imports_steps import validate_row
from complaints.models import Complaint, ComplaintEvent, Outcome, TerminationGround
from complaints.services_followup import complaint_record_satisfaction
from lyushunkou.importing import (
    ImportResult,
    Progress,
    RowError,
    read_rows,
    record_import,
    write_rows,
)
from lyushunkou.models import User

MAX_ROWS = 50_000
IMPORT_NOTE = "import"

__all__ = ["IMPORT_NOTE", "ImportResult", "RowError", "import_complaints"]


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
    result = ImportResult.start(filename, by, dry_run)
    rows = read_rows(
        result,
        content,
        filename,
        COLUMNS,
        max_rows=MAX_ROWS,
        missing=_("column %(column)s: missing"),
    )
    if rows is None:
        return _finish(result, by)
    ctx = context(by, [values.get("record_no", "") for _number, values in rows])
    plans = result.check(rows, lambda number, values: validate_row(number, values, ctx))
    if result.errors:
        return _finish(result, by)

    result.count(plans, lambda plan: bool(plan.steps))

    def apply(plan: RowPlan) -> None:
        try:
            with transaction.atomic():  # a savepoint: later rows are still checked
                _apply_row(plan, by)
        except (ValidationError, IntegrityError) as problem:
            result.errors.append(_service_error(plan, problem))

    # Every row through the services, rolled back on any error or in a dry run.
    write_rows(result, plans, apply, column=COLUMNS[0].header, progress=progress, roll_back=dry_run)
    return _finish(result, by)


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
    return record_import(result, by, action="complaint.imported", command="import_complaints")
