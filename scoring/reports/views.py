"""The reports page: the archive of periodic PDF reports, requesting one, its progress, and the
download.

Leaders and staff read (street-scoped staff only their jurisdiction's reports) and request them
for their scope (issue 14 item 7: a leader asks for the report the meeting needs). A
request only queues the rendering after the transaction commits — nothing is rendered inside a
web request — and the report's page polls its state with htmx until it is ready or failed. When
the broker cannot take the task the report fails at once and the page says so; a failed report
has a retry button for staff (``scoring.reports.recovery``). A file is served only when its report
is ready, through ``scoring.reports.access``, and every download is an audit event.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lyushunkou import audit
from lyushunkou.db_router import use_replica
from lyushunkou.models import Role
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from scoring import periods
from scoring.models import Report
from scoring.reports.access import report_for_user, report_scopes_for_user, reports_for_user
from scoring.reports.data import ReportRequestError
from scoring.reports.filters import ReportFilter
from scoring.reports.recovery import report_retry
from scoring.reports.services import KIND_PERIODS, check_request, report_enqueue

PAGE_SIZE = 30
READERS = (Role.STAFF, Role.LEADER)
REQUESTERS = (Role.STAFF, Role.LEADER)
POLL_SECONDS = 3


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Report.Kind.choices)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=7,
        help_text=gettext_lazy("A month (2026-10), a quarter (2026-Q3) or a year (2026)."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Scope"))

    def __init__(self, *args: object, scopes: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        kind, text = cleaned.get("kind"), cleaned.get("period")
        if isinstance(kind, str) and isinstance(text, str):
            try:
                cleaned["period"] = check_request(kind, text)
            except ReportRequestError as error:
                self.add_error("period", str(error))
        return cleaned


def _initial(today: dt.date) -> dict[str, str]:
    return {
        "kind": Report.Kind.MONTHLY,
        "period": periods.last_complete(KIND_PERIODS[Report.Kind.MONTHLY], today).key,
    }


def _list_page(
    request: AuthenticatedRequest, form: ReportRequestForm | None, status: int = 200
) -> HttpResponse:
    scopes = report_scopes_for_user(request.user)
    names = dict(scopes)
    may_request = request.user.role in REQUESTERS
    if form is None and may_request:
        form = ReportRequestForm(initial=_initial(timezone.localdate()), scopes=scopes)
    report_filter = ReportFilter(
        request.GET or None, queryset=reports_for_user(request.user), scopes=scopes
    )
    page = Paginator(
        report_filter.qs.order_by("-period", "kind", "scope_code", "-id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for report in page:
        report.scope_name = names.get(report.scope_code, report.scope_code)
    return render(
        request,
        "scoring/reports/report_list.html",
        {
            "page": page,
            "filter": report_filter,
            "form": form if may_request else None,
        },
        status=status,
    )


@require_GET
@role_required(*READERS)
@use_replica
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    return _list_page(request, None)


@require_POST
@role_required(*REQUESTERS)
def report_request(request: AuthenticatedRequest) -> HttpResponseBase:
    scopes = report_scopes_for_user(request.user)
    form = ReportRequestForm(request.POST, scopes=scopes)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    period = form.cleaned_data["period"]
    report, queued = report_enqueue(
        kind=form.cleaned_data["kind"],
        period=period,
        scope_code=form.cleaned_data["scope"],
        by=request.user,
    )
    # Outside a test's transaction the commit has happened, and with it the sending.
    report.refresh_from_db()
    if report.state == Report.State.FAILED:
        messages.error(request, report.error)
    elif queued:
        messages.success(
            request, _("The report is queued; this page shows its progress until it is ready.")
        )
    elif report.state == Report.State.DONE:
        messages.info(request, _("This report has been generated already."))
    else:
        messages.info(request, _("This report is being generated already."))
    return redirect("report-detail", pk=report.pk)


@require_POST
@role_required(Role.STAFF)
def report_retry_view(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The "Retry" button of a failed report (its list row and its page)."""
    report = report_for_user(request.user, pk, write=True)
    try:
        report = report_retry(report=report, by=request.user)
    except ReportRequestError as error:
        messages.info(request, str(error))
        return redirect("report-detail", pk=report.pk)
    report.refresh_from_db()
    if report.state == Report.State.FAILED:  # the broker is still down
        messages.error(request, report.error)
    else:
        messages.success(
            request,
            _("The report is queued again; this page shows its progress until it is ready."),
        )
    return redirect("report-detail", pk=report.pk)


def _in_progress(report: Report) -> bool:
    return report.state in (Report.State.QUEUED, Report.State.RUNNING)


@require_GET
@role_required(*READERS)
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The report's page; an htmx poll (HX-Request) gets only its status panel."""
    report = report_for_user(request.user, pk)
    scope_name = dict(report_scopes_for_user(request.user)).get(
        report.scope_code, report.scope_code
    )
    context = {
        "report": report,
        "scope_name": scope_name,
        "polling": _in_progress(report),
        "poll_seconds": POLL_SECONDS,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "scoring/reports/_report_status.html", context)
    return render(request, "scoring/reports/report_detail.html", context)


def _open(stored: FieldFile) -> object:
    try:
        return stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No file.") from None


@require_GET
@role_required(*READERS)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
def report_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    report = report_for_user(request.user, pk)
    if report.state != Report.State.DONE or not report.file:
        raise Http404("The report is not ready.")
    handle = _open(report.file)
    audit.record(
        "report.downloaded",
        request=request,
        obj=report,
        sha256=report.sha256,
        size=report.size,
    )
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"report-{report.kind}-{report.period}-{report.scope_code}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
