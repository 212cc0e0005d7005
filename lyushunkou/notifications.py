"""Notify users in the portal and by e-mail (Django's e-mail backend; console by default).

Every state change someone waits for calls ``notify`` inside its transaction with a stable key, so
a retried job or a double-submitted form tells each person once; docs/notifications.md lists them.
The in-app notification keeps the link as a path of the portal; the e-mail carries it absolute,
on ``settings.PORTAL_BASE_URL``, and goes out only after the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from lyushunkou.models import Jurisdiction, Notification, Role, User

logger = logging.getLogger(__name__)

# Lengths of the model's fields: a longer text is cut rather than refused.
MESSAGE_LENGTH, LINK_LENGTH, KEY_LENGTH = 500, 300, 120
BATCH_SIZE = 500


def portal_language() -> translation.override:
    """Notifications are stored and read later by others: they are written in the portal's
    language, not in the language of whoever caused them."""
    return translation.override(settings.LANGUAGE_CODE)


def staff_covering(jurisdiction: Jurisdiction | None) -> list[User]:
    """The active staff who see the records of ``jurisdiction``: district-wide staff and staff
    scoped to it or to the jurisdiction directly above it (the rule of
    ``lyushunkou.access.scope_by_jurisdiction``, so a link sent to them opens)."""
    scopes = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        scopes |= Q(jurisdiction_id=jurisdiction.pk)
        if jurisdiction.parent_id:
            scopes |= Q(jurisdiction_id=jurisdiction.parent_id)
    return list(User.objects.filter(scopes, role=Role.STAFF, is_active=True).order_by("pk"))


def absolute_url(link: str) -> str:
    """``link`` as an address that works outside the portal: a path gets PORTAL_BASE_URL in
    front; an address that has its own scheme and host is kept."""
    if not link or urlsplit(link).scheme:
        return link
    base: str = settings.PORTAL_BASE_URL
    return f"{base}{link}" if link.startswith("/") else f"{base}/{link}"


@dataclass(frozen=True)
class Note:
    """One notification to one user: what ``notify_each`` takes."""

    user: User
    message: str
    link: str
    key: str


def notify(users: Iterable[User], *, message: str, link: str = "", key: str) -> int:
    """Create one notification per user for ``key`` (skipping those already notified).

    Returns how many were created. E-mails go out after the transaction commits, to users with
    an address; a mail failure never undoes the notification.
    """
    created: list[Note] = []
    for user in users:
        _, new = Notification.objects.get_or_create(
            user=user,
            key=key[:KEY_LENGTH],
            defaults={"message": message[:MESSAGE_LENGTH], "link": link[:LINK_LENGTH]},
        )
        if new:
            created.append(Note(user, message, link, key))
    _mail_after_commit(created)
    return len(created)


def notify_each(notes: Iterable[Note]) -> int:
    """Many people told one thing each (a scoring run tells every operator whose grade changed):
    a few queries per ``BATCH_SIZE`` notes instead of two per person. A note whose user already
    has its key is skipped, as ``notify`` does. Returns how many were created."""
    created = 0
    batch: list[Note] = []
    for note in notes:
        batch.append(note)
        if len(batch) == BATCH_SIZE:
            created += _create_batch(batch)
            batch = []
    if batch:
        created += _create_batch(batch)
    return created


def _create_batch(batch: Sequence[Note]) -> int:
    keys = {note.key[:KEY_LENGTH] for note in batch}
    seen = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    fresh: list[Note] = []
    for note in batch:
        pair = (note.user.pk, note.key[:KEY_LENGTH])
        if pair not in seen:
            seen.add(pair)
            fresh.append(note)
    # ignore_conflicts: a job running at the same moment may have written one meanwhile.
    Notification.objects.bulk_create(
        [
            Notification(
                user=note.user,
                key=note.key[:KEY_LENGTH],
                message=note.message[:MESSAGE_LENGTH],
                link=note.link[:LINK_LENGTH],
            )
            for note in fresh
        ],
        ignore_conflicts=True,
    )
    _mail_after_commit(fresh)
    return len(fresh)


def _mail_after_commit(notes: Sequence[Note]) -> None:
    mails = [
        EmailMessage(
            subject=" ".join(note.message.split())[:78],
            body=f"{note.message}\n\n{absolute_url(note.link)}" if note.link else note.message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[note.user.email],
        )
        for note in notes
        if note.user.email
    ]
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[EmailMessage]) -> None:
    """One connection for all of them; a mail server that fails is logged, never raised: the
    notifications are committed and shown in the portal anyway."""
    try:
        get_connection(fail_silently=True).send_messages(mails)
    except Exception:  # fail_silently covers SMTP errors; a broken backend must not either
        logger.exception("Sending %d notification e-mail(s) failed", len(mails))
