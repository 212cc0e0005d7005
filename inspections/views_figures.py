"""The sampling figures page (staff and leaders): ``inspections.figures.sampling_figures`` for a
period and a scope, beside the targets of DESIGN.md §6. Pure presentation of the selector; the
scope offered is the user's (the district only to those who see the whole district)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from inspections.figures import sampling_figures
from inspections.figures_page import present
from inspections.forms_entry import FiguresForm, period_bounds
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest, role_required


@require_GET
@role_required(Role.STAFF, Role.LEADER)
def sampling_figures_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    places = list(
        jurisdictions_for_user(user)
        .exclude(kind=Jurisdiction.Kind.DISTRICT)
        .order_by("sort_order", "code")
    )
    district_wide = user.is_district_wide
    own = next((p for p in places if p.pk == user.jurisdiction_id), places[0] if places else None)
    defaults = {
        "period": str(today.year),
        "scope": "" if district_wide or own is None else own.code,
    }
    form = FiguresForm(request.GET or None, today=today, places=places, district_wide=district_wide)
    chosen: dict[str, str] = {}
    if form.is_bound:
        form.is_valid()  # a refused field falls back to its default, and says why
        chosen = {key: value for key, value in form.cleaned_data.items() if value}
    else:
        form = FiguresForm(
            initial=defaults, today=today, places=places, district_wide=district_wide
        )
    period = chosen.get("period", defaults["period"])
    scope = chosen["scope"] if "scope" in chosen else defaults["scope"]
    jurisdiction = form.places.get(scope) if scope else None
    start, end = period_bounds(period, today)
    figures = sampling_figures(start=start, end=end, jurisdiction=jurisdiction)
    return render(
        request,
        "inspections/sampling_figures.html",
        {
            "form": form,
            "period": period,
            "start": start,
            "end": end,
            "jurisdiction": jurisdiction,
            **present(figures),
        },
    )
