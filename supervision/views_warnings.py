"""Early warnings for staff and leaders: the list (filters), a warning with its evidence, and
staff's acknowledgement or closing note. Objects come through ``supervision.access``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from supervision import services_warnings
from supervision.access import warning_for_user
from supervision.filters import filtered_warnings
from supervision.forms import AcknowledgeForm, CloseWarningForm
from supervision.models_warnings import EarlyWarning, WarningState

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)
EVIDENCE_URLS = {
    "complaint": "complaint-detail",
    "batch": "sampling-detail",
    "finding": "check-detail",
}


@require_GET
@role_required(*READERS)
def warning_list(request: AuthenticatedRequest) -> HttpResponse:
    warning_filter = filtered_warnings(request, request.user)
    valid = warning_filter.form.is_valid()
    qs = warning_filter.qs if valid else warning_filter.queryset.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/warning_list.html",
        {"filter": warning_filter, "page": page, "warnings": list(page.object_list)},
        status=200 if valid else 400,
    )


def _render_detail(
    request: AuthenticatedRequest,
    warning: EarlyWarning,
    *,
    action: str = "",
    form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    staff = request.user.role == Role.STAFF
    active = warning.state != WarningState.CLOSED
    context = {
        "warning": warning,
        "evidence_urls": EVIDENCE_URLS,
        "acknowledge_form": (
            form
            if action == "acknowledge"
            else AcknowledgeForm(prefix="acknowledge")
            if staff and warning.state == WarningState.OPEN
            else None
        ),
        "close_form": (
            form
            if action == "close"
            else CloseWarningForm(prefix="close")
            if staff and active
            else None
        ),
    }
    return render(request, "supervision/warning_detail.html", context, status=status)


@require_GET
@role_required(*READERS)
def warning_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, warning_for_user(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def warning_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("acknowledge", "close"):
        raise Http404("No such action.")
    warning = warning_for_user(request.user, pk, write=True)
    form: Form = (
        AcknowledgeForm(request.POST, prefix=action)
        if action == "acknowledge"
        else CloseWarningForm(request.POST, prefix=action)
    )
    if form.is_valid():
        try:
            if action == "acknowledge":
                services_warnings.warning_acknowledge(
                    warning=warning, by=request.user, note=form.cleaned_data["note"]
                )
            else:
                services_warnings.warning_close(
                    warning=warning, by=request.user, note=form.cleaned_data["note"]
                )
        except services_warnings.StaleObject:
            messages.error(request, _("Someone else changed this warning meanwhile; see below."))
            return redirect("warning-detail", pk=warning.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The warning was acknowledged.")
                if action == "acknowledge"
                else _("The warning was closed."),
            )
            return redirect("warning-detail", pk=warning.pk)
    return _render_detail(request, warning, action=action, form=form, status=400)
