"""The grade section of the staff and operator unit pages (``units.extensions``): the unit's
latest grade, linked to the page that explains it. One query, through ``scoring.grading.access``."""

from __future__ import annotations

from typing import Any

from lyushunkou.models import User
from scoring.grading.access import latest_scores
from units.models import Unit


def grade_section(unit: Unit, user: User) -> dict[str, Any] | None:
    return {"unit": unit, "score": latest_scores(user, [unit]).get(unit.pk)}


def register() -> None:
    """Register the grade sections of the staff and operator unit pages (units.extensions)."""
    from units.extensions import (
        OPERATOR_UNIT_SECTIONS,
        STAFF_UNIT_SECTIONS,
        UnitSection,
        register_section,
    )

    for sections in (STAFF_UNIT_SECTIONS, OPERATOR_UNIT_SECTIONS):
        register_section(
            sections,
            UnitSection("grade", "scoring/scores/_unit_section.html", grade_section, order=5),
        )
