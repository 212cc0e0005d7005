from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lyushunkou.access import jurisdiction_for_user, jurisdictions_for_user
from lyushunkou.access_notices import published_notices
from lyushunkou.health import health
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.workdays import calendar_warnings

HOME_NOTICES = 8


def home(request: HttpRequest) -> HttpResponse:
    """The front door: anyone sees what the programme is, the bureau's notices and the ways in;
    a logged-in user gets their workbench at the same address."""
    if not request.user.is_authenticated:
        notices = list(published_notices()[:HOME_NOTICES])
        return render(request, "lyushunkou/front.html", {"notices": notices})
    return workbench(request)  # type: ignore[arg-type]


def workbench(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "scope": user.jurisdiction if user.role == Role.STAFF else None,
        "calendar_warnings": calendar_warnings()
        if user.role in (Role.STAFF, Role.SYSADMIN)
        else [],
    }
    return render(request, "lyushunkou/home.html", context)


@role_required(Role.STAFF, Role.LEADER)
def jurisdiction_list(request: AuthenticatedRequest) -> HttpResponse:
    jurisdictions = jurisdictions_for_user(request.user).order_by("sort_order", "code")
    page = Paginator(jurisdictions, 50).get_page(request.GET.get("page"))
    return render(request, "lyushunkou/jurisdiction_list.html", {"page": page})


@role_required(Role.STAFF, Role.LEADER)
def jurisdiction_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    jurisdiction = jurisdiction_for_user(request.user, code)
    children = jurisdictions_for_user(request.user).filter(parent=jurisdiction)
    return render(
        request,
        "lyushunkou/jurisdiction_detail.html",
        {"jurisdiction": jurisdiction, "children": children},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    result = health()
    return JsonResponse(
        result,
        status=200 if result["status"] == "ok" else 503,
        json_dumps_params={"ensure_ascii": False},
    )
