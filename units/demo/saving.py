"""Saving a planned batch: ``bulk_create`` of the units and what hangs off them, keeping the
planned timestamps, with the reviewing staff filled in and the one demo evidence file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from units.demo.data import DEMO_EVIDENCE, DEMO_EVIDENCE_NAME
from units.demo.records import Batch
from units.models import (
    ApplicationEvent,
    Commitment,
    DemonstrationApplication,
    DemonstrationStatus,
    EvidenceFile,
    ServiceStation,
    Unit,
)
from units.models_notice import PublicNotice
from units.search import fill_name_bigrams


@contextlib.contextmanager
def _own_timestamps(*fields: models.Field[Any, Any]) -> Iterator[None]:
    """Let bulk_create keep the planned dates of ``auto_now``/``auto_now_add`` fields.

    Django overwrites such fields with now() on insert, which would give a year-long application
    history the same second; seeding is a one-off command, so switching them off briefly is safe.
    """
    saved = [(f, getattr(f, "auto_now", False), getattr(f, "auto_now_add", False)) for f in fields]
    try:
        for f, _now, _add in saved:
            f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add  # type: ignore[attr-defined]


def _save_evidence(batch: Batch) -> None:
    """The evidence staff reviewed: one file per verified commitment, all pointing at the one
    demo document written by ``seed_units``."""
    files = []
    for commitment in batch.commitments:
        uploader = commitment.unit.owner_id or commitment.verified_by_id
        if commitment.verified_at is None or uploader is None:
            continue
        files.append(
            EvidenceFile(
                unit_id=commitment.unit_id,
                commitment=commitment,
                file=DEMO_EVIDENCE_NAME,
                original_name=f"{commitment.get_kind_display()}制度及台账.pdf",
                content_type="application/pdf",
                size=len(DEMO_EVIDENCE),
                uploaded_by_id=uploader,
            )
        )
    EvidenceFile.objects.bulk_create(files)


def _write_demo_evidence() -> None:
    if not default_storage.exists(DEMO_EVIDENCE_NAME):
        default_storage.save(DEMO_EVIDENCE_NAME, ContentFile(DEMO_EVIDENCE))


def _strip_demonstration(unit: Unit) -> None:
    unit.demonstration_status = DemonstrationStatus.NONE
    unit.status_reason = unit.certificate_no = ""
    unit.certified_from = unit.certified_until = unit.rectify_by = None
    unit.warning_automatic = False
    unit.version = 1


def _save(batch: Batch, reviewer_id: int | None, street_reviewers: dict[int, int]) -> None:
    fill_name_bigrams(batch.units)  # bulk_create skips Unit.save, which keeps them otherwise
    Unit.objects.bulk_create(batch.units)  # sets the primary keys (RETURNING) for what follows
    for commitment in batch.commitments:
        if commitment.verified_at is None:
            continue
        if reviewer_id is None:  # no staff to have verified it: declared only
            commitment.verified_at, commitment.verification_note = None, ""
        else:
            jurisdiction = commitment.unit.jurisdiction_id
            commitment.verified_by_id = street_reviewers.get(jurisdiction, reviewer_id)
    Commitment.objects.bulk_create(batch.commitments)
    ServiceStation.objects.bulk_create(batch.stations)
    _save_evidence(batch)
    if not batch.applications or reviewer_id is None:
        return
    applications = []
    for planned in batch.applications:
        application = planned.application
        unit = application.unit
        # Entered by the operator where the unit has one, else by district staff on its behalf.
        application.created_by_id = unit.owner_id or reviewer_id
        applications.append(application)
    timestamps = [
        DemonstrationApplication._meta.get_field("created_at"),
        DemonstrationApplication._meta.get_field("updated_at"),
        ApplicationEvent._meta.get_field("at"),
    ]
    with _own_timestamps(*timestamps):
        DemonstrationApplication.objects.bulk_create(applications)
        events: list[ApplicationEvent] = []
        for planned in batch.applications:
            application = planned.application
            reviewer = street_reviewers.get(application.unit.jurisdiction_id, reviewer_id)
            events.extend(
                ApplicationEvent(
                    application=application,
                    from_status=event.from_status,
                    to_status=event.to_status,
                    actor_id=application.created_by_id if event.by_applicant else reviewer,
                    at=event.at,
                    reason=event.reason,
                )
                for event in planned.events
            )
        ApplicationEvent.objects.bulk_create(events)
        PublicNotice.objects.bulk_create(
            PublicNotice(
                application=planned.application,
                starts_on=planned.notice[0],
                ends_on=planned.notice[1],
                opened_by_id=street_reviewers.get(
                    planned.application.unit.jurisdiction_id, reviewer_id
                ),
            )
            for planned in batch.applications
            if planned.notice
        )
