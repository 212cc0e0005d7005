"""Staff review of demonstration applications; leaders read along."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrPromise

from lyushunkou.db_router import use_replica
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from units import services
from units.access import application_for_user, applications_for_user, unit_for_user
from units.filters_review import ApplicationFilter
from units.forms import ApproveForm, NoteForm, ReasonForm, VerifyCommitmentForm
from units.models import Commitment
from units.selectors_workspace import unit_commitments, unit_station
from units.standard import standard_check
from units.views_notice import notice_context

# review step → (form class, service, success message); which steps apply to an application as
# it stands is the services' to say (services.application_steps).
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], StrPromise]] = {
    "start_review": (NoteForm, services.application_start_review, _("Review started.")),
    "onsite_check": (
        NoteForm,
        services.application_to_onsite_check,
        _("Moved to the on-site check."),
    ),
    "approve": (
        ApproveForm,
        services.application_approve,
        _("Approved: the unit is now in public notice."),
    ),
    "return": (
        ReasonForm,
        services.application_return,
        _("Returned to the operator for changes."),
    ),
    "reject": (ReasonForm, services.application_reject, _("Rejected.")),
}


@role_required(Role.STAFF, Role.LEADER)
@use_replica
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    qs = applications_for_user(request.user).select_related("unit__jurisdiction").order_by("-id")
    applications = ApplicationFilter(request.GET or None, queryset=qs, user=request.user)
    page = Paginator(applications.qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "units/review/application_list.html", {"filter": applications, "page": page}
    )


@role_required(Role.STAFF, Role.LEADER)
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = application_for_user(request.user, pk)
    return _render_detail(request, application, forms_by_action={})


def _render_detail(
    request: AuthenticatedRequest, application: Any, *, forms_by_action: dict[str, forms.Form]
) -> HttpResponse:
    actions = []
    for name in services.application_steps(application, request.user):
        form_class = ACTIONS[name][0]
        form = forms_by_action.get(name) or form_class(initial={"version": application.version})
        actions.append((name, form))
    context = {
        "application": application,
        "unit": application.unit,
        "commitments": unit_commitments(application.unit),
        "station": unit_station(application.unit),
        "evidence": list(application.unit.evidence.all()),
        "events": application.events.select_related("actor"),
        "actions": actions,
        "report": standard_check(application.unit),
        "can_verify": request.user.role == Role.STAFF,
        **notice_context(application, request.user),
    }
    return render(request, "units/review/application_detail.html", context)


@role_required(Role.STAFF)
@require_POST
def application_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    application = application_for_user(request.user, pk, write=True)
    form_class, service, message = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(application=application, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect("application-detail", pk=application.pk)
    application.refresh_from_db()
    if action not in services.application_steps(application, request.user):
        # Someone else moved it on: the action's form is gone from the page, so say why above it.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _render_detail(request, application, forms_by_action={action: form})


@role_required(Role.STAFF)
@require_POST
def commitment_verify(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """Staff of the unit's scope verify a self-discipline system after reviewing its evidence;
    back to the page they came from (the unit page or an application's review page)."""
    unit = unit_for_user(request.user, pk, write=True)
    commitment = next((c for c in unit_commitments(unit) if c.kind == kind), None)
    if commitment is None:
        raise Http404("No such commitment.")
    form = VerifyCommitmentForm(request.POST)
    label = Commitment.Kind(commitment.kind).label
    if form.is_valid():
        try:
            services.commitment_verify(
                commitment=commitment,
                by=request.user,
                note=form.cleaned_data["note"],
                seen=form.cleaned_data["seen"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Commitment “%(kind)s” verified.") % {"kind": label})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("unit-detail", args=[unit.pk])
    return redirect(back)
