"""Does targeting work? The detection (fail) rate of batches sampled for accepted proposals beside
that of routine batches, per sampling type, for a period and a scope (staff and leaders)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lyushunkou.access import jurisdiction_scope, jurisdictions_for_user
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.periods import current
from lyushunkou.roles import AuthenticatedRequest, role_required
from supervision.forms import FiguresForm
from supervision.selectors import MIN_BATCHES, detection_by_source


@require_GET
@role_required(Role.STAFF, Role.LEADER)
def figures(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    places = jurisdictions_for_user(user).exclude(kind=Jurisdiction.Kind.DISTRICT)
    places = places.order_by("sort_order", "code")
    form = FiguresForm(request.GET or None, places=places, district_wide=user.is_district_wide)
    period = current("year")
    scope = jurisdiction_scope(user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            period = form.cleaned_data["period"] or period
            scope = form.cleaned_data["scope"] or scope
        else:
            status = 400
    rows = detection_by_source(start=period.start, end=period.as_of(), jurisdiction=scope)
    return render(
        request,
        "supervision/figures.html",
        {
            "form": form,
            "period": period,
            "scope": scope,
            "rows": rows,
            "min_batches": MIN_BATCHES,
        },
        status=status,
    )
