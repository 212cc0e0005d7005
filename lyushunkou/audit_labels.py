"""What an audit action is called in the interface (issue 15 item 5: no raw codes like
``complaint.concluded`` next to Chinese text).

Each app names its own actions in a module ``<app>/audit_labels.py`` holding a dict ``LABELS``
(code → translatable label), found the first time a label is asked for, as the admin finds each
app's ``admin.py``: this module never names a higher app. The core app's own actions are below.
An action with no label shows its code, and ``tests/test_audit_labels.py`` fails the build for
every code the source records without one.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

MODULE = "audit_labels"

LABELS: dict[str, Any] = {
    "access.denied": _("Access refused"),
    "ratelimit.exceeded": _("Too many requests refused"),
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Login failed"),
    "auth.logout": _("Logged out"),
    "auth.locked_out": _("Locked out after failed logins"),
    "auth.session_expired": _("Session expired"),
    "auth.password_changed": _("Password changed"),
    "auth.registered": _("Operator registered"),
    "auth.register_throttled": _("Registration refused: too many attempts"),
    "auth.2fa_enabled": _("Two-factor login turned on"),
    "auth.2fa_verified": _("Two-factor code accepted"),
    "auth.2fa_failed": _("Two-factor code refused"),
    "otp.device_added": _("Authenticator app added"),
    "otp.device_confirmed": _("Authenticator app confirmed"),
    "otp.device_deleted": _("Authenticator app removed"),
    "otp.backup_codes_generated": _("Backup codes created"),
    "otp.backup_codes_regenerated": _("Backup codes replaced"),
    "otp.backup_codes_downloaded": _("Backup codes downloaded"),
    "otp.backup_code_used": _("Backup code used"),
    "user.created": _("User created"),
    "user.identity_changed": _("User name, e-mail or password changed"),
    "user.role_changed": _("Role or data scope changed"),
    "user.profile_changed": _("User details changed"),
    "user.password_link_issued": _("Password link issued"),
    "user.password_set": _("Password set from a link"),
    "audit.exported": _("Audit events exported"),
    "audit.archived": _("Audit events archived"),
    "audit.archive_failed": _("Audit archive failed"),
    "audit.archive_verified": _("Audit archive verified"),
    "audit.archive_downloaded": _("Audit archive downloaded"),
    "import.queued": _("Import queued"),
    "import.requeued": _("Import queued again"),
    "import.failed": _("Import failed"),
    "export.queued": _("Export queued"),
    "export.requeued": _("Export queued again"),
    "export.failed": _("Export failed"),
    "export.downloaded": _("Export downloaded"),
    "notice.created": _("Notice created"),
    "notice.changed": _("Notice changed"),
    "notice.deleted": _("Notice deleted"),
    "jurisdiction.boundaries_uploaded": _("Jurisdiction boundaries uploaded"),
    "calendar.coverage_checked": _("Holiday calendar checked"),
    "demo.account_seeded": _("Demonstration account created"),
}

_labels: dict[str, Any] = {}
_lock = threading.Lock()
_discovered = False


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, MODULE):
                _labels.update(import_module(f"{config.name}.{MODULE}").LABELS)
        _discovered = True


def action_label(action: str) -> str:
    """The action's label in the active language; its code when it has none."""
    _discover()
    label = _labels.get(action)
    return str(label) if label is not None else action


def labelled_actions() -> frozenset[str]:
    """Every action code some app has named."""
    _discover()
    return frozenset(_labels)
