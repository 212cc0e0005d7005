"""The leader dashboard (issue 6 item 6): targets, their trend, jurisdictions ranked by targets
missed, grade distribution, units in warning, overdue complaints and disposals — for one period and
one scope, read from the summary tables through ``scoring.targets.dashboard``.

It opens on the last complete month (``settings.DASHBOARD_DEFAULT_PERIOD``: or quarter); a running
period is labelled "进行中（截至 X 日）". ``?compare=<target key>`` adds every street's figure of
that target. Leaders and district staff choose any scope; street-scoped staff see their own
jurisdiction and get a 404 for any other (``scope_for_user``); other roles get a 403 from
``role_required``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lyushunkou.db_router import use_replica
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from scoring import periods
from scoring.targets import TARGET_KEYS, dashboard
from scoring.targets.dashboard import trends as dashboard_trends


@require_GET
@role_required(Role.STAFF, Role.LEADER)
@use_replica
def leader_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    places = dashboard.places_for_user(user)
    scope = dashboard.scope_for_user(user, request.GET.get("scope", ""), places)
    period_text = request.GET.get("period", "").strip()
    compare = request.GET.get("compare", "").strip()
    context = {
        "scope": scope,
        "places": places,
        "district_wide": user.is_district_wide,
        "period_text": period_text,
        "period_choices": dashboard.period_choices(today),
    }
    try:
        period = (
            periods.parse(period_text) if period_text else dashboard_trends.default_period(today)
        )
        if period.is_future(today):
            raise periods.PeriodError(
                _("The period %(period)s has not started yet: choose one up to this month.")
                % {"period": period.key}
            )
    except periods.PeriodError as error:
        # A typed period that is not one: say so beside the form, show no figures.
        context["period_error"] = str(error)
        return render(request, "scoring/dashboard/dashboard.html", context, status=400)
    if compare and compare not in TARGET_KEYS:
        compare = ""  # an unknown target: the page without the comparison
    data = dashboard.leader_dashboard(user, period, scope, places, today=today, compare=compare)
    context.update(
        {
            "period_text": period.key,
            "board": data,
            "chart": data.chart,
            "compare": compare,
            "compare_choices": [(row.key, row.label) for row in data.targets],
        }
    )
    return render(request, "scoring/dashboard/dashboard.html", context)
