"""Extension points for the apps above ``units`` (complaints, inspections, scoring).

``units`` never imports them; instead they register, from their AppConfig.ready(), sections that
the unit pages render. A section is a template and a function that builds its context from the
unit and the viewing user; it must fetch only what that user may see (through its own access
helpers) and use a constant number of queries.

The same pattern carries the demonstration-unit standard: the apps above register the rules that
read their records (``register_standard_rule``) and the on-site check items that verify a
self-discipline system (``register_check_evidence``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

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


# --- The demonstration-unit standard (DESIGN.md §5) ---------------------------------------------
#
# Each criterion row (units.models_standard.StandardCriterion) names a rule; the rules that read
# the apps above units (grades, complaints, checks, sampling, the dishonest list) are registered
# here by those apps, so units checks the standard without importing them.


class CriterionStatus:
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class RecordLink:
    """A record behind a result: its label, its staff page and, where the unit's operator has a
    page for it, that one (an empty URL shows the label without a link)."""

    label: str
    url: str = ""
    operator_url: str = ""


@dataclass(frozen=True)
class CriterionResult:
    status: str  # a CriterionStatus value
    detail: str  # Chinese first, translated: why, with the figures
    records: tuple[RecordLink, ...] = ()


# rule(unit, the criterion's parameters, today) → result, in a constant number of queries.
StandardRule = Callable[[Unit, Mapping[str, Any], dt.date], CriterionResult]
STANDARD_RULES: dict[str, StandardRule] = {}


def register_standard_rule(key: str, rule: StandardRule) -> None:
    STANDARD_RULES[key] = rule


@dataclass(frozen=True)
class CheckEvidence:
    """The latest on-site check item about a self-discipline system: passed or not, and when."""

    passed: bool
    checked_on: dt.date
    record: RecordLink


# provider(unit, words naming the system in a check item, since) → the latest such item or None.
CheckEvidenceProvider = Callable[[Unit, Sequence[str], dt.date], CheckEvidence | None]
COMMITMENT_CHECK_PROVIDERS: list[CheckEvidenceProvider] = []


def register_check_evidence(provider: CheckEvidenceProvider) -> None:
    if provider not in COMMITMENT_CHECK_PROVIDERS:
        COMMITMENT_CHECK_PROVIDERS.append(provider)


# --- Figures of demonstration blocks and industries ---------------------------------------------
#
# The public page of a block or an industry shows its members' own figures over a period. The
# records behind them (complaints, sampling) belong to the apps above units, which register a
# source here; units passes the member units and the period and never names those apps.


@dataclass(frozen=True)
class BlockFigure:
    """One line of a block's figures: a count, or a rate shaped as lyushunkou.figures.figure()
    (numerator, denominator, value None when there is nothing to divide by)."""

    key: str
    label: str | Promise
    count: int | None = None
    rate: Mapping[str, Any] | None = None
    note: str | Promise = ""


# provider(the member units as a queryset, first day, last day, today) → its figures, in a
# constant number of queries (the members are a subquery, never a list of ids in memory).
BlockFigureProvider = Callable[[QuerySet[Unit], dt.date, dt.date, dt.date], list[BlockFigure]]


@dataclass(frozen=True)
class BlockFigureSource:
    key: str
    title: str | Promise
    provider: BlockFigureProvider
    order: int = 100


BLOCK_FIGURE_SOURCES: list[BlockFigureSource] = []


def register_block_figures(source: BlockFigureSource) -> None:
    if all(existing.key != source.key for existing in BLOCK_FIGURE_SOURCES):
        BLOCK_FIGURE_SOURCES.append(source)
        BLOCK_FIGURE_SOURCES.sort(key=lambda s: s.order)
