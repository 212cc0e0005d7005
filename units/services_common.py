"""What every units service module shares: the reason check (and the stale-object error, which
lives in the core as ``lyushunkou.claims.StaleObject`` and is named here for older callers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lyushunkou.claims import StaleObject

__all__ = ["StaleObject", "require_reason"]


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the operator will see it.")})
    return reason
