"""Staff and leader pages for the unit register: list, export, import, detail, status, claims.

Leaders read (list, detail, export); only staff change anything. Every object comes through the
access helpers in ``units.access``; querysets are built in ``units.filters`` / ``units.selectors``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.db_router import use_replica
from lyushunkou.importing import import_page
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import xlsx_download
from lyushunkou.views_exports import list_export_view
from units import services_status
from units.access import unit_for_user
from units.exports import COLUMNS, UNIT_LIST
from units.exports import template_workbook as build_template
from units.extensions import STAFF_UNIT_SECTIONS, render_sections
from units.filters import FILTERED_UNITS
from units.forms_staff import UnitStatusForm
from units.imports import import_units
from units.models import Unit
from units.selectors import unit_detail as select_unit_detail
from units.selectors import unit_owners

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
@use_replica
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    context = FILTERED_UNITS.page_context(request, PAGE_SIZE)
    context["can_import"] = request.user.role == Role.STAFF
    return render(request, "units/staff/unit_list.html", context)


unit_export = list_export_view(UNIT_LIST)


@role_required(Role.STAFF)
def unit_import(request: AuthenticatedRequest) -> HttpResponse:
    return import_page(
        request, importer=import_units, template="units/staff/unit_import.html", columns=COLUMNS
    )


@require_GET
@role_required(Role.STAFF)
def unit_import_template(request: AuthenticatedRequest) -> HttpResponse:
    content = build_template(list(jurisdictions_for_user(request.user)))
    return xlsx_download(content, "经营主体导入模板.xlsx", "units_import_template.xlsx")


@require_GET
@role_required(*READERS)
def unit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk)
    detail = select_unit_detail(unit)
    can_change = request.user.role == Role.STAFF
    return render(
        request,
        "units/staff/unit_detail.html",
        {
            "detail": detail,
            "unit": unit,
            "plaque_status": unit.plaque_status(),
            "can_change": can_change,
            "sections": render_sections(STAFF_UNIT_SECTIONS, unit, request.user),
            "owners": unit_owners(unit),
            "status_form": UnitStatusForm(actions=detail.status_actions)
            if can_change and detail.status_actions
            else None,
        },
    )


@role_required(Role.STAFF)
def unit_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET shows the action form on its own page; POST acts (revoking needs a confirmation)."""
    unit = unit_for_user(request.user, pk, write=True)
    offered = services_status.status_steps(unit)
    actions = offered if request.method != "POST" else None
    form = UnitStatusForm(request.POST or None, actions=actions)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        changes: dict[str, Callable[..., Unit]] = {
            "warn": services_status.unit_warn,
            "rectified": services_status.unit_rectified,
            "revoke": services_status.unit_revoke,
        }
        change = changes[action]
        try:
            change(unit=unit, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The demonstration status was changed."))
        return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "units/staff/unit_status.html",
        {"unit": unit, "form": form},
        status=400 if request.method == "POST" else 200,
    )
