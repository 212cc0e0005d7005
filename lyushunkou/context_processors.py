"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lyushunkou.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the badge in the header: one COUNT, and only when a page shows it
    (the template calls the callable; ``{% with %}`` keeps it to one query per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def count() -> int:
        if "n" not in cache:
            cache["n"] = Notification.objects.filter(user=user, read_at__isnull=True).count()
        return cache["n"]

    return {"unread_notification_count": count}
