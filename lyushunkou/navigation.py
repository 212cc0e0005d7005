"""The menu each role sees. One table, so that a new page is added to the roles it serves once.

Later apps append their entries to ``MENU``, each naming the group (a dropdown of the navbar) it
belongs to, if any; the context processor filters the table per user and folds the groups.
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
    # Items with the same group label share one dropdown, placed where the first of them is.
    group: str | Promise | None = None


@dataclass(frozen=True)
class MenuEntry:
    """What the navbar shows: a link, or a group of links (``children``) that drops down."""

    label: str | Promise
    url: str = ""
    active: bool = False
    children: tuple[MenuEntry, ...] = ()


MENU: list[MenuItem] = [
    MenuItem(_("Workbench"), "home", frozenset(Role.values)),
    MenuItem(
        _("Jurisdictions"),
        "jurisdiction-list",
        frozenset({Role.STAFF, Role.LEADER}),
        group=_("District and notices"),
    ),
    MenuItem(
        _("Notices"), "notice-manage", frozenset({Role.STAFF}), group=_("District and notices")
    ),
    MenuItem(_("System administration"), "admin:index", frozenset({Role.SYSADMIN, Role.SECADMIN})),
    MenuItem(_("Audit log"), "admin:lyushunkou_auditevent_changelist", frozenset({Role.AUDITOR})),
]


def _visible(role: str, current_path: str) -> list[tuple[MenuItem, MenuEntry]]:
    """The role's items as links, in table order. The current page is the longest URL the path
    starts with, so that /units/claims/ marks "Unit claims" and not "Units" as well."""
    urls: list[tuple[MenuItem, str]] = []
    for item in MENU:
        if role not in item.roles:
            continue
        try:
            urls.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    matches = [
        url
        for _, url in urls
        if url == current_path or (url != "/" and current_path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return [(item, MenuEntry(item.label, url, url == current)) for item, url in urls]


def menu_for(role: str, current_path: str = "") -> list[MenuEntry]:
    """The navbar of a role: links and groups, in table order. A group the role sees only one
    entry of is that entry, a plain link; a group is active when one of its entries is."""
    visible = _visible(role, current_path)
    entries: list[MenuEntry] = []
    placed: set[str | Promise] = set()
    for item, link in visible:
        if item.group is None:
            entries.append(link)
            continue
        if item.group in placed:
            continue
        placed.add(item.group)
        children = tuple(child for other, child in visible if other.group == item.group)
        if len(children) == 1:
            entries.append(link)
        else:
            active = any(child.active for child in children)
            entries.append(MenuEntry(item.group, active=active, children=children))
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    # The grouped navbar; the workbench shows the same entries as cards, a section per group.
    return {"main_menu": menu_for(user.role, request.path)}
