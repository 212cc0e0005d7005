"""Sections that higher apps add to the periodic PDF reports (issue 21 item 3).

``scoring`` writes the reports and knows nothing of the apps above it: an app registers a
``ReportSection`` from its ``AppConfig.ready()``. While a report is gathered
(``report_data.gather``, in the report's language) each section's ``gather`` gets the report's
kind, period and scope code and returns the plain values its template shows, or ``None`` to stay
out of this report; no query runs once gathering is over, so the values are strings, numbers and
lists of them. The report's template includes each gathered section's template after the
jurisdictions, with the values as ``section.data``, and lists its ``title`` in the contents,
linked to ``#<key>``. A section's template starts its own ``<section>`` elements (each begins a
page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scoring.periods import Period

Gatherer = Callable[[str, Period, str], Mapping[str, Any] | None]  # kind, period, scope code


@dataclass(frozen=True)
class ReportSection:
    key: str  # unique, also the anchor of the contents' link
    template: str
    gather: Gatherer
    order: int = 100


SECTIONS: list[ReportSection] = []


def register(section: ReportSection) -> None:
    """Add a section; registering a key again replaces it (autoreload, tests)."""
    SECTIONS[:] = sorted(
        [s for s in SECTIONS if s.key != section.key] + [section], key=lambda s: (s.order, s.key)
    )


def gather_sections(kind: str, period: Period, scope_code: str) -> list[dict[str, Any]]:
    """The registered sections this report shows: ``key``, ``template``, ``title`` and ``data``
    (the title is the data's ``title``, already in the report's language)."""
    gathered = []
    for section in SECTIONS:
        data = section.gather(kind, period, scope_code)
        if data is None:
            continue
        gathered.append(
            {
                "key": section.key,
                "template": section.template,
                "title": str(data.get("title", "")),
                "data": dict(data),
            }
        )
    return gathered
