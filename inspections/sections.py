"""The sections this app adds to the unit pages (``units.extensions``): sampling and check history.

Each builder fetches through this app's access helpers, so a section shows only what the viewing
user may see, in a constant number of queries.
"""

from __future__ import annotations

from typing import Any

from inspections.forms import RectificationForm
from inspections.selectors import unit_history
from lyushunkou.models import Role, User
from units.models import Unit


def staff_section(unit: Unit, user: User) -> dict[str, Any] | None:
    context = unit_history(unit, user)
    context["can_change"] = user.role == Role.STAFF
    return context


def operator_section(unit: Unit, user: User) -> dict[str, Any] | None:
    context = unit_history(unit, user)
    context["rectify_forms"] = {
        finding.pk: RectificationForm(prefix=f"rectify-{finding.pk}")
        for finding, status in context["findings"]
        if status in ("open", "overdue")
    }
    return context
