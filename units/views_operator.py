"""Operator self-registration and the operator workspace: profile, commitments, station,
evidence and demonstration applications. Every object is fetched through ``units.access``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lyushunkou import audit, ratelimit
from lyushunkou.audit import client_ip
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from units import services, services_claims, services_commitments
from units.access import (
    application_for_user,
    applications_for_user,
    evidence_for_user,
    unit_for_user,
    units_for_user,
)
from units.extensions import OPERATOR_UNIT_SECTIONS, render_sections
from units.forms import (
    ApplicationForm,
    CommitmentForm,
    EvidenceForm,
    RegistrationForm,
    StationForm,
    UnitProfileForm,
)
from units.models import ApplicationStatus, Commitment, ServiceStation, Unit
from units.models_claims import UnitClaim
from units.selectors_status import renewal_invitations
from units.selectors_workspace import my_pending_claims, unit_commitments, unit_station
from units.standard import standard_check

REGISTRATIONS_PER_HOUR = 5


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not ratelimit.allow(
            f"register:{client_ip(request)}", limit=REGISTRATIONS_PER_HOUR, window_seconds=3600
        ):
            audit.record("auth.register_throttled", request=request, outcome="denied")
            form.add_error(
                None, _("Too many registrations from this address; try again in an hour.")
            )
        elif form.is_valid():
            data = form.cleaned_data
            account = {k: data[k] for k in ("username", "full_name", "phone", "email")}
            account["password"] = data["password1"]
            unit_profile = {k: data[k] for k in RegistrationForm.NEW_UNIT_FIELDS}
            try:
                user, unit, claim = services_claims.operator_register(
                    account=account,
                    credit_code=data["credit_code"],
                    **unit_profile,
                    licence=data.get("licence"),
                    claim_code=data.get("claim_code", ""),
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            except IntegrityError:
                form.add_error(
                    None,
                    _(
                        "Someone registered the same name or code a moment ago; "
                        "check and try again."
                    ),
                )
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _registered_message(unit, claim))
                return redirect("workspace")
    return render(request, "units/operator/register.html", {"form": form})


def _registered_message(unit: Unit | None, claim: UnitClaim | None) -> str:
    if claim is None:
        return _("Your account is ready: with the claim code, the unit is yours to manage.")
    if unit is None:
        return _(
            "Your account is ready. This unit is already in the register, so your claim and "
            "licence go to market-supervision staff; you can act for the unit once they approve."
        )
    return _(
        "Your account and unit are registered. Staff will check the business licence; until "
        "then the unit is not shown publicly and cannot apply for demonstration status."
    )


@role_required(Role.OPERATOR)
def workspace(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "units": units_for_user(request.user).order_by("name"),
        "applications": applications_for_user(request.user).order_by("-id")[:20],
        "claims": my_pending_claims(request.user),
        "renewals": renewal_invitations(units_for_user(request.user)),
    }
    return render(request, "units/operator/workspace.html", context)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def workspace_unit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk, write=request.method == "POST")
    form = UnitProfileForm(request.POST or None, instance=unit, initial={"version": unit.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update_profile(
                unit=unit,
                by=request.user,
                version=form.cleaned_data["version"],
                **{
                    field: value
                    for field, value in form.cleaned_data.items()
                    if field in services.UNIT_PROFILE_FIELDS
                },
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit's profile was saved."))
            return redirect("workspace-unit", pk=unit.pk)
    context = {
        "unit": unit,
        "form": form,
        "commitments": unit_commitments(unit),
        "station": unit_station(unit),
        "evidence_form": EvidenceForm(unit=unit),
        "evidence": unit.evidence.select_related("commitment"),
        "sections": render_sections(OPERATOR_UNIT_SECTIONS, unit, request.user),
    }
    return render(request, "units/operator/unit.html", context)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def commitments(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """All five commitments in one form and one 保存: saved together, or none and the page says
    which kind was refused and why. A kind left blank that was never made is not a commitment."""
    unit = unit_for_user(request.user, pk, write=request.method == "POST")
    existing = {c.kind: c for c in unit_commitments(unit)}
    data = request.POST if request.method == "POST" else None
    forms = []
    for kind, label in Commitment.Kind.choices:
        instance = existing.get(kind) or Commitment(unit=unit, kind=kind)
        forms.append(
            (kind, label, CommitmentForm(data, instance=instance, prefix=kind), existing.get(kind))
        )
    if data is None:
        return render(request, "units/operator/commitments.html", {"unit": unit, "forms": forms})
    labels = dict(Commitment.Kind.choices)
    # A kind is saved when its fields were posted and it exists or its content was typed; one
    # never made and left blank is not a commitment (the info message below names it).
    wanted = {
        kind: form
        for kind, _label, form, old in forms
        if f"{kind}-content" in data and (old is not None or data[f"{kind}-content"].strip())
    }
    refused = [labels[kind] for kind, form in wanted.items() if not form.is_valid()]
    if not wanted:
        messages.error(request, _("Nothing was saved: fill in at least one commitment."))
    elif refused:
        messages.error(
            request,
            _("Nothing was saved. Correct: %(kinds)s.") % {"kinds": "、".join(map(str, refused))},
        )
    else:
        try:
            services_commitments.commitments_save(
                unit=unit,
                by=request.user,
                data_by_kind={kind: form.cleaned_data for kind, form in wanted.items()},
            )
        except services_commitments.CommitmentsNotSaved as refusal:
            wanted[refusal.kind].add_error(None, refusal.error)
            messages.error(
                request,
                _("Nothing was saved. Correct: %(kinds)s.") % {"kinds": labels[refusal.kind]},
            )
        else:
            saved = "、".join(str(labels[kind]) for kind in wanted)
            messages.success(request, _("Commitments saved: %(kinds)s.") % {"kinds": saved})
            blank = [str(label) for kind, label in Commitment.Kind.choices if kind not in wanted]
            if blank:
                messages.info(
                    request,
                    _("Not filled in, so not made: %(kinds)s.") % {"kinds": "、".join(blank)},
                )
            return redirect("workspace-commitments", pk=unit.pk)
    return render(request, "units/operator/commitments.html", {"unit": unit, "forms": forms})


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def station(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk, write=request.method == "POST")
    instance = unit_station(unit) or ServiceStation(unit=unit)
    form = StationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_save(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The 12315 service station was saved."))
            return redirect("workspace-unit", pk=unit.pk)
    return render(request, "units/operator/station.html", {"unit": unit, "form": form})


@role_required(Role.OPERATOR)
@require_POST
def evidence_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES, unit=unit)
    application = None
    if request.POST.get("application"):
        application = application_for_user(
            request.user, int(request.POST["application"]), write=True
        )
        if application.unit_id != unit.pk:
            application = None
    if form.is_valid():
        try:
            services.evidence_add(
                unit=unit,
                by=request.user,
                upload=form.cleaned_data["file"],
                commitment=form.cleaned_data.get("commitment"),
                application=application,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file was uploaded."))
    else:
        for field_errors in form.errors.values():
            for field_error in field_errors:
                messages.error(request, str(field_error))
    if application is not None:
        return redirect("workspace-application", pk=application.pk)
    return redirect("workspace-unit", pk=unit.pk)


def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Evidence is served only to those who may see its unit, never from a public folder."""
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    evidence = evidence_for_user(request.user, pk)
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _login_url() -> str:
    from django.conf import settings
    from django.urls import reverse

    return reverse(settings.LOGIN_URL)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def application_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = unit_for_user(request.user, pk, write=request.method == "POST")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                unit=unit,
                by=request.user,
                year=form.cleaned_data["year"],
                statement=form.cleaned_data["statement"],
                commitments_confirmed=form.cleaned_data["commitments_confirmed"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The application was saved as a draft."))
            return redirect("workspace-application", pk=application.pk)
    return render(request, "units/operator/application_form.html", {"unit": unit, "form": form})


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def workspace_application(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_for_user(request.user, pk, write=request.method == "POST")
    editable = application.status == ApplicationStatus.DRAFT
    form = ApplicationForm(
        request.POST or None, instance=application, initial={"version": application.version}
    )
    if request.method == "POST" and editable and form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            application = services.application_update(
                application=application,
                by=request.user,
                version=version,
                statement=form.cleaned_data["statement"],
                commitments_confirmed=form.cleaned_data["commitments_confirmed"],
            )
            if request.POST.get("action") == "submit":
                services.application_submit(
                    application=application, by=request.user, version=application.version
                )
                messages.success(
                    request, _("The application was submitted to market-supervision staff.")
                )
                # Submitting is allowed with criteria unmet (staff review takes time and the
                # operator may fix them meanwhile); approval is not, so say so now.
                for message in standard_check(application.unit).refusal_messages():
                    messages.warning(request, message)
            else:
                messages.success(request, _("The draft was saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("workspace-application", pk=application.pk)
    context = {
        "application": application,
        "unit": application.unit,
        "form": form,
        "editable": editable,
        "events": application.events.select_related("actor"),
        "evidence": application.evidence.all(),
        "evidence_form": EvidenceForm(),
        "report": standard_check(application.unit),
    }
    return render(request, "units/operator/application.html", context)
