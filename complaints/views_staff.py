"""Staff and leader pages of the 12315 register: list, intake, the complaint page with one form
per workflow step, unmasking, and the entry of paper survey forms.

Leaders read; only staff act. Every complaint comes through ``complaints.access``; every step is a
service call that claims its transition, so a stale or repeated form changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints import services, services_followup
from complaints.access import complaint_for_user
from complaints.filters import FILTERED_COMPLAINTS
from complaints.forms import (
    ComplaintRegisterForm,
    ConcludeForm,
    DatedStepForm,
    DecideForm,
    MediationForm,
    PauseForm,
    ReasonStepForm,
    RefuseForm,
    SatisfactionForm,
    StepForm,
    SurveyEntryForm,
    UnmaskForm,
)
from complaints.models import Complaint
from complaints.selectors import (
    complaint_detail as select_detail,
)
from complaints.selectors import (
    recent_survey_entries,
    with_days_left,
)
from lyushunkou.as_of import as_of_note
from lyushunkou.db_router import use_replica
from lyushunkou.forms import add_service_error
from lyushunkou.models import Role, User
from lyushunkou.roles import AuthenticatedRequest, role_required

PAGE_SIZE = 50
T = TypeVar("T")
READERS = (Role.STAFF, Role.LEADER)


def _optional_url(name: str, **kwargs: str) -> str | None:
    """Pages of the import/export module, linked when they are installed."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _submit(
    form: forms.Form, service: Callable[[dict[str, Any]], T], rename: dict[str, str] | None = None
) -> T | None:
    """What the service returns for a submitted, valid form; else None, with the form's or the
    service's errors on the form."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error, rename)
        return None


# --- List and intake -------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
@use_replica
def complaint_list(request: AuthenticatedRequest) -> HttpResponse:
    context = FILTERED_COMPLAINTS.page_context(request, PAGE_SIZE)
    with_days_left(context["page"].object_list)
    # The export links are offered only where the import/export module is installed.
    query = context.pop("export_query")
    query = f"?{query}" if query else ""
    context.update(
        as_of=as_of_note(context["filter"]),
        exports=[
            (label, url + query)
            for label, url in (
                (_("Export .xlsx"), _optional_url("complaint-export", fmt="xlsx")),
                (_("Export CSV"), _optional_url("complaint-export", fmt="csv")),
            )
            if url
        ],
        import_url=_optional_url("complaint-import") if request.user.role == Role.STAFF else None,
        can_register=request.user.role == Role.STAFF,
    )
    return render(request, "complaints/staff/complaint_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def complaint_new(request: AuthenticatedRequest) -> HttpResponse:
    form = ComplaintRegisterForm(request.POST or None, user=request.user)
    complaint = _submit(
        form,
        lambda data: services.complaint_register(by=request.user, **form.service_data()),
        ComplaintRegisterForm.FIELD_FOR_SERVICE_ERROR,
    )
    if complaint is not None:
        messages.success(
            request, _("Complaint %(no)s was registered.") % {"no": complaint.record_no}
        )
        return redirect("complaint-detail", pk=complaint.pk)
    return render(
        request,
        "complaints/staff/complaint_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- The complaint page and its steps ------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """How the complaint page presents one step and runs it. ``run`` is called as
    ``run(complaint=..., by=..., **form.cleaned_data)``: the form's fields are its keywords.
    When the step is available is the services' answer (``services.complaint_steps``)."""

    form: type[forms.Form]
    run: Callable[..., Any]
    label: Any
    message: Any
    style: str = "primary"


def _decide(*, complaint: Complaint, by: User, decision: str, **data: Any) -> Complaint:
    return services.report_decide(complaint=complaint, by=by, open_case=decision == "open", **data)


