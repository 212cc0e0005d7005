"""The bulk path of the 12315 file import (``complaints.imports``): complaints the portal has not
registered yet — most of a year's file arrives concluded or not accepted, the last weeks' still
open.

Nobody has acted on such a complaint in the portal, so instead of taking its steps one by one
through the workflow services (a claim, a refresh, a timeline event and an audit event per step:
some 30 queries a row), a chunk of them is written with a few queries: the units their credit
codes name in one query, the complaints in one ``COPY`` on PostgreSQL
(``lyushunkou.copying``; a ``bulk_create`` elsewhere), their timelines in another. The
fields are the ones the services would have written for the same steps — the legal clocks from
``complaints.clocks``' periods (working days from one calendar loaded for the file's dates), the
clock still running for an open one, the outcome, the callback, the version the steps would have
reached — and the timeline is the one an import leaves (no actor, note ``import``). The audit log
gets one event for the file (``complaint.imported``) with the counts of complaints and steps
written this way, instead of one event per step; a dissatisfied callback still tells the staff
responsible, as the service does. ``tests/complaints/test_import_bulk.py`` holds the two paths to
the same result.

A row for a complaint already registered goes through the services.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks
from complaints.exports import COLUMN_BY_KEY, TRANSFERRED_TO_UNKNOWN
from complaints.imports_rows import RowPlan
from complaints.models import (
    Clock,
    Complaint,
    ComplaintEvent,
    Outcome,
    Satisfaction,
    Status,
    TerminationGround,
)
from lyushunkou.copying import copies, copy_insert, copy_rows
from lyushunkou.importing import RowError
from lyushunkou.models import Role, User
from lyushunkou.notifications import Note, notify_each, portal_language
from lyushunkou.workdays import Deadline, WorkdayCalendar
from units.models import Unit

IMPORT_NOTE = "import"
BATCH_SIZE = 1000  # rows an INSERT carries: well under PostgreSQL's 65,535 parameters


def takes_bulk_path(plan: RowPlan) -> bool:
    """A complaint the portal has not registered: its row's steps are all the history it has."""
    return plan.existing is None and bool(plan.steps) and plan.steps[0] == "register"


def import_note(note: str) -> str:
    """The timeline note of an imported step: ``import``, or ``import: <the step's note>``."""
    return f"{IMPORT_NOTE}: {note}" if note and note != IMPORT_NOTE else IMPORT_NOTE


def conclusion_note(outcome: str) -> str:
    """What the conclusion records that the 12315 file cannot say."""
    if outcome == Outcome.TERMINATED:
        return _("The 12315 file gives no ground for terminating mediation; recorded as “other”.")
    if outcome == Outcome.TRANSFERRED:
        return _(
            "The 12315 file does not name the authority it was transferred to; see the 12315 "
            "system."
        )
    return ""


class Deadlines:
    """Working-day deadlines as ``lyushunkou.workdays.deadline`` computes them, from one
    calendar loaded for the span of the file's dates (two queries) instead of one calendar for
    every new start date (two queries each: some hundreds in a year's file)."""

    # Long holidays add at most ~9 days per 5 working days (workdays._compute_deadline).
    MARGIN = dt.timedelta(days=clocks.MEDIATION_DAYS * 2 + 30)

    def __init__(self) -> None:
        self.calendar: WorkdayCalendar | None = None
        self.known: dict[tuple[dt.date, int], Deadline] = {}

    def load(self, days: Iterable[dt.date]) -> None:
        """Cover ``days`` and the deadlines counted from them (a chunk's dates)."""
        dates = list(days)
        if not dates:
            return
        start, end = min(dates), max(dates) + self.MARGIN
        current = self.calendar
        if current is not None and current.start <= start and end <= current.end:
            return
        if current is not None:
            start, end = min(start, current.start), max(end, current.end)
        self.calendar = WorkdayCalendar(start, end)

    def __call__(self, start: dt.date, workdays: int) -> Deadline:
        key = (start, workdays)
        if key not in self.known:
            self.load([start])
            calendar = self.calendar
            assert calendar is not None
            day, counted, provisional = start, 0, False
            while counted < workdays:
                day += dt.timedelta(days=1)
                if day > calendar.end:
                    self.load([day])
                    calendar = self.calendar
                    assert calendar is not None
                open_, unsure = calendar.day(day)
                provisional = provisional or unsure
                counted += open_
            self.known[key] = Deadline(day, provisional)
        return self.known[key]


@dataclass
class BulkTally:
    """What the bulk path wrote, for the file's audit event."""

    complaints: int = 0
    steps: Counter[str] = field(default_factory=Counter)

    def detail(self) -> dict[str, object]:
        return {"complaints": self.complaints, "steps": dict(sorted(self.steps.items()))}


