"""The one way to write an audit event (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from lyushunkou.models import AuditEvent, User

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
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return AuditEvent.objects.create(
        actor=actor,
        username=(actor.get_username() if actor else username)[:150],
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        outcome=outcome,
        detail=detail,
    )
