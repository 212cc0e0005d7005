"""Staff pages for who may act for a unit: claims and their licences, one-time claim codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lyushunkou import audit
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from units import services_claims
from units.access import claim_for_user, unit_for_user
from units.forms_staff import ClaimDecisionForm
from units.selectors import claim_list as select_claims

PAGE_SIZE = 50


@require_GET
@role_required(Role.STAFF)
def claim_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(select_claims(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "units/staff/claim_list.html", {"page": page})


@require_POST
@role_required(Role.STAFF)
def claim_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = claim_for_user(request.user, pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("claim-list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services_claims.claim_decide(
            claim=claim, by=request.user, approve=approve, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The claim was approved: the claimant now operates %(unit)s.")
            % {"unit": claim.unit.name}
            if approve
            else _("The claim was rejected."),
        )
    return redirect("claim-list")


@require_GET
@role_required(Role.STAFF)
def claim_licence(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The licence a claimant uploaded, to staff in scope only; every view is audited."""
    claim = claim_for_user(request.user, pk)
    if not claim.licence:
        return redirect("claim-list")
    audit.record("unit.claim_licence_viewed", request=request, obj=claim.unit, claim=claim.pk)
    response = FileResponse(
        claim.licence.open("rb"),
        content_type=claim.licence_type or "application/octet-stream",
        as_attachment=False,
        filename=claim.licence_name or "licence",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def claim_code_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST issues a code and shows it once, laid out as a notice to print.

    The code is never stored, only its digest: lost, it is replaced by a new one."""
    unit = unit_for_user(request.user, pk, write=True)
    context: dict[str, object] = {"unit": unit}
    if request.method == "POST":
        code, record = services_claims.claim_code_issue(unit=unit, by=request.user)
        context.update(code=code, record=record)
    return render(request, "units/staff/claim_code.html", context)