class BulkWriter:
    """Writes chunks of closed new complaints for one import, and keeps the tally."""

    def __init__(self, by: User | None) -> None:
        self.by = by
        # complaint_accept makes the accepting staff member the handler.
        self.handler = by if by is not None and by.role == Role.STAFF else None
        self.tally = BulkTally()
        self._staff_by_street: dict[int | None, list[User]] = {}
        self.deadlines = Deadlines()

    def write(self, plans: Sequence[RowPlan]) -> list[RowError]:
        """Write the chunk's complaints and timelines; the rows' errors when the database
        refused them (a record number registered meanwhile), after which nothing of the chunk
        is written."""
        if not plans:
            return []
        now = timezone.now()
        self.deadlines.load(
            day
            for plan in plans
            for day in (
                timezone.localdate(plan.data["received_at"]),
                plan.decided_on,
                plan.concluded_on,
            )
            if day is not None
        )
        units = _units_by_code(plan.data.get("respondent_credit_code", "") for plan in plans)
        built = [self._complaint(plan, units, now) for plan in plans]
        try:
            with transaction.atomic():  # a savepoint: the rest of the file is still checked
                events = [event for complaint, steps in built for event in steps]
                _insert([complaint for complaint, _ in built], events)
        except IntegrityError as problem:
            return _refused(plans, problem)
        self.tally.complaints += len(built)
        self.tally.steps.update(event.action for event in events)
        self._tell_dissatisfied([complaint for complaint, _ in built])
        return []

    def _complaint(
        self, plan: RowPlan, units: dict[str, int], now: dt.datetime
    ) -> tuple[Complaint, list[Step]]:
        """The complaint as the services leave it after the row's steps, and its timeline."""
        complaint = Complaint(**plan.data)
        complaint.unit_id = units.get(complaint.respondent_credit_code)
        received_on = timezone.localdate(complaint.received_at)
        # complaint_register: the acceptance clock starts (it ends with the complaint below).
        acceptance = self.deadlines(received_on, clocks.ACCEPTANCE_DAYS)
        complaint.acceptance_due = acceptance.date
        running: tuple[str, Deadline] | None = (Clock.ACCEPTANCE, acceptance)
        complaint.status = ""  # before intake: the registration's event comes from nowhere
        timeline = [_event(complaint, "registered", Status.REGISTERED)]
        for step in plan.steps[1:]:
            if step == "accept":
                assert plan.decided_on is not None
                complaint.accepted_on = plan.decided_on
                due = self.deadlines(plan.decided_on, clocks.MEDIATION_DAYS)  # clocks.mediation_due
                complaint.mediation_due = due.date
                complaint.handler = self.handler
                running = (Clock.MEDIATION, due)
                timeline.append(_event(complaint, "accepted", Status.ACCEPTED))
            elif step == "refuse":
                complaint.refusal_ground = plan.refusal_ground
                complaint.outcome = Outcome.REFUSED
                complaint.conclusion_note = plan.refusal_note
                complaint.concluded_on = plan.decided_on
                running = None
                timeline.append(_event(complaint, "refused", Status.REFUSED, plan.refusal_note))
            elif step == "conclude":
                self._conclude(complaint, plan)
                running = None
                note = conclusion_note(plan.outcome)
                timeline.append(_event(complaint, "concluded", Status.CONCLUDED, note))
            elif step == "satisfaction":
                complaint.satisfaction = plan.satisfaction
                complaint.satisfaction_at = now
                complaint.satisfaction_via_link = False
                label = str(Satisfaction(plan.satisfaction).label)
                timeline.append(_event(complaint, "callback_answered", "", label))
        # The clock still running (services.steps._clock_fields); none once it has ended.
        complaint.current_clock = running[0] if running else ""
        complaint.current_due = running[1].date if running else None
        complaint.current_due_provisional = bool(running and running[1].provisional)
        complaint.version = len(plan.steps)  # 1, and one more for every step after intake
        return complaint, timeline

    def _conclude(self, complaint: Complaint, plan: RowPlan) -> None:
        """The fields ``complaint_conclude`` writes for what the file says."""
        outcome = plan.outcome
        complaint.outcome = outcome
        complaint.concluded_on = plan.concluded_on
        complaint.conclusion_note = conclusion_note(outcome)
        complaint.fault_finding = ""
        complaint.amount_recovered = plan.amount_recovered if outcome == Outcome.MEDIATED else None
        terminated = outcome == Outcome.TERMINATED
        complaint.termination_ground = TerminationGround.OTHER if terminated else ""
        complaint.transferred_to = TRANSFERRED_TO_UNKNOWN if outcome == Outcome.TRANSFERRED else ""
        assert plan.concluded_on is not None or not terminated
        complaint.termination_notice_due = (
            self.deadlines(plan.concluded_on, clocks.TERMINATION_NOTICE_DAYS).date
            if terminated and plan.concluded_on
            else None
        )

    def _tell_dissatisfied(self, complaints: Iterable[Complaint]) -> None:
        """As ``complaint_record_satisfaction`` does: the staff responsible hear of a
        dissatisfied complainant (``complaints.overdue.responsible_staff``)."""
        notes: list[Note] = []
        for complaint in complaints:
            if complaint.satisfaction != Satisfaction.DISSATISFIED:
                continue
            with portal_language():
                message = _(
                    "The complainant of %(no)s is dissatisfied with how it was handled."
                ) % {"no": complaint.record_no}
            link = reverse("complaint-detail", args=[complaint.pk])
            key = f"complaint:{complaint.pk}:dissatisfied:{complaint.version}"
            notes.extend(Note(user, message, link, key) for user in self._responsible(complaint))
        if notes:
            notify_each(notes)

    def _responsible(self, complaint: Complaint) -> list[User]:
        handler = complaint.handler
        if handler is not None and handler.is_active:
            return [handler]
        street = complaint.jurisdiction_id
        if street not in self._staff_by_street:
            staff = User.objects.filter(role=Role.STAFF, is_active=True)
            self._staff_by_street[street] = list(staff.filter(jurisdiction=street)) or list(
                staff.filter(jurisdiction__isnull=True)
            )
        return self._staff_by_street[street]


