"""Staff record one sampling batch by hand and link an unlinked batch to a registered unit.

Both go through ``inspections.services``; the form limits the jurisdiction (and the unit to link)
to the staff member's scope, and the services' rule errors come back onto the form's fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections import services
from inspections.access import batch_for_user
from inspections.forms_entry import LinkUnitForm, SamplingBatchForm
from inspections.models import SamplingBatch
from inspections.selectors import batch_detail
from inspections.views_sampling import _forms
from lyushunkou.forms import add_service_error
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required

# Service error keys that are named differently on the form.
FIELD_OF_ERROR = {"kind": "disposal", "done_on": "disposal_on"}


def _record(form: SamplingBatchForm, request: AuthenticatedRequest) -> SamplingBatch:
    """The batch and, when given, its disposal: both or neither."""
    with transaction.atomic():
        batch = services.batch_record(by=request.user, **form.batch_data())
        kind = form.cleaned_data.get("disposal")
        if kind:
            services.disposal_add(
                batch=batch,
                by=request.user,
                kind=kind,
                done_on=form.cleaned_data.get("disposal_on") or timezone.localdate(),
            )
    return batch


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def sampling_new(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = SamplingBatchForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                batch = _record(form, request)
            except ValidationError as error:
                add_service_error(form, error, FIELD_OF_ERROR)
            else:
                if batch.unit is not None:
                    note = _("The batch was recorded and linked to %(unit)s.") % {
                        "unit": batch.unit.name
                    }
                else:
                    note = _("The batch was recorded; it is not linked to a registered unit.")
                messages.success(request, note)
                return redirect("sampling-detail", pk=batch.pk)
    else:
        form = SamplingBatchForm(user=request.user, initial={"sampled_on": timezone.localdate()})
    return render(
        request,
        "inspections/sampling_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(Role.STAFF)
def sampling_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = batch_for_user(request.user, pk, write=True)
    form = LinkUnitForm(request.POST, prefix="link", user=request.user)
    if batch.unit_id is not None:
        messages.error(request, _("This batch is already linked to a unit."))
        return redirect("sampling-detail", pk=batch.pk)
    if form.is_valid():
        unit = form.cleaned_data["credit_code"]
        try:
            services.batch_link_unit(batch=batch, by=request.user, unit=unit)
        except services.StaleObject:
            messages.error(request, _("Someone else changed this batch meanwhile; try again."))
        else:
            messages.success(request, _("The batch was linked to %(unit)s.") % {"unit": unit.name})
        return redirect("sampling-detail", pk=batch.pk)
    detail = batch_detail(batch)
    context: dict[str, Any] = {"detail": detail, "batch": batch, **_forms(detail)}
    context["link_form"] = form
    return render(request, "inspections/sampling_detail.html", context, status=400)
