"""What every units service module shares: the stale-object error and the reason check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleObject(ValidationError):
    """Someone else changed the object since the form was loaded; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record while you were editing it. Nothing was saved: "
                "reload the page to see the current version and try again."
            ),
            code="stale",
        )


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the operator will see it.")})
    return reason