class Step(NamedTuple):
    """A timeline event as ``record_event`` writes it and the import marks it (no actor): a
    tuple until written, not a model instance for every one of a year's 400,000 steps."""

    complaint: Complaint
    action: str
    from_status: str
    to_status: str
    note: str


def _event(complaint: Complaint, action: str, target: str, note: str = "") -> Step:
    """The step's event; a step that moves the complaint moves its status."""
    source = complaint.status if target else ""
    if target:
        complaint.status = target
    return Step(complaint, action, source, target, import_note(note))


# ComplaintEvent's columns a Step fills, in the order _insert writes them.
_EVENT_FIELDS = ("complaint", "action", "from_status", "to_status", "actor", "at", "note")


def _insert(complaints: list[Complaint], events: list[Step]) -> None:
    """The complaints, then their timelines: with ``COPY`` on PostgreSQL
    (``lyushunkou.copying``), else ``bulk_create``."""
    using = router.db_for_write(Complaint)
    if copies(using):
        copy_insert(Complaint, complaints, using=using, ids=True)
        meta = ComplaintEvent._meta
        now = timezone.now()  # the events' ``at`` (auto_now_add)
        columns = {f.name: f.column for f in meta.concrete_fields}
        copy_rows(
            meta.db_table,
            [columns[name] for name in _EVENT_FIELDS],
            (
                (e.complaint.pk, e.action, e.from_status, e.to_status, None, now, e.note)
                for e in events
            ),
            using=using,
        )
        return
    Complaint.objects.bulk_create(complaints, BATCH_SIZE)
    ComplaintEvent.objects.bulk_create(
        (
            ComplaintEvent(
                complaint=e.complaint,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                actor=None,
                note=e.note,
            )
            for e in events
        ),
        BATCH_SIZE,
    )


def _units_by_code(codes: Iterable[str]) -> dict[str, int]:
    """The units registered under the chunk's credit codes (``complaints.services.link_unit``),
    in one query."""
    wanted = sorted({code for code in codes if code})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):  # stay under SQLite's parameter limit
        batch = wanted[start : start + 500]
        found.update(Unit.objects.filter(credit_code__in=batch).values_list("credit_code", "pk"))
    return found


def _refused(plans: Sequence[RowPlan], problem: IntegrityError) -> list[RowError]:
    """The rows whose record number someone registered meanwhile; the database's own words on
    the chunk's first row when it is something else."""
    numbers = {plan.record_no: plan for plan in plans}
    taken = set(
        Complaint.objects.filter(record_no__in=list(numbers)).values_list("record_no", flat=True)
    )
    header = COLUMN_BY_KEY["record_no"].header
    if not taken:
        return [RowError(plans[0].row, header, str(problem))]
    reason = _("This record number was registered meanwhile by someone else.")
    return [
        RowError(numbers[number].row, header, reason)
        for number in sorted(taken, key=lambda n: numbers[n].row)
    ]
