"""The leader dashboard (issue 6 item 6): targets, their trend, jurisdictions ranked by targets
missed, grade distribution, units in warning, overdue complaints and disposals — for one period and
one scope, read from the summary tables through ``scoring.dashboard``.

Leaders and district staff choose any scope; street-scoped staff see their own jurisdiction and
get a 404 for any other (``scope_for_user``); other roles get a 403 from ``role_required``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from scoring import dashboard, periods


@require_GET
@role_required(Role.STAFF, Role.LEADER)
def leader_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    places = dashboard.places_for_user(user)
    scope = dashboard.scope_for_user(user, request.GET.get("scope", ""), places)
    period_text = request.GET.get("period", "").strip()
    context = {
        "scope": scope,
        "places": places,
        "district_wide": user.is_district_wide,
        "period_text": period_text,
        "period_choices": dashboard.period_choices(today),
    }
    try:
        period = periods.parse(period_text) if period_text else periods.current(today=today)
    except periods.PeriodError as error:
        # A typed period that is not one: say so beside the form, show no figures.
        context["period_error"] = str(error)
        return render(request, "scoring/dashboard/dashboard.html", context, status=400)
    data = dashboard.leader_dashboard(user, period, scope, places, today=today)
    context.update({"period_text": period.key, "board": data, "chart": data.chart})
    return render(request, "scoring/dashboard/dashboard.html", context)
