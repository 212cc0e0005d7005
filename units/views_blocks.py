"""Demonstration blocks and industries: their public pages (no login), and staff's block pages
where membership is managed.

Public: ``/blocks/`` lists blocks and industries; a block's or an industry's page lists its
members (50 a page), the share certified and the members' figures over ``?period=``. Staff and
leaders: ``/units/blocks/`` and a block's page; only staff in scope add or remove members.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lyushunkou.forms import add_service_error
from lyushunkou.models import Role
from lyushunkou.ratelimit import rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from units import services_blocks
from units.forms_blocks import AddUnitsForm, PeriodForm, RemoveUnitForm
from units.models import DemonstrationBlock, Unit
from units.plaque import PLAQUE_STATUS_DISPLAY
from units.selectors_blocks import (
    MEMBERS_PAGE_SIZE,
    block_for_user,
    block_members,
    certified_share,
    industry_members,
    member_figures,
    members_outside_scope,
    public_block,
    public_blocks,
    public_industries,
    public_industry,
    staff_block_members,
    staff_blocks,
    staff_member_for_user,
)

READERS = (Role.STAFF, Role.LEADER)
# Each public page runs a few aggregates over the records; generous for a person, a stop for a
# script walking every period of every block.
PUBLIC_PAGES_PER_HOUR = 600


def _public(view: Any) -> Any:
    return require_GET(
        rate_limited("public_blocks", limit=PUBLIC_PAGES_PER_HOUR, window_seconds=3600)(view)
    )


def _entries(units: Any, today: dt.date) -> list[tuple[Unit, dict[str, Any] | None]]:
    """Each member with its plaque status (None when it is not in the programme)."""
    entries: list[tuple[Unit, dict[str, Any] | None]] = []
    for unit in units:
        status = unit.plaque_status(today)
        shown = PLAQUE_STATUS_DISPLAY.get(status)
        entries.append(
            (unit, {"status": status, "label": shown[0], "colour": shown[1]} if shown else None)
        )
    return entries


@_public
def block_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "units/public/block_list.html",
        {"blocks": public_blocks(today), "industries": public_industries(today)},
    )


def _members_page(
    request: HttpRequest, members: QuerySet[Unit], context: dict[str, Any]
) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET if "period" in request.GET else None, today=today)
    period = form.chosen()
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "units/public/block_detail.html",
        {
            **context,
            "form": form,
            "period": period,
            "period_end": period.as_of(today),
            "page": page,
            "entries": _entries(page, today),
            "share": certified_share(members, today),
            "figure_groups": member_figures(
                members, start=period.start, end=period.as_of(today), today=today
            ),
        },
    )


@_public
def block_detail(request: HttpRequest, pk: int) -> HttpResponse:
    block = public_block(pk)
    return _members_page(request, block_members(block), {"demo_block": block})


@_public
def industry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    industry = public_industry(pk)
    return _members_page(request, industry_members(industry), {"industry": industry})


# --- Staff ---------------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def block_staff_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "units/staff/block_list.html",
        {"blocks": list(staff_blocks(request.user)), "industries": public_industries(today)},
    )


def _staff_page(
    request: AuthenticatedRequest,
    block: DemonstrationBlock,
    form: AddUnitsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = request.user.role == Role.STAFF
    members = staff_block_members(block, request.user)
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "units/staff/block_detail.html",
        {
            "demo_block": block,
            "page": page,
            "outside": members_outside_scope(block, request.user),
            "can_change": can_change,
            "form": (form or AddUnitsForm()) if can_change else None,
        },
        status=status,
    )


@require_GET
@role_required(*READERS)
def block_staff_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _staff_page(request, block_for_user(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def block_units_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    block = block_for_user(request.user, pk, write=True)
    form = AddUnitsForm(request.POST)
    if form.is_valid():
        try:
            added = services_blocks.block_add_units(
                block=block, by=request.user, lines=form.cleaned_data["credit_codes"]
            )
        except ValidationError as error:
            add_service_error(form, error, rename={"lines": "credit_codes"})
        else:
            count = len(added)
            messages.success(
                request,
                ngettext(
                    "%(count)d unit was added to the block.",
                    "%(count)d units were added to the block.",
                    count,
                )
                % {"count": count},
            )
            return redirect("block-staff-detail", pk=block.pk)
    return _staff_page(request, block, form, status=400)


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def block_unit_remove(request: AuthenticatedRequest, pk: int, unit_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST with the box ticked removes the unit from the block."""
    block = block_for_user(request.user, pk, write=True)
    unit = staff_member_for_user(block, request.user, unit_pk)
    form = RemoveUnitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_blocks.block_remove_unit(block=block, unit=unit, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s was removed from the block.") % {"name": unit.name}
            )
        return redirect("block-staff-detail", pk=block.pk)
    return render(
        request,
        "units/staff/block_remove.html",
        {"demo_block": block, "unit": unit, "form": form},
        status=400 if request.method == "POST" else 200,
    )
