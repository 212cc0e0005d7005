"""Model permissions by role, for the admin site (三员分立, DESIGN.md §4).

Roles are the single source of what an account may do; this backend turns a role into Django
permissions so the admin site, django-celery-beat's pages and ``user.has_perm`` all agree. It never
authenticates anyone itself.

The core lists the permissions on its own models and the third-party apps'; each app above it adds
its own from ``AppConfig.ready()`` with ``register_role_permissions`` (STYLE.md habit 16), so the
core never names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.backends import BaseBackend

from lyushunkou.models import Role, User

_CRUD = ("view", "add", "change", "delete")


def model_permissions(app_label: str, model: str, actions: tuple[str, ...] = _CRUD) -> set[str]:
    """``app_label.<action>_<model>`` for each action (view, add, change, delete by default)."""
    return {f"{app_label}.{action}_{model}" for action in actions}


_perms = model_permissions

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Users, places, the calendar and the scheduled jobs; never the audit log.
    Role.SYSADMIN: frozenset(
        _perms("lyushunkou", "user", ("view", "add", "change"))
        | _perms("lyushunkou", "jurisdiction", ("view", "add", "change"))
        | _perms("lyushunkou", "calendaroverride")
        | _perms("lyushunkou", "calendaryear")
        | _perms("django_celery_beat", "periodictask")
        | _perms("django_celery_beat", "crontabschedule")
        | _perms("django_celery_beat", "intervalschedule")
        | _perms("django_celery_beat", "clockedschedule")
        | _perms("django_celery_beat", "solarschedule")
        | _perms("django_celery_results", "taskresult", ("view",))
        | _perms("django_celery_results", "groupresult", ("view",))
    ),
    # Accounts' roles and activation, lockouts, and two-factor resets (deleting a TOTP device
    # makes its user set up a new one at the next login).
    Role.SECADMIN: frozenset(
        _perms("lyushunkou", "user", ("view", "change"))
        | _perms("otp_totp", "totpdevice", ("view", "delete"))
        | _perms("otp_static", "staticdevice", ("view", "delete"))  # backup codes, likewise
        | _perms("axes", "accessattempt", ("view", "delete"))  # deleting one lifts a lockout
        | _perms("axes", "accessfailurelog", ("view",))
        | _perms("axes", "accesslog", ("view",))
    ),
    # Reads the audit log; changes nothing.
    Role.AUDITOR: frozenset(
        _perms("lyushunkou", "auditevent", ("view",))
        | _perms("lyushunkou", "auditarchive", ("view",))  # and download its files (audited)
    ),
}


def register_role_permissions(role: str, permissions: Iterable[str]) -> None:
    """Grant ``permissions`` to every active account of ``role``; called from an app's ready()
    (idempotent: a second call with the same names changes nothing)."""
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(permissions)


class RolePermissionBackend(BaseBackend):
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not isinstance(user_obj, User) or not user_obj.is_active:
            return set()
        return set(ROLE_PERMISSIONS.get(user_obj.role, frozenset()))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
