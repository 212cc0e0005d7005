"""Staff and leader pages for sampling: list, export, import, detail with its actions, balance.

Leaders read; only staff change anything. Objects come through ``inspections.access``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from inspections import services
from inspections.access import batch_for_user
from inspections.exports import COLUMNS, SAMPLING_LIST, template_workbook
from inspections.filters import FILTERED_BATCHES
from inspections.forms import (
    DisposalForm,
    NotifyForm,
    RetestApplyForm,
    RetestResultForm,
)
from inspections.forms_entry import LinkUnitForm
from inspections.imports import import_sampling
from inspections.models import ProductCategory, SamplingBatch
from inspections.selectors import batch_detail, overdue_ids, sampling_balance
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.as_of import as_of_note
from lyushunkou.db_router import use_replica
from lyushunkou.importing import import_page
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import xlsx_download
from lyushunkou.views_exports import list_export_view

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
@use_replica
def sampling_list(request: AuthenticatedRequest) -> HttpResponse:
    context = FILTERED_BATCHES.page_context(request, PAGE_SIZE)
    batches = context["page"].object_list
    context.update(
        batches=batches,
        as_of=as_of_note(context["filter"]),
        overdue=overdue_ids(batches),
        can_import=request.user.role == Role.STAFF,
    )
    return render(request, "inspections/sampling_list.html", context)


sampling_export = list_export_view(SAMPLING_LIST)


@role_required(Role.STAFF)
def sampling_import(request: AuthenticatedRequest) -> HttpResponse:
    return import_page(
        request,
        importer=import_sampling,
        template="inspections/sampling_import.html",
        columns=COLUMNS,
    )


@require_GET
@role_required(Role.STAFF)
def sampling_import_template(request: AuthenticatedRequest) -> HttpResponse:
    content = template_workbook(list(jurisdictions_for_user(request.user)))
    return xlsx_download(content, "抽检批次导入模板.xlsx", "sampling_import_template.xlsx")


def _forms(detail: Any, data: Any = None, failed: str = "") -> dict[str, Form | None]:
    def bound(name: str, form_class: type[Form]) -> Form:
        return form_class(data if failed == name else None, prefix=name)

    return {
        "notify_form": bound("notify", NotifyForm) if detail.can_notify else None,
        "retest_form": bound("retest", RetestApplyForm) if detail.can_apply_retest else None,
        "retest_result_form": bound("retest_result", RetestResultForm)
        if detail.can_record_retest
        else None,
        "disposal_form": bound("disposal", DisposalForm) if detail.batch.result == "fail" else None,
        "link_form": LinkUnitForm(prefix="link") if detail.batch.unit_id is None else None,
    }


def _render_detail(
    request: AuthenticatedRequest, batch: SamplingBatch, failed: str = "", status: int = 200
) -> HttpResponse:
    detail = batch_detail(batch)
    context: dict[str, Any] = {"detail": detail, "batch": batch}
    if request.user.role == Role.STAFF:
        context.update(_forms(detail, request.POST, failed))
    return render(request, "inspections/sampling_detail.html", context, status=status)


@require_GET
@role_required(*READERS)
def sampling_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, batch_for_user(request.user, pk))


ACTIONS: dict[str, tuple[type[Form], Callable[..., Any]]] = {
    "notify": (NotifyForm, services.batch_notify),
    "retest": (RetestApplyForm, services.batch_apply_retest),
    "retest_result": (RetestResultForm, services.batch_record_retest),
    "disposal": (DisposalForm, services.disposal_add),
}
SUCCESS = {
    "notify": gettext_lazy("The notification was recorded."),
    "retest": gettext_lazy("The re-test application was recorded."),
    "retest_result": gettext_lazy("The re-test result was recorded; it is final."),
    "disposal": gettext_lazy("The disposal was recorded."),
}


@require_POST
@role_required(Role.STAFF)
def sampling_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    batch = batch_for_user(request.user, pk, write=True)
    form_class, service = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(batch=batch, by=request.user, **form.cleaned_data)
        except services.StaleObject:
            messages.error(request, _("Someone else changed this batch meanwhile; try again."))
            return redirect("sampling-detail", pk=batch.pk)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, str(SUCCESS[action]))
            return redirect("sampling-detail", pk=batch.pk)
    detail = batch_detail(batch)
    forms = _forms(detail)
    key = {"notify": "notify_form", "retest": "retest_form"}.get(action, f"{action}_form")
    forms[key] = form
    return render(
        request,
        "inspections/sampling_detail.html",
        {"detail": detail, "batch": batch, **forms},
        status=400,
    )


@require_GET
@role_required(*READERS)
def sampling_balance_view(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    category = request.GET.get("category", "")
    if category not in ProductCategory.values:
        category = ""
    rows = sampling_balance(request.user, year=year, category=category)
    return render(
        request,
        "inspections/sampling_balance.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "category": category,
            "categories": ProductCategory.choices,
            "months": list(range(1, 13)),
        },
    )
