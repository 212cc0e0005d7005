"""Extension points for the apps above ``units`` (complaints, inspections, scoring).

``units`` never imports them; instead they register, from their AppConfig.ready(), sections that
the unit pages render. A section is a template and a function that builds its context from the
unit and the viewing user; it must fetch only what that user may see (through its own access
helpers) and use a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lyushunkou.models import User
from units.models import Unit

ContextBuilder = Callable[[Unit, User], dict[str, Any] | None]


@dataclass(frozen=True)
class UnitSection:
    key: str
    template: str
    context: ContextBuilder
    order: int = 100


# Sections of the staff unit page (units/<pk>/) and of the operator's unit page (workspace).
STAFF_UNIT_SECTIONS: list[UnitSection] = []
OPERATOR_UNIT_SECTIONS: list[UnitSection] = []


def register_section(sections: list[UnitSection], section: UnitSection) -> None:
    if all(existing.key != section.key for existing in sections):
        sections.append(section)
        sections.sort(key=lambda s: s.order)


def render_sections(sections: list[UnitSection], unit: Unit, user: User) -> list[dict[str, Any]]:
    """[{"template": ..., "context": {...}}] for the sections that have something to show."""
    rendered = []
    for section in sections:
        context = section.context(unit, user)
        if context is not None:
            rendered.append({"template": section.template, "context": context})
    return rendered
