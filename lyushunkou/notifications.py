"""Notify users in the portal and by e-mail (Django's e-mail backend; console by default)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from lyushunkou.models import Notification, User


def notify(users: Iterable[User], *, message: str, link: str = "", key: str) -> int:
    """Create one notification per user for ``key`` (skipping those already notified).

    Returns how many were created. E-mails go out after the transaction commits, to users with
    an address; a mail failure never undoes the notification.
    """
    created = 0
    for user in users:
        _, new = Notification.objects.get_or_create(
            user=user, key=key[:120], defaults={"message": message[:500], "link": link[:300]}
        )
        if new:
            created += 1
            if user.email:
                address = user.email
                transaction.on_commit(
                    lambda address=address: send_mail(  # type: ignore[misc]
                        subject=message[:78],
                        message=f"{message}\n\n{link}",
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=[address],
                        fail_silently=True,
                    )
                )
    return created
