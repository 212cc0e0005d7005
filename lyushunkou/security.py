"""Login protection (django-axes): what a locked-out person sees, and the audit trail of it."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lyushunkou import audit


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Say plainly when the person may try again; the same page for any username typed."""
    cool_off = get_cool_off(request) or settings.AXES_COOLOFF_TIME
    retry_at = timezone.localtime(timezone.now() + cool_off)
    return render(
        request,
        "registration/locked_out.html",
        {
            "retry_at": retry_at,
            "minutes": int(cool_off.total_seconds() // 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    audit.record(
        "auth.locked_out",
        request=request,
        username=username or "",
        outcome=audit.Outcome.DENIED,
    )
