"""The one way to write an audit event (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from lyushunkou.models import AuditEvent, User
from lyushunkou.sanitise import strip_controls, strip_controls_deep

Outcome = AuditEvent.Outcome


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it.

    Behind nginx, REMOTE_ADDR is set from X-Real-IP by the proxy configuration in README.md; the
    application does not trust X-Forwarded-For itself, which any client can forge.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: User | None = None,
    username: str = "",
    obj: models.Model | None = None,
    outcome: str = Outcome.SUCCESS,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event.

    ``actor`` defaults to the request's authenticated user; ``username`` records a name typed at
    login by someone who may not exist. ``detail`` holds JSON-serialisable facts (never secrets).

    Its text is stripped of control characters whatever the caller passes (a typed scope, a file
    name): the middleware already strips them from requests, but an audit event must never be
    the thing that fails, and PostgreSQL refuses a NUL in JSON.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        actor=actor,
        username=strip_controls(actor.get_username() if actor else username)[:150],
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=strip_controls(str(obj.pk)) if obj is not None else "",
        object_repr=strip_controls(str(obj))[:200] if obj is not None else "",
        outcome=outcome,
        detail=strip_controls_deep(detail),
    )
