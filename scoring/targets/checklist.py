"""What is left of the demonstration-area checklist (retired by issue 21): who reads and records
which jurisdiction's items, the access-checked evidence file, and saving an item with its
evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.access import (
    deny,
    deny_write,
    fetch_or_deny,
    jurisdictions_for_user,
    scope_by_jurisdiction,
)
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, Role, User
from scoring.models import ChecklistItem
from units.uploads import check_upload

Item = ChecklistItem.Item


def checklist_places_for_user(user: User) -> QuerySet[Jurisdiction]:
    """The jurisdictions whose checklist the user may read: staff their scope, leaders all."""
    if user.role not in (Role.STAFF, Role.LEADER):
        return Jurisdiction.objects.none()
    return (
        jurisdictions_for_user(user)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )


def checklist_items_for_user(user: User) -> QuerySet[ChecklistItem]:
    if user.role not in (Role.STAFF, Role.LEADER):
        return ChecklistItem.objects.none()
    return scope_by_jurisdiction(ChecklistItem.objects.all(), user).select_related(
        "jurisdiction", "confirmed_by"
    )


# Refusals are recorded against the checklist, whichever record was asked for, and say whether
# a write was asked for.
_MODEL = "scoring.checklistitem"


def checklist_place_for_user(user: User, code: str, *, write: bool = False) -> Jurisdiction:
    """The jurisdiction of a checklist, for this user: 404 outside their scope; writing is for
    staff only (leaders read), 403 otherwise."""
    place = fetch_or_deny(
        checklist_places_for_user(user),
        user,
        requested=code,
        model=_MODEL,
        message="No such jurisdiction.",
        detail={"write": write},
        code=code,
    )
    if write and user.role != Role.STAFF:
        raise deny_write(user, model=_MODEL, requested=code)
    return place


def checklist_item_for_user(
    user: User, code: str, item: str, *, write: bool = False
) -> ChecklistItem:
    """One item of a jurisdiction's checklist; an item not recorded yet comes back unsaved
    (``pk`` None, version 0) so the first save creates it."""
    if item not in Item.values:
        deny(user, model=_MODEL, requested=f"{code}/{item}", write=write)
        raise Http404("No such checklist item.")
    place = checklist_place_for_user(user, code, write=write)
    found = checklist_items_for_user(user).filter(jurisdiction=place, item=item).first()
    if found is None:
        found = ChecklistItem(jurisdiction=place, item=item, version=0)
    return found


def checklist_file_for_user(user: User, pk: int) -> ChecklistItem:
    files = checklist_items_for_user(user).exclude(evidence_file="")
    return fetch_or_deny(
        files, user, requested=pk, message="No such file.", detail={"write": False}, pk=pk
    )


@transaction.atomic
def checklist_item_save(
    *,
    record: ChecklistItem,
    by: User,
    version: int,
    done: bool,
    note: str,
    upload: Any = None,
    confirm: bool = False,
) -> ChecklistItem:
    """Record an item of the demonstration-area standard with its evidence, and confirm it.

    ``version`` is the version the editor's form was based on (0 for an item not recorded yet):
    a save based on an older version is refused (``StaleObject``), so two editors never
    overwrite each other. An item in place needs evidence (a note or a file); only an item in
    place can be confirmed; confirming records who and when, and saving without confirming
    withdraws an earlier confirmation.
    """
    if by.role != Role.STAFF:
        raise PermissionDenied
    note = note.strip()
    if upload:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise ValidationError(
                {"evidence_file": error.message_dict.get("file", error.messages)}
            ) from None
    has_file = bool(upload) or bool(record.pk and record.evidence_file)
    if done and not (note or has_file):
        raise ValidationError(
            {"evidence_note": _("An item in place needs evidence: describe it or attach a file.")}
        )
    if confirm and not done:
        raise ValidationError({"confirm": _("Only an item in place can be confirmed.")})
    now = timezone.now()
    confirmed_by = by if confirm else None
    confirmed_at = now if confirm else None
    if record.pk is None:
        if version != 0:
            raise StaleObject()
        record = ChecklistItem(
            jurisdiction=record.jurisdiction,
            item=record.item,
            done=done,
            evidence_note=note,
            confirmed_by=confirmed_by,
            confirmed_at=confirmed_at,
            version=1,
        )
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:  # someone recorded the item first
            raise StaleObject() from None
        created = True
    else:
        claim(
            ChecklistItem.objects.filter(pk=record.pk),
            version=version,
            done=done,
            evidence_note=note,
            confirmed_by=confirmed_by,
            confirmed_at=confirmed_at,
        )
        record.refresh_from_db()
        created = False
    if upload:
        record.evidence_file.save(upload.name, upload, save=False)
        record.save(update_fields=["evidence_file"])
    audit.record(
        "scoring.checklist_recorded" if created else "scoring.checklist_updated",
        actor=by,
        obj=record,
        jurisdiction=record.jurisdiction.code,
        item=record.item,
        done=done,
        confirmed=confirm,
        file=bool(upload),
    )
    return record
