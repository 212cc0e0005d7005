"""Access helpers of the periodic reports (STYLE.md habit 1).

Leaders and district-wide staff read every report; street-scoped staff read the reports of their
jurisdiction (and of the jurisdictions below it), never the district's; other roles read none.
Staff and leaders may request the reports they read (a failed one is queued again by
requesting it); the retry button is staff's.
Outside the scope the answer is 404 and the attempt is audited.
"""

from __future__ import annotations

from django.db.models import QuerySet

from lyushunkou.access import fetch_or_deny, jurisdictions_for_user
from lyushunkou.models import Role, User
from scoring.models import Report
from scoring.reports.data import DISTRICT


def _live(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def report_scopes_for_user(user: User) -> list[tuple[str, str]]:
    """(scope code, name) of the reports the user may read and request, the district first."""
    if not _live(user) or user.role not in (Role.STAFF, Role.LEADER):
        return []
    places = jurisdictions_for_user(user).order_by("sort_order", "code")
    scopes = [(place.code, place.name) for place in places if place.parent_id is not None]
    if user.is_district_wide:
        district = next((place for place in places if place.parent_id is None), None)
        scopes.insert(0, (DISTRICT, district.name if district else DISTRICT))
    return scopes


def reports_for_user(user: User) -> QuerySet[Report]:
    if not _live(user) or user.role not in (Role.STAFF, Role.LEADER):
        return Report.objects.none()
    if user.is_district_wide:
        return Report.objects.all()
    codes = [code for code, _name in report_scopes_for_user(user)]
    return Report.objects.filter(scope_code__in=codes)


def report_for_user(user: User, pk: int, *, write: bool = False) -> Report:
    """The report if the user may read it; with ``write``, if they may also request it again
    (staff, within their scope: leaders only read)."""
    reports = reports_for_user(user)
    if write and user.role != Role.STAFF:
        reports = Report.objects.none()
    reports = reports.select_related("requested_by")
    return fetch_or_deny(reports, user, requested=pk, message="No such report.", pk=pk)
