"""Publishing notices (通知公告): every change is one transaction and one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from lyushunkou import audit
from lyushunkou.models import User
from lyushunkou.models_notices import Notice, NoticeAttachment
from lyushunkou.uploads import check_upload


def _attach(*, notice: Notice, upload: Any, content_type: str, by: User) -> NoticeAttachment:
    return NoticeAttachment.objects.create(
        notice=notice,
        file=upload,
        original_name=str(upload.name)[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


@transaction.atomic
def notice_save(
    *,
    by: User,
    title: str,
    body: str,
    state: str,
    published_on: dt.date,
    notice: Notice | None = None,
    attachments: Iterable[Any] = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Notice:
    """Create a notice or change one, adding and removing attachments with it. A refused
    attachment (wrong type, too large) raises ValidationError and nothing is saved."""
    uploads = list(attachments)
    # Every file is checked before anything is written, so a refused one leaves no trace.
    content_types = [check_upload(upload, field="attachment") for upload in uploads]
    created = notice is None
    if notice is None:
        notice = Notice(created_by=by)
    notice.title = title
    notice.body = body
    notice.state = state
    notice.published_on = published_on
    notice.full_clean(exclude=["created_by"])
    notice.save()
    doomed = list(notice.attachments.filter(pk__in=list(remove_attachment_ids)))
    removed = [attachment.original_name for attachment in doomed]
    _delete_files_on_commit(doomed)
    NoticeAttachment.objects.filter(pk__in=[attachment.pk for attachment in doomed]).delete()
    added = [
        _attach(notice=notice, upload=upload, content_type=content_type, by=by).original_name
        for upload, content_type in zip(uploads, content_types, strict=True)
    ]
    audit.record(
        "notice.created" if created else "notice.changed",
        actor=by,
        obj=notice,
        state=notice.state,
        attachments_added=added,
        attachments_removed=removed,
    )
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, by: User) -> None:
    audit.record("notice.deleted", actor=by, obj=notice, title=notice.title)
    _delete_files_on_commit(list(notice.attachments.all()))
    notice.delete()


def _delete_files_on_commit(attachments: list[NoticeAttachment]) -> None:
    """Stored files go only once the rows are gone for good: a rollback keeps both."""
    stored = [(attachment.file.storage, attachment.file.name) for attachment in attachments]

    def delete() -> None:
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete)
