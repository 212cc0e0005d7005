"""On-site checks and findings: staff record checks, operators rectify, staff confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspections import services_checks as services
from inspections.access import check_for_user, checks_for_user, finding_for_user, findings_for_user
from inspections.filters import CheckFilter
from inspections.forms import (
    CheckForm,
    CheckItemFormSet,
    FindingConfirmForm,
    FindingFormSet,
    RectificationForm,
)
from inspections.models import CheckType
from lyushunkou.claims import StaleObject
from lyushunkou.db_router import use_replica
from lyushunkou.keyset import keyset_page
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from units.access import unit_for_user

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
@use_replica
def check_list(request: AuthenticatedRequest) -> HttpResponse:
    checks = CheckFilter(
        request.GET, queryset=checks_for_user(request.user).order_by("-checked_on", "-id")
    )
    page = keyset_page(request, checks.qs, PAGE_SIZE)
    return render(request, "inspections/check_list.html", {"page": page, "filter": checks})


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def check_new(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """GET ?type=… shows that type's checklist; POST records the check, items and findings."""
    unit = unit_for_user(request.user, unit_pk, write=True)
    check_type = (
        request.POST.get("check_type") or request.GET.get("type") or CheckType.PRICE_MARKING
    )
    if check_type not in CheckType.values:
        check_type = CheckType.PRICE_MARKING
    checklist = services.DEFAULT_CHECKLISTS[check_type]
    if request.method == "POST":
        form = CheckForm(request.POST)
        items = CheckItemFormSet(request.POST, request.FILES, prefix="items")
        findings = FindingFormSet(request.POST, prefix="findings")
        if form.is_valid() and items.is_valid() and findings.is_valid():
            try:
                check = services.check_record(
                    unit=unit,
                    by=request.user,
                    **form.cleaned_data,
                    items=[entry for entry in items.cleaned_data if entry],
                    findings=[entry for entry in findings.cleaned_data if entry],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The on-site check was recorded."))
                return redirect("check-detail", pk=check.pk)
    else:
        form = CheckForm(initial={"checked_on": timezone.localdate(), "check_type": check_type})
        items = CheckItemFormSet(
            prefix="items", initial=[{"item": item, "passed": True} for item in checklist]
        )
        findings = FindingFormSet(prefix="findings")
    return render(
        request,
        "inspections/check_form.html",
        {
            "unit": unit,
            "form": form,
            "items": items,
            "findings": findings,
            "check_type": check_type,
            "types": CheckType.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@role_required(*READERS)
def check_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    check = check_for_user(request.user, pk)
    today = timezone.localdate()
    findings = [(f, f.status(today)) for f in check.findings.select_related("rectified_by")]
    return render(
        request,
        "inspections/check_detail.html",
        {
            "check": check,
            "items": list(check.items.all()),
            "findings": findings,
            "confirm_form": FindingConfirmForm() if request.user.role == Role.STAFF else None,
        },
    )


@require_GET
@role_required(*READERS)
@use_replica
def finding_list(request: AuthenticatedRequest) -> HttpResponse:
    qs = findings_for_user(request.user).order_by("rectified_on", "rectification_due", "id")
    open_only = request.GET.get("open") == "yes"
    if open_only:
        qs = qs.filter(confirmed_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "inspections/finding_list.html",
        {"page": page, "rows": [(f, f.status(today)) for f in page], "open_only": open_only},
    )


@require_POST
@role_required(Role.OPERATOR, Role.STAFF)
def finding_rectify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    finding = finding_for_user(request.user, pk, write=True)
    form = RectificationForm(request.POST, request.FILES, prefix=f"rectify-{finding.pk}")
    back = (
        redirect("workspace-unit", pk=finding.unit_id)
        if request.user.role == Role.OPERATOR
        else redirect("check-detail", pk=finding.check_record_id)
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return back
    try:
        services.finding_rectify(
            finding=finding,
            by=request.user,
            rectified_on=form.cleaned_data["rectified_on"],
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data.get("evidence"),
        )
    except StaleObject:
        messages.error(request, _("The rectification of this finding was already recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The rectification was recorded; staff will confirm it."))
    return back


@require_POST
@role_required(Role.STAFF)
def finding_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    finding = finding_for_user(request.user, pk, write=True)
    form = FindingConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.finding_confirm(
                finding=finding,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except StaleObject:
            messages.error(request, _("There is no rectification waiting for confirmation."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The decision on the rectification was recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("check-detail", pk=finding.check_record_id)
