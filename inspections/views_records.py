"""Penalties, dishonest listings and safety incidents: one list-and-form page per kind (staff)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from inspections import services_checks as services
from inspections.access import RECORDS_FOR_USER, record_for_user
from inspections.forms_records import RECORD_FORMS
from inspections.models import DishonestListing, Penalty, SafetyIncident
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required

PAGE_SIZE = 50
MODELS: dict[str, Any] = {
    "penalties": Penalty,
    "listings": DishonestListing,
    "incidents": SafetyIncident,
}
TITLES = {
    "penalties": gettext_lazy("Administrative penalties"),
    "listings": gettext_lazy("Serious illegal and dishonest list"),
    "incidents": gettext_lazy("Safety incidents"),
}


def _kind(kind: str) -> str:
    if kind not in MODELS:
        raise Http404("No such record kind.")
    return kind


@role_required(Role.STAFF, Role.LEADER)
@require_http_methods(["GET", "POST"])
def record_list(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    can_change = request.user.role == Role.STAFF
    form = None
    if can_change:
        form = RECORD_FORMS[kind](request.POST or None, user=request.user)
    elif request.method == "POST":
        record_for_user(request.user, kind, 0, write=True)  # audits and refuses
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_save(model=MODELS[kind], by=request.user, **form.record_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("record-list", kind=kind)
    qs = RECORDS_FOR_USER[kind](request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/record_list.html",
        {"kind": kind, "title": TITLES[kind], "page": page, "form": form, "kinds": TITLES},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def record_edit(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    kind = _kind(kind)
    record = record_for_user(request.user, kind, pk, write=True)
    form = RECORD_FORMS[kind](request.POST or None, instance=record, user=request.user)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            services.record_delete(
                instance=record, by=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("record-edit", kind=kind, pk=pk)
        messages.success(request, _("The record was deleted."))
        return redirect("record-list", kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_save(
                model=MODELS[kind], by=request.user, **form.record_data(), instance=record
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("record-list", kind=kind)
    return render(
        request,
        "inspections/record_edit.html",
        {"kind": kind, "title": TITLES[kind], "record": record, "form": form},
        status=400 if request.method == "POST" else 200,
    )
