"""Reads for the complaint pages, materialised before rendering (STYLE.md habit 8).

Every function starts from what ``complaints.access`` already scoped to the user. Working days
left are computed with one ``WorkdayCalendar`` for a whole page, never one per row. Free texts
(request, notes, records, replies) reach the page through ``complaints.free_text``: masked unless
the unmasking page asks for them in clear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.access import complaints_for_user
from complaints.free_text import ComplaintTexts, TextShown, complaint_texts, text_shown
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Kind,
    MediationPause,
    MediationRecord,
    Status,
    SurveyResponse,
)
from lyushunkou.models import Role, User
from lyushunkou.workdays import ONE_DAY, WorkdayCalendar
from units.models import Unit

UNIT_SECTION_LIMIT = 20
RECENT_SURVEYS = 20

# What the timeline shows for an event's action; an action not listed shows its code.
ACTION_LABELS: dict[str, Any] = {
    "registered": _("Registered"),
    "imported": _("Imported"),
    "import_updated": _("Updated by an import"),
    "anonymised": _("Personal data anonymised"),
    "accepted": _("Accepted"),
    "refused": _("Not accepted"),
    "forwarded": _("Forwarded for settlement by the business itself (ODR)"),
    "odr_responded": _("Operator responded"),
    "escalated": _("Back from the operator unanswered"),
    "mediation_started": _("Mediation started"),
    "mediation_recorded": _("Mediation recorded"),
    "paused": _("Clock paused for testing or appraisal"),
    "resumed": _("Clock resumed"),
    "concluded": _("Concluded"),
    "reopened": _("Reopened"),
    "verifying": _("Verification started"),
    "case_opened": _("Case opened"),
    "case_not_opened": _("No case opened"),
    "callback_link_created": _("Callback link created"),
    "callback_answered": _("Callback answered"),
}


# --- Working days left ---------------------------------------------------------------------------


class DaysLeft:
    """Working days left before each due date, from one calendar loaded over all the dates."""

    def __init__(self, dates: Iterable[dt.date | None], today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        known = [d for d in dates if d is not None]
        self._calendar: WorkdayCalendar | None = None
        self._cache: dict[dt.date, int] = {}
        if known:
            self._calendar = WorkdayCalendar(min([*known, self.today]), max([*known, self.today]))

    def __call__(self, due: dt.date | None) -> int | None:
        """Working days after today up to ``due``; negative when overdue (as workdays_between)."""
        if due is None or self._calendar is None:
            return None
        if due not in self._cache:
            start, end, sign = (self.today, due, 1) if due >= self.today else (due, self.today, -1)
            count, day = 0, start
            while day < end:
                day += ONE_DAY
                count += self._calendar.day(day)[0]
            self._cache[due] = sign * count
        return self._cache[due]


@dataclass(frozen=True)
class DueState:
    """A deadline as the pages show it: the date, working days left or overdue, provisional."""

    date: dt.date
    days_left: int
    overdue: bool
    provisional: bool = False

    @property
    def overdue_by(self) -> int:
        return max(-self.days_left, 0)


def due_state(
    days_left: DaysLeft, due: dt.date | None, provisional: bool = False
) -> DueState | None:
    left = days_left(due)
    if due is None or left is None:
        return None
    return DueState(due, left, due < days_left.today, provisional)


def with_days_left(complaints: Sequence[Complaint], today: dt.date | None = None) -> None:
    """Set ``due_state`` on each complaint of a page for its current clock (2 queries a page)."""
    days_left = DaysLeft([c.current_due for c in complaints], today)
    for complaint in complaints:
        complaint.due_state = due_state(  # type: ignore[attr-defined]
            days_left, complaint.current_due, complaint.current_due_provisional
        )


# --- The complaint page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
    label: Any
    due: dt.date
    state: DueState | None  # set for the clock that runs now


@dataclass(frozen=True)
class TimelineRow:
    at: dt.datetime
    who: str
    label: Any
    from_status: str
    to_status: str
    note: str


@dataclass(frozen=True)
class MediationRow:
    kind: Any
    occurred_at: dt.datetime
    recorded_by: str
    note: str


@dataclass(frozen=True)
class PauseRow:
    started_on: dt.date
    ended_on: dt.date | None
    reason: str


@dataclass(frozen=True)
class ComplaintDetail:
    texts: ComplaintTexts
    clocks: list[ClockRow]
    running_pause: PauseRow | None
    pauses: list[PauseRow]
    mediations: list[MediationRow]
    timeline: list[TimelineRow]


def _clock_rows(complaint: Complaint, today: dt.date | None) -> list[ClockRow]:
    fields = [
        ("acceptance", _("Acceptance decision due"), complaint.acceptance_due),
        ("odr", _("Operator response due"), complaint.odr_due),
        ("mediation", _("Mediation due"), complaint.mediation_due),
        ("", _("Termination notice due"), complaint.termination_notice_due),
        ("report", _("Case decision due"), complaint.report_due),
    ]
    days_left = DaysLeft([due for _key, _label, due in fields], today)
    # The notice to both parties (Art. 21) is shown as running until its day has passed; whether
    # it was sent is not recorded, so it is never shown as overdue.
    notice_running = bool(
        complaint.outcome == "terminated"
        and complaint.termination_notice_due
        and complaint.termination_notice_due >= days_left.today
    )
    rows = []
    for key, label, due in fields:
        if due is None:
            continue
        running = (bool(key) and key == complaint.current_clock) or (not key and notice_running)
        provisional = bool(key) and complaint.current_due_provisional
        state = due_state(days_left, due, provisional) if running else None
        rows.append(ClockRow(label=label, due=due, state=state))
    return rows


def _timeline(events: Iterable[ComplaintEvent], shown: TextShown) -> list[TimelineRow]:
    labels = dict(Status.choices)
    rows = []
    for event in events:
        if event.actor is not None:
            who = event.actor.display_name
        elif event.action.startswith("import"):
            who = str(_("import"))
        else:
            who = str(_("system"))
        rows.append(
            TimelineRow(
                at=event.at,
                who=who,
                label=ACTION_LABELS.get(event.action, event.action),
                from_status=str(labels.get(event.from_status, "")),
                to_status=str(labels.get(event.to_status, "")),
                note=shown(event.note),
            )
        )
    return rows


def _mediations(records: Iterable[MediationRecord], shown: TextShown) -> list[MediationRow]:
    return [
        MediationRow(
            kind=record.get_kind_display(),
            occurred_at=record.occurred_at,
            recorded_by=record.recorded_by.display_name,
            note=shown(record.note),
        )
        for record in records
    ]


def _pauses(pauses: Iterable[MediationPause], shown: TextShown) -> list[PauseRow]:
    return [PauseRow(p.started_on, p.ended_on, shown(p.reason)) for p in pauses]


def complaint_detail(
    complaint: Complaint, today: dt.date | None = None, *, clear: bool = False
) -> ComplaintDetail:
    """Everything the complaint page shows, in a fixed number of queries; its free texts masked,
    or in clear for the unmasking page (``clear``, after the reason was given and audited)."""
    shown = text_shown(complaint, clear=clear)
    pauses = _pauses(complaint.pauses.all(), shown)
    return ComplaintDetail(
        texts=complaint_texts(complaint, shown),
        clocks=_clock_rows(complaint, today),
        running_pause=next((p for p in pauses if p.ended_on is None), None),
        pauses=pauses,
        mediations=_mediations(complaint.mediations.select_related("recorded_by"), shown),
        timeline=_timeline(complaint.events.select_related("actor"), shown),
    )


def has_running_pause(complaint: Complaint) -> bool:
    return complaint.pauses.filter(ended_on__isnull=True).exists()


# --- Unit page sections (units.extensions) ------------------------------------------------------


def staff_unit_section(unit: Unit, user: User) -> dict[str, Any] | None:
    """The unit's complaints and reports this user may see: counts by status, the latest 20."""
    qs = complaints_for_user(user).filter(unit=unit)
    counts = dict(
        qs.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    labels = dict(Status.choices)
    return {
        "unit": unit,
        "counts": [
            (labels[status], counts[status]) for status in Status.values if status in counts
        ],
        "total": sum(counts.values()),
        "complaints": list(qs[:UNIT_SECTION_LIMIT]),
    }


def operator_unit_section(unit: Unit, user: User) -> dict[str, Any] | None:
    """Complaints forwarded to the operator about this unit (the access helper drops reports)."""
    if user.role != Role.OPERATOR:
        return None
    return {
        "unit": unit,
        "complaints": list(complaints_for_user(user).filter(unit=unit)[:UNIT_SECTION_LIMIT]),
    }


# --- Operator workspace and surveys -----------------------------------------------------------


def operator_complaints(user: User) -> QuerySet[Complaint]:
    return (
        complaints_for_user(user).filter(kind=Kind.COMPLAINT).order_by("-odr_forwarded_on", "-id")
    )


def recent_survey_entries(user: User) -> list[SurveyResponse]:
    return list(
        SurveyResponse.objects.filter(entered_by=user)
        .select_related("jurisdiction")
        .order_by("-created_at", "-id")[:RECENT_SURVEYS]
    )
