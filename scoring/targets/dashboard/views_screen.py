"""The leaders' big screen (issue 14 item 6): ``/dashboard/screen/`` for the meeting room.

Full screen, large type, no menu; the page reloads itself every ``REFRESH_SECONDS`` (its static
script, which a button pauses; a meta refresh in ``<noscript>`` without script). Scope and period
as on the dashboard (``?scope=``, ``?period=``): street-scoped staff see their own street, and a
404 for any other; the period defaults to the last complete month. Leaders and staff only.
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
from scoring.targets import dashboard
from scoring.targets.dashboard.screen import MAP_DAYS, big_screen

REFRESH_SECONDS = 60
TEMPLATE = "scoring/screen/screen.html"


@require_GET
@role_required(Role.STAFF, Role.LEADER)
@use_replica
def leader_screen(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    places = dashboard.places_for_user(user)
    scope = dashboard.scope_for_user(user, request.GET.get("scope", ""), places)
    context = {"scope": scope, "refresh_seconds": REFRESH_SECONDS, "map_days": MAP_DAYS}
    period_text = request.GET.get("period", "").strip()
    try:
        period = (
            periods.parse(period_text)
            if period_text
            else periods.last_complete(periods.MONTH, today)
        )
        if period.is_future(today):
            raise periods.PeriodError(
                _("%(period)s has not started yet: the screen shows past or current periods.")
                % {"period": period.key}
            )
    except periods.PeriodError as error:
        context["period_error"] = str(error)
        return render(request, TEMPLATE, context, status=400)
    context["screen"] = big_screen(user, scope, period, today=today)
    context["screen_labels"] = {
        "units": _("Valid demonstration units"),
        "warning": _("In warning"),
        "complaints": _("Complaints"),
        "failed": _("Failed batches awaiting disposal"),
    }
    return render(request, TEMPLATE, context)
