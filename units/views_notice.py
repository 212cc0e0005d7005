"""The public notice (公示): the public list and objection form, staff's resolution of objections,
issuing a certificate at once, and downloading the certificate PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lyushunkou import audit, ratelimit
from lyushunkou.audit import client_ip
from lyushunkou.models import Role, User
from lyushunkou.roles import AuthenticatedRequest, role_required
from units import services_notice
from units.access import application_for_user
from units.certificate import certificate_available, certificate_data, render_certificate
from units.forms_notice import ObjectionForm, ResolveObjectionForm, UnmaskObjectorForm
from units.models import ApplicationStatus, DemonstrationApplication
from units.models_notice import ObjectionStatus
from units.plaque import plaque_url
from units.selectors_notice import (
    application_notices,
    application_objection,
    application_objections,
    running_notice,
    running_notices,
)

# Objections are free text from anyone: enough for a person, too few for a flood.
OBJECTIONS_PER_HOUR = 5


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "units/public/notice_list.html", {"notices": running_notices()})


@require_http_methods(["GET", "POST"])
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    notice = running_notice(pk)
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    status = 200
    # Only an objection that would be written counts against the address's limit.
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            f"objection:{client_ip(request)}", limit=OBJECTIONS_PER_HOUR, window_seconds=3600
        ):
            audit.record("application.objection_throttled", request=request, outcome="denied")
            form.add_error(None, _("Too many objections from this address; try again in an hour."))
            status = 429
        else:
            try:
                services_notice.objection_lodge(
                    notice=notice,
                    text=form.cleaned_data["text"],
                    contact=form.cleaned_data["contact"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your objection was received. Market-supervision staff will look into it "
                        "before the certificate is issued."
                    ),
                )
                return redirect("notice-list")
    unit = notice.application.unit
    return render(
        request,
        "units/public/objection_form.html",
        {"notice": notice, "unit": unit, "form": form},
        status=status,
    )


# --- Staff: the review page's notice section ---------------------------------------------------


def notice_context(application: DemonstrationApplication, user: User) -> dict[str, Any]:
    """The notice, its objections (contacts masked) and whether the certificate can be issued,
    for the review page."""
    notice = next((n for n in application_notices(application) if n.closed_at is None), None)
    objections = application_objections(application)
    is_staff = user.role == Role.STAFF
    rows = [
        {
            "objection": objection,
            "masked_contact": services_notice.mask_contact(objection.contact),
            "form": ResolveObjectionForm(prefix=f"o{objection.pk}")
            if is_staff and objection.status == ObjectionStatus.OPEN
            else None,
        }
        for objection in objections
    ]
    blockers = (
        services_notice.issue_blockers(notice, timezone.localdate())
        if application.status == ApplicationStatus.NOTICE
        else []
    )
    return {
        "notice": notice,
        "objection_rows": rows,
        "issue_blockers": blockers,
        "can_issue": is_staff and application.status == ApplicationStatus.NOTICE and not blockers,
        "can_unmask": user.has_perm("units.unmask_objector"),
        "unmask_form": UnmaskObjectorForm(),
        "certificate_available": certificate_available(application),
    }


@role_required(Role.STAFF)
@require_POST
def objection_resolve(request: AuthenticatedRequest, pk: int, objection_pk: int) -> HttpResponse:
    application = application_for_user(request.user, pk, write=True)
    objection = application_objection(application, objection_pk)
    form = ResolveObjectionForm(request.POST, prefix=f"o{objection.pk}")
    if form.is_valid():
        try:
            services_notice.objection_resolve(
                objection=objection,
                by=request.user,
                decision=form.cleaned_data["decision"],
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The objection was resolved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect("application-detail", pk=application.pk)


@never_cache
@role_required(Role.STAFF)
@require_POST
def objection_unmask(request: AuthenticatedRequest, pk: int, objection_pk: int) -> HttpResponse:
    """The objector's contact in clear, on this response only, for a stated reason (audited)."""
    application = application_for_user(request.user, pk)
    objection = application_objection(application, objection_pk)
    form = UnmaskObjectorForm(request.POST)
    contact = None
    if form.is_valid():
        try:
            contact = services_notice.objection_unmask(
                objection=objection,
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
    response = render(
        request,
        "units/review/objection_unmask.html",
        {"application": application, "objection": objection, "form": form, "contact": contact},
        status=200 if contact is not None else 400,
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.STAFF)
@require_POST
def certificate_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Issue an eligible certificate at once instead of waiting for the daily job."""
    application = application_for_user(request.user, pk, write=True)
    try:
        application = services_notice.certificate_issue(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Certificate %(number)s issued.") % {"number": application.certificate_no},
        )
    return redirect("application-detail", pk=application.pk)


@role_required(Role.STAFF, Role.OPERATOR)
@require_GET
def certificate_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The unit's operator and staff in scope download the current certificate, rendered now."""
    application = application_for_user(request.user, pk)
    if not certificate_available(application):
        raise Http404("No current certificate.")
    pdf = render_certificate(
        certificate_data(application, plaque_url=plaque_url(request, application.unit))
    )
    audit.record(
        "application.certificate_downloaded",
        request=request,
        obj=application,
        certificate_no=application.certificate_no,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{application.certificate_no}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
