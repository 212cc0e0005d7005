"""Inspection plans by risk (双随机一公开): staff draw, publish or discard; staff and leaders read
each street's coverage and the units drawn; the public reads published plans.

Objects come through ``supervision.access``; a malformed period or an out-of-scope choice answers
400 with the error named.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Role
from lyushunkou.periods import current
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import EXPORT_FORMATS
from supervision import services_plans
from supervision.access import plan_for_user, plans_for_user, published_plan, published_plans
from supervision.exports_plans import export_entries
from supervision.forms_plans import ConfirmForm, DrawForm
from supervision.models_plans import InspectionPlan
from supervision.selectors_plans import plan_coverage, plan_entries, visible_streets

PAGE_SIZE = 50
ENTRIES_PAGE = 100
READERS = (Role.STAFF, Role.LEADER)


def _draw_form(request: AuthenticatedRequest, data: Any = None) -> DrawForm | None:
    if request.user.role != Role.STAFF:
        return None
    places = jurisdictions_for_user(request.user).order_by("sort_order", "code")
    next_year = current("year").start.year + 1
    return DrawForm(data, places=places, initial={"period": str(next_year)})


def _render_list(
    request: AuthenticatedRequest, form: DrawForm | None, status: int = 200
) -> HttpResponse:
    page = Paginator(plans_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/plan_list.html",
        {"page": page, "plans": list(page.object_list), "draw_form": form},
        status=status,
    )


@require_GET
@role_required(*READERS)
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request, _draw_form(request))


@require_POST
@role_required(Role.STAFF)
def plan_draw(request: AuthenticatedRequest) -> HttpResponse:
    form = _draw_form(request, request.POST)
    assert form is not None
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services_plans.plan_draw(
                by=request.user,
                period=data["period"],
                scope=data["scope"],
                ratio=data["ratio"],
                minimum=data["minimum"],
                seed=data["seed"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was drawn. Check it, then publish it."))
            return redirect("plan-detail", pk=plan.pk)
    return _render_list(request, form, status=400)


def _render_detail(
    request: AuthenticatedRequest,
    plan: InspectionPlan,
    *,
    form: ConfirmForm | None = None,
    action: str = "",
    status: int = 200,
) -> HttpResponse:
    streets = visible_streets(plan, request.user)
    page = Paginator(plan_entries(plan, streets), ENTRIES_PAGE).get_page(request.GET.get("page"))
    can_write = request.user.role == Role.STAFF and (
        request.user.is_district_wide or plan.jurisdiction.kind != "district"
    )
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "coverage": plan_coverage(plan, streets),
            "page": page,
            "entries": list(page.object_list),
            "reproduced": services_plans.plan_is_reproduced(plan),
            "can_write": can_write and plan.is_draft,
            "publish_form": form if action == "publish" else ConfirmForm(prefix="publish"),
            "discard_form": form if action == "discard" else ConfirmForm(prefix="discard"),
        },
        status=status,
    )


@require_GET
@role_required(*READERS)
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, plan_for_user(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def plan_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("publish", "discard"):
        raise Http404("No such action.")
    plan = plan_for_user(request.user, pk, write=True)
    form = ConfirmForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            if action == "publish":
                services_plans.plan_publish(plan=plan, by=request.user)
            else:
                services_plans.plan_discard(plan=plan, by=request.user)
        except services_plans.StaleObject:
            messages.error(request, _("Someone else changed this plan meanwhile; see below."))
            return redirect("plan-detail", pk=plan.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if action == "discard":
                messages.success(request, _("The draft plan was discarded."))
                return redirect("plan-list")
            messages.success(request, _("The plan was published."))
            return redirect("plan-detail", pk=plan.pk)
    return _render_detail(request, plan, form=form, action=action, status=400)


@require_GET
@role_required(*READERS)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
def plan_export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    plan = plan_for_user(request.user, pk)
    entries = plan_entries(plan, visible_streets(plan, request.user))
    return export_entries(request=request, plan=plan, queryset=entries, fmt=fmt)


# --- Public: 双随机一公开 ------------------------------------------------------------------------


@require_GET
def public_plan_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(published_plans(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/public_plan_list.html",
        {"page": page, "plans": list(page.object_list)},
    )


@require_GET
def public_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = published_plan(pk)
    streets = visible_streets(plan, None)
    page = Paginator(plan_entries(plan, streets), ENTRIES_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/public_plan_detail.html",
        {"plan": plan, "page": page, "entries": list(page.object_list)},
    )
