"""The rights-protection network's pages: the staff lists of points and communities with the
coverage per street, adding and changing a point, loading the communities, and the public list of
points (no personal data)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from areas import access, selectors, services
from areas.forms import NetworkPointForm, StreetFilter
from areas.imports import COLUMNS, import_communities, template_workbook
from areas.responses import bad_input, form_problems
from lyushunkou import audit
from lyushunkou.claims import StaleObject
from lyushunkou.importing import import_page
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import xlsx_download

PAGE_SIZE = 50


def _places(request: AuthenticatedRequest) -> list[Jurisdiction]:
    return list(access.network_places_for_user(request.user))


@require_GET
@role_required(*access.READERS)
def point_list(request: AuthenticatedRequest) -> HttpResponse:
    places = _places(request)
    filters = StreetFilter(request.GET or None, places=places)
    if filters.is_bound and not filters.is_valid():
        return bad_input(request, form_problems(filters), reverse("areas-points"))
    params = filters.cleaned_data if filters.is_bound else {}
    points = selectors.filtered_points(access.network_points_for_user(request.user), places, params)
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, total = selectors.coverage_rows(places)
    return render(
        request,
        "areas/point_list.html",
        {
            "filter": filters,
            "page": page,
            "coverage_rows": rows,
            "coverage_total": total,
            "can_edit": request.user.role == Role.STAFF,
        },
    )


def _refuse(form: NetworkPointForm, error: ValidationError) -> None:
    """The service's errors on the form's fields; one on ``unit`` is the credit code's."""
    fields = {"unit": "unit_credit_code"}
    for key, problems in error.message_dict.items():
        name = fields.get(key, key)
        form.add_error(name if name in form.fields else None, problems)


def _point_form(
    request: AuthenticatedRequest, form: NetworkPointForm, status: int, point: object = None
) -> HttpResponse:
    return render(request, "areas/point_form.html", {"form": form, "point": point}, status=status)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def point_new(request: AuthenticatedRequest) -> HttpResponse:
    form = NetworkPointForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.network_point_create(by=request.user, **form.point_data())
            except ValidationError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The network point was added."))
                return redirect("areas-points")
        return _point_form(request, form, 400)
    return _point_form(request, form, 200)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def point_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    point = access.network_point_for_user(request.user, pk, write=True)
    # The form validates on a copy: the service compares the stored point with the changes.
    form = NetworkPointForm(request.POST or None, instance=copy.copy(point), user=request.user)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.network_point_update(
                    point=point,
                    by=request.user,
                    version=form.cleaned_data.get("version") or 0,
                    **form.point_data(),
                )
            except StaleObject as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The network point was saved."))
                return redirect("areas-points")
        return _point_form(request, form, status, point)
    return _point_form(request, form, 200, point)


@require_GET
@role_required(*access.READERS)
def community_list(request: AuthenticatedRequest) -> HttpResponse:
    places = _places(request)
    filters = StreetFilter(request.GET or None, places=places)
    if filters.is_bound and not filters.is_valid():
        return bad_input(request, form_problems(filters), reverse("areas-communities"))
    params = filters.cleaned_data if filters.is_bound else {}
    params = {**params, "uncovered": request.GET.get("uncovered") == "1"}
    communities = selectors.filtered_communities(request.user, places, params)
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, total = selectors.coverage_rows(places)
    return render(
        request,
        "areas/community_list.html",
        {
            "filter": filters,
            "page": page,
            "uncovered": params["uncovered"],
            "coverage_rows": rows,
            "coverage_total": total,
            "can_load": access.can_load_communities(request.user),
        },
    )


def _loader(request: AuthenticatedRequest) -> None:
    if not access.can_load_communities(request.user):
        audit.record(
            "access.denied", request=request, outcome=audit.Outcome.DENIED, path=request.path
        )
        raise PermissionDenied


@role_required(Role.STAFF, Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def community_import(request: AuthenticatedRequest) -> HttpResponse:
    _loader(request)
    return import_page(
        request,
        importer=import_communities,
        template="areas/community_import.html",
        columns=COLUMNS,
    )


@require_GET
@role_required(Role.STAFF, Role.SYSADMIN)
def community_import_template(request: AuthenticatedRequest) -> HttpResponse:
    _loader(request)
    streets = [p for p in selectors.public_streets() if p.kind == Jurisdiction.Kind.STREET]
    return xlsx_download(
        template_workbook(streets), "社区村导入模板.xlsx", "communities_import_template.xlsx"
    )


@require_GET
def network_public(request: HttpRequest) -> HttpResponse:
    """Every active point, for anyone: kind, name, community, address, opening hours, the phone
    masked; no contact person."""
    places = list(selectors.public_streets())
    filters = StreetFilter(request.GET or None, places=places)
    if filters.is_bound and not filters.is_valid():
        return bad_input(request, form_problems(filters), reverse("areas-network-public"))
    params = filters.cleaned_data if filters.is_bound else {}
    page = Paginator(selectors.public_points(places, params), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "areas/public_network.html",
        {"filter": filters, "page": page, "points": [selectors.as_public(p) for p in page]},
    )
