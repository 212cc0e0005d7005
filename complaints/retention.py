"""Anonymising complainants' personal data once its purpose is served (DESIGN.md §4).

个人信息保护法 Art. 19 keeps personal data no longer than the purpose needs, and Art. 47 wants it
deleted once the purpose is achieved; anonymised data is no longer personal data (Art. 73). A
complaint or report is kept for the statistics and the units' records, but COMPLAINT_RETENTION_YEARS
(default 3, the period within which a consumer may still raise the matter, cf. Art. 15 of SAMR
Order 20) after it was concluded, not accepted or decided, its complainant's name, phone, ID number
and address are erased, and wherever the free texts repeat them (or any phone or ID number) they
are replaced by ``****``: found by the patterns that mask them on every page
(``complaints.free_text``), so display and anonymisation never disagree about what is personal.
Each anonymisation is a timeline step and an audit event; each run is an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.free_text import COMPLAINT_TEXTS, complainant_data
from complaints.models import (
    CLOSED_STATUSES,
    Complaint,
    ComplaintEvent,
    MediationPause,
    MediationRecord,
)
from complaints.services import record_event
from lyushunkou import audit
from lyushunkou.claims import StaleObject, claim

HAS_PERSONAL_DATA = (
    ~Q(complainant_name="")
    | ~Q(complainant_phone="")
    | ~Q(complainant_id_encrypted="")
    | ~Q(complainant_id_hash="")
    | ~Q(complainant_address="")
)


@dataclass
class RetentionRun:
    cutoff: dt.date
    anonymised: list[str] = field(default_factory=list)  # record numbers
    skipped: list[str] = field(default_factory=list)  # changed meanwhile: the next run retries


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """Complaints concluded on or before this day are due (29 February counts to the 28th)."""
    today = today or timezone.localdate()
    year = today.year - settings.COMPLAINT_RETENTION_YEARS
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def due_for_anonymisation(today: dt.date | None = None) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(
            status__in=CLOSED_STATUSES, concluded_on__lte=retention_cutoff(today)
        )
        .filter(HAS_PERSONAL_DATA)
        .order_by("concluded_on", "id")
    )


@transaction.atomic
def complaint_anonymise(*, complaint: Complaint, today: dt.date | None = None) -> bool:
    """Erase one concluded complaint's personal data; False when it is not (or no longer) due,
    e.g. staff reopened or changed it a moment ago (claimed on its version, STYLE.md habit 3)."""
    known = complainant_data(complaint)
    texts: dict[str, Any] = {
        name: known.redact(getattr(complaint, name)) for name in COMPLAINT_TEXTS
    }
    try:
        claim(
            Complaint.objects.filter(pk=complaint.pk, concluded_on__lte=retention_cutoff(today)),
            sources=CLOSED_STATUSES,
            version=complaint.version,
            complainant_name="",
            complainant_phone="",
            complainant_id_encrypted="",
            complainant_id_hash="",
            complainant_address="",
            **texts,
            updated_at=timezone.now(),
        )
    except StaleObject:
        return False
    for model, field_name in (
        (ComplaintEvent, "note"),
        (MediationRecord, "note"),
        (MediationPause, "reason"),
    ):
        rows = model.objects.filter(complaint=complaint).values_list("pk", field_name)
        for pk, text in rows:
            if (redacted := known.redact(text)) != text:
                model.objects.filter(pk=pk).update(**{field_name: redacted})
    complaint.refresh_from_db()
    record_event(complaint, "anonymised", None)
    return True


def anonymise_concluded_complaints(
    *, today: dt.date | None = None, dry_run: bool = False
) -> RetentionRun:
    """Anonymise every complaint past the retention; on a dry run, only list them."""
    run = RetentionRun(cutoff=retention_cutoff(today))
    due = list(due_for_anonymisation(today))
    if dry_run:
        run.anonymised = [complaint.record_no for complaint in due]
        return run
    for complaint in due:
        done = complaint_anonymise(complaint=complaint, today=today)
        (run.anonymised if done else run.skipped).append(complaint.record_no)
    if due:
        audit.record(
            "complaints.anonymised",
            username="system",
            concluded_on_or_before=run.cutoff.isoformat(),
            years=settings.COMPLAINT_RETENTION_YEARS,
            anonymised=len(run.anonymised),
            skipped=run.skipped,
        )
    return run
