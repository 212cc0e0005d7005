"""What the HTTP API's audit actions are called (lyushunkou.audit_labels finds this module)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "api.client_created": _("API client created"),
    "api.token_issued": _("API token issued"),
    "api.token_revoked": _("API token revoked"),
    "api.permission_denied": _("API access refused"),
}
