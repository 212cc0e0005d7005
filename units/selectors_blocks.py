"""Reads of demonstration blocks and industries: their public pages, and staff's block pages.

Public pages (no login) show a block's or an industry's members, the share of them that are
demonstration units today, and the members' own figures over a period, registered by the apps
above units (``units.extensions.BLOCK_FIGURE_SOURCES``). Only verified units that have not been
deregistered are members in public, and nothing personal is shown: no legal representative, no
contact. An industry's members are every such unit of that industry in the district (the model
names an industry and a year, no place).

Staff reach blocks through ``block_for_user``: district staff and leaders every block, street
staff the blocks of their jurisdiction (and those below it), leaders read-only; outside the scope
the answer is 404, and the attempt is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise

from lyushunkou.access import deny_write, fetch_or_deny, scope_by_jurisdiction
from lyushunkou.figures import figure
from lyushunkou.models import Role, User
from units.access import units_for_user
from units.extensions import BLOCK_FIGURE_SOURCES
from units.models import (
    BusinessStatus,
    DemonstrationBlock,
    DemonstrationIndustry,
    DemonstrationStatus,
    Unit,
)

MEMBERS_PAGE_SIZE = 50
CERTIFIED_STATUSES = (DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING)


def certified(today: dt.date, prefix: str = "") -> Q:
    """A demonstration unit today: approved or under warning, certificate not expired — what
    the directory lists (units.selectors_public.directory_units)."""
    return Q(
        **{
            f"{prefix}demonstration_status__in": CERTIFIED_STATUSES,
            f"{prefix}certified_until__gte": today,
        }
    )


def public_member(prefix: str = "") -> Q:
    return Q(**{f"{prefix}verified_at__isnull": False}) & ~Q(
        **{f"{prefix}business_status": BusinessStatus.DEREGISTERED}
    )


# --- Public pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A block or an industry on the public list, with its share certified."""

    item: DemonstrationBlock | DemonstrationIndustry
    share: dict[str, Any]


def public_blocks(today: dt.date) -> list[Listed]:
    """Every block, with its members and certified members counted in the same query."""
    member = public_member("units__")
    blocks = DemonstrationBlock.objects.select_related("jurisdiction").annotate(
        n_members=Count("units", filter=member),
        n_certified=Count("units", filter=member & certified(today, "units__")),
    )
    return [
        Listed(block, with_display(figure(block.n_certified, block.n_members)))
        for block in blocks.order_by("name")
    ]


def public_industries(today: dt.date) -> list[Listed]:
    """Every designated industry, newest year first; two queries."""
    counts = {
        row["industry"]: row
        for row in Unit.objects.filter(public_member())
        .values("industry")
        .annotate(n_members=Count("pk"), n_certified=Count("pk", filter=certified(today)))
        .order_by()
    }
    listed = []
    for industry in DemonstrationIndustry.objects.order_by("-year", "industry"):
        row = counts.get(industry.industry, {"n_members": 0, "n_certified": 0})
        share = with_display(figure(row["n_certified"], row["n_members"]))
        listed.append(Listed(industry, share))
    return listed


def public_block(pk: int) -> DemonstrationBlock:
    try:
        return DemonstrationBlock.objects.select_related("jurisdiction").get(pk=pk)
    except DemonstrationBlock.DoesNotExist:
        raise Http404("Not found.") from None


def public_industry(pk: int) -> DemonstrationIndustry:
    try:
        return DemonstrationIndustry.objects.get(pk=pk)
    except DemonstrationIndustry.DoesNotExist:
        raise Http404("Not found.") from None


def block_members(block: DemonstrationBlock) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(public_member(), block=block)
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )


def industry_members(industry: DemonstrationIndustry) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(public_member(), industry=industry.industry)
        .select_related("jurisdiction")
        .order_by("name", "pk")
    )


def percent(value: float | None) -> str:
    """A rate for the page: one decimal and a percent sign; "" when there is no data."""
    return "" if value is None else f"{value * 100:.1f}%"


def with_display(rate: Mapping[str, Any]) -> dict[str, Any]:
    return {**rate, "display": percent(rate["value"])}


def certified_share(members: QuerySet[Unit], today: dt.date) -> dict[str, Any]:
    """Demonstration units today ÷ members, as lyushunkou.figures.figure() with its display;
    one query."""
    row = members.order_by().aggregate(
        n_members=Count("pk"), n_certified=Count("pk", filter=certified(today))
    )
    return with_display(figure(row["n_certified"], row["n_members"]))


@dataclass(frozen=True)
class FigureGroup:
    title: str | Promise
    rows: list[dict[str, Any]]


def member_figures(
    members: QuerySet[Unit], *, start: dt.date, end: dt.date, today: dt.date
) -> list[FigureGroup]:
    """The figures every registered source gives for the members over [start, end]."""
    members = members.order_by()
    groups = []
    for source in BLOCK_FIGURE_SOURCES:
        rows = [
            {
                "key": line.key,
                "label": line.label,
                "note": line.note,
                "count": line.count,
                "rate": with_display(line.rate) if line.rate is not None else None,
            }
            for line in source.provider(members, start, end, today)
        ]
        groups.append(FigureGroup(source.title, rows))
    return groups


# --- Staff pages -------------------------------------------------------------------------------


def blocks_for_user(user: User) -> QuerySet[DemonstrationBlock]:
    qs = DemonstrationBlock.objects.select_related("jurisdiction")
    if not user.is_authenticated or user.role not in (Role.STAFF, Role.LEADER):
        return qs.none()
    return scope_by_jurisdiction(qs, user)


def block_for_user(user: User, pk: int, *, write: bool = False) -> DemonstrationBlock:
    """The block for this user, 404 outside the scope; ``write`` refuses leaders (403)."""
    if write and user.role != Role.STAFF:
        raise deny_write(user, model="units.demonstrationblock", requested=pk)
    return fetch_or_deny(blocks_for_user(user), user, requested=pk, pk=pk)


def staff_blocks(user: User) -> QuerySet[DemonstrationBlock]:
    """The blocks of the user's scope with their member count; one query."""
    return blocks_for_user(user).annotate(n_members=Count("units")).order_by("name")


def staff_block_members(block: DemonstrationBlock, user: User) -> QuerySet[Unit]:
    """The members this user may see (a street's staff: their street's)."""
    return units_for_user(user).filter(block=block).order_by("name", "pk")


def members_outside_scope(block: DemonstrationBlock, user: User) -> int:
    """How many members lie outside the user's scope: counted, never listed."""
    total = Unit.objects.filter(block=block).count()
    return total - staff_block_members(block, user).count()


def staff_member_for_user(block: DemonstrationBlock, user: User, unit_pk: int) -> Unit:
    """A member of the block that this user may see, else 404 (audited)."""
    members = staff_block_members(block, user)
    return fetch_or_deny(members, user, requested=unit_pk, detail={"block": block.pk}, pk=unit_pk)