ACTIONS: dict[str, Action] = {
    "accept": Action(
        DatedStepForm,
        services.complaint_accept,
        gettext_lazy("Accept"),
        gettext_lazy("The complaint was accepted."),
        "success",
    ),
    "refuse": Action(
        RefuseForm,
        services.complaint_refuse,
        gettext_lazy("Do not accept"),
        gettext_lazy("The complaint was not accepted."),
        "danger",
    ),
    "forward": Action(
        StepForm,
        services.complaint_forward_odr,
        gettext_lazy("Forward for settlement by the business itself (ODR)"),
        gettext_lazy("The complaint was forwarded to the operator."),
    ),
    "mediation": Action(
        MediationForm,
        services.complaint_record_mediation,
        gettext_lazy("Record mediation"),
        gettext_lazy("The mediation record was kept."),
    ),
    "pause": Action(
        PauseForm,
        services.complaint_pause,
        gettext_lazy("Pause the clock"),
        gettext_lazy("The mediation clock is paused."),
        "secondary",
    ),
    "resume": Action(
        DatedStepForm,
        services.complaint_resume,
        gettext_lazy("Resume the clock"),
        gettext_lazy("The mediation clock runs again."),
        "secondary",
    ),
    "conclude": Action(
        ConcludeForm,
        services.complaint_conclude,
        gettext_lazy("Conclude"),
        gettext_lazy("The complaint was concluded."),
        "success",
    ),
    "reopen": Action(
        ReasonStepForm,
        services.complaint_reopen,
        gettext_lazy("Reopen"),
        gettext_lazy("The complaint was reopened."),
        "warning",
    ),
    "verify": Action(
        StepForm,
        services.report_verify,
        gettext_lazy("Start verification"),
        gettext_lazy("Verification started."),
    ),
    "decide": Action(
        DecideForm,
        _decide,
        gettext_lazy("Record the decision"),
        gettext_lazy("The decision was recorded."),
    ),
    "satisfaction": Action(
        SatisfactionForm,
        services_followup.complaint_record_satisfaction,
        gettext_lazy("Record the callback answer"),
        gettext_lazy("The callback answer was recorded."),
    ),
    "callback_link": Action(
        StepForm,
        services_followup.callback_link_create,
        gettext_lazy("Create a callback link"),
        gettext_lazy("The callback link was created."),
        "outline-primary",
    ),
}


def _render_detail(
    request: AuthenticatedRequest,
    complaint: Complaint,
    *,
    bound: dict[str, forms.Form] | None = None,
    callback_url: str = "",
    status: int = 200,
) -> HttpResponse:
    detail = select_detail(complaint)
    actions = []
    paused = detail.running_pause is not None
    for name in services.complaint_steps(complaint, request.user, paused=paused):
        action = ACTIONS[name]
        form = (bound or {}).get(name) or action.form(
            initial={"version": complaint.version}, auto_id=f"id_{name}_%s"
        )
        actions.append({"name": name, "action": action, "form": form})
    response = render(
        request,
        "complaints/staff/complaint_detail.html",
        {
            "complaint": complaint,
            "detail": detail,
            "actions": actions,
            "can_unmask": request.user.has_perm("complaints.unmask_complainant"),
            "unmask_form": UnmaskForm(),
            "callback_url": callback_url,
        },
        status=status,
    )
    if callback_url:
        response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(Role.STAFF, Role.LEADER, Role.OPERATOR)
def complaint_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if request.user.role == Role.OPERATOR:
        raise Http404("Operators read complaints in their workspace.")
    return _render_detail(request, complaint_for_user(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def complaint_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    complaint = complaint_for_user(request.user, pk, write=True)
    step = ACTIONS[action]
    form = step.form(request.POST, auto_id=f"id_{action}_%s")
    try:
        services.require_step(complaint, action, request.user)
    except ValidationError as refused:
        form.is_valid()
        form.add_error(None, refused)
    else:
        result = _submit(form, lambda data: step.run(complaint=complaint, by=request.user, **data))
        if result is not None:
            messages.success(request, str(step.message))
            if action == "callback_link":
                complaint.refresh_from_db()
                url = request.build_absolute_uri(reverse("complaint-callback", args=[result]))
                return _render_detail(request, complaint, callback_url=url)
            return redirect("complaint-detail", pk=complaint.pk)
    complaint.refresh_from_db()
    if action not in services.complaint_steps(complaint, request.user):
        # The step's form is no longer on the page: say why above it instead.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _render_detail(request, complaint, bound={action: form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def complaint_unmask(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The complainant's personal data in clear, on this response only, for a stated reason:
    the fields, and the free texts that repeat them (request, notes, records, replies)."""
    complaint = complaint_for_user(request.user, pk)
    form = UnmaskForm(request.POST or None)
    clear = _submit(
        form,
        lambda data: services_followup.complaint_unmask(
            complaint=complaint, by=request.user, reason=data["reason"], request=request
        ),
    )
    # Only once the service has checked the permission and audited the reason.
    detail = select_detail(complaint, clear=True) if clear is not None else None
    response = render(
        request,
        "complaints/staff/complaint_unmask.html",
        {"complaint": complaint, "form": form, "clear": clear, "detail": detail},
        status=400 if request.method == "POST" and clear is None else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Paper survey forms -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def survey_entry(request: AuthenticatedRequest) -> HttpResponse:
    form = SurveyEntryForm(request.POST or None, user=request.user)
    entered = _submit(
        form,
        lambda data: services_followup.survey_record(
            **form.service_data(data["answered_on"]), by=request.user
        ),
    )
    if entered is not None:
        messages.success(request, _("The survey form was entered."))
        return redirect("survey-entry")
    return render(
        request,
        "complaints/staff/survey_entry.html",
        {"form": form, "entries": recent_survey_entries(request.user)},
        status=400 if request.method == "POST" else 200,
    )
