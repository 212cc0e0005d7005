"""The demonstration-area checklist (DESIGN.md §6): every jurisdiction × the five items of the
standard, with evidence and who confirmed them. Staff and leaders read (street staff their own
jurisdiction); staff of the jurisdiction or of the district record and confirm; evidence files are
served through an access-checked view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inspections.views_files import _serve
from lyushunkou.models import Role
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from scoring import targets
from scoring.exports import EXPORT_FORMATS, export_checklist
from scoring.forms_targets import ChecklistItemForm
from units.services import StaleObject

READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
def checklist_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "scoring/targets/checklist_list.html",
        {
            "table": targets.checklist_table(request.user),
            "items": targets.Item.choices,
            "can_edit": request.user.role == Role.STAFF,
        },
    )


@require_GET
@role_required(*READERS)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
def checklist_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    """The checklist table as the list shows it (the user's scope; it has no filters)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    return export_checklist(request=request, table=targets.checklist_table(request.user), fmt=fmt)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def checklist_edit(request: AuthenticatedRequest, code: str, item: str) -> HttpResponse:
    record = targets.checklist_item_for_user(request.user, code, item, write=True)
    status = 200
    if request.method == "POST":
        form = ChecklistItemForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                targets.checklist_item_save(
                    record=record,
                    by=request.user,
                    version=data["version"],
                    done=data["done"],
                    note=data["evidence_note"],
                    upload=data["evidence_file"],
                    confirm=data["confirm"],
                )
            except StaleObject as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The checklist item was saved."))
                return redirect("checklist-list")
    else:
        form = ChecklistItemForm.for_record(record)
    return render(
        request,
        "scoring/targets/checklist_edit.html",
        {"record": record, "place": record.jurisdiction, "form": form},
        status=status,
    )


@require_GET
@role_required(*READERS)
def checklist_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _serve(targets.checklist_file_for_user(request.user, pk).evidence_file)
