"""What every units service module shares: the reason check (the stale-object error lives in the
core, ``lyushunkou.claims.StaleObject``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the operator will see it.")})
    return reason
