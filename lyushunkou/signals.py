"""Audit events for logins, logouts and failed logins."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from lyushunkou import audit
from lyushunkou.models import CalendarOverride, CalendarYear, User
from lyushunkou.workdays import clear_deadline_cache


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    from lyushunkou.middleware import SESSION_STARTED_KEY

    if hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())
    audit.record("auth.login", request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # credentials are already scrubbed of the password by Django; keep only the name typed.
    audit.record(
        "auth.login_failed",
        request=request,
        username=str(credentials.get("username", "")),
        outcome=audit.Outcome.FAILURE,
    )


@receiver([post_save, post_delete], sender=CalendarOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_changed(sender: Any, **kwargs: Any) -> None:
    # Deadlines computed before the change may now be wrong (and provisional ones final).
    clear_deadline_cache()
