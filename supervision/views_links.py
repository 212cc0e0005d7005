"""Complaints and sampling batches recorded without a unit, with suggested units, for staff to
link (issue 19 item 4). Records and units come through the apps' access helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaints.access import complaint_for_user
from inspections.access import batch_for_user
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from supervision import services_links
from supervision.forms_links import LinkForm
from supervision.selectors_links import (
    BATCH,
    COMPLAINT,
    link_rows,
    unlinked_batches,
    unlinked_complaints,
)
from units.access import units_for_user

PAGE_SIZE = 25


def _render_list(
    request: AuthenticatedRequest,
    *,
    failed: tuple[str, int, LinkForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    complaints = Paginator(unlinked_complaints(request.user), PAGE_SIZE).get_page(
        request.GET.get("complaints")
    )
    batches = Paginator(unlinked_batches(request.user), PAGE_SIZE).get_page(
        request.GET.get("batches")
    )
    complaint_rows, batch_rows = link_rows(
        request.user, list(complaints.object_list), list(batches.object_list)
    )
    context: dict[str, Any] = {
        "complaints_page": complaints,
        "batches_page": batches,
        "complaint_rows": complaint_rows,
        "batch_rows": batch_rows,
        "failed_kind": failed[0] if failed else "",
        "failed_pk": failed[1] if failed else None,
        "failed_form": failed[2] if failed else None,
    }
    return render(request, "supervision/link_list.html", context, status=status)


@require_GET
@role_required(Role.STAFF)
def link_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request)


@require_POST
@role_required(Role.STAFF)
def link_record(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    if kind == COMPLAINT:
        record: Any = complaint_for_user(request.user, pk, write=True)
    elif kind == BATCH:
        record = batch_for_user(request.user, pk, write=True)
    else:
        raise Http404("No such record kind.")
    form = LinkForm(request.POST)
    if form.is_valid():
        units = units_for_user(request.user)
        if form.cleaned_data["unit"]:
            unit, field = units.filter(pk=form.cleaned_data["unit"]).first(), "unit"
        else:
            unit = units.filter(credit_code=form.cleaned_data["credit_code"]).first()
            field = "credit_code"
        if unit is None:
            form.add_error(
                field,
                _("No unit with this credit code in your jurisdiction.")
                if field == "credit_code"
                else _("The suggested unit is not in your jurisdiction."),
            )
        else:
            try:
                services_links.record_link_unit(record=record, unit=unit, by=request.user)
            except services_links.AlreadyLinked as error:
                messages.error(request, error.messages[0])
                return redirect("link-list")
            messages.success(
                request,
                _("%(record)s was linked to %(unit)s.")
                % {
                    "record": record.record_no if kind == COMPLAINT else record.sample_no,
                    "unit": unit.name,
                },
            )
            return redirect("link-list")
    return _render_list(request, failed=(kind, record.pk, form), status=400)
