"""The menu each role sees. One table, so that a new page is added to the roles it serves once.

Later apps append their entries to ``MENU``; the context processor filters it per user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    icon: str = ""


MENU: list[MenuItem] = [
    MenuItem(_("Workbench"), "home", frozenset(Role.values)),
    MenuItem(_("Jurisdictions"), "jurisdiction-list", frozenset({Role.STAFF, Role.LEADER})),
    MenuItem(_("System administration"), "admin:index", frozenset({Role.SYSADMIN, Role.SECADMIN})),
    MenuItem(_("Audit log"), "admin:lyushunkou_auditevent_changelist", frozenset({Role.AUDITOR})),
]


def menu_for(role: str, current_path: str = "") -> list[dict[str, Any]]:
    items = []
    for item in MENU:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = url == current_path if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user.role, request.path)}
