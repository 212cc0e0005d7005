"""Staff and leader pages for sampling proposals: list (filters, export), generate, detail with
accept / dismiss / link a batch.

Leaders read; only staff change anything, within their scope. Objects come through
``supervision.access``; a malformed period or a jurisdiction outside the user's choice answers
400 with the error named.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lyushunkou.access import jurisdiction_scope
from lyushunkou.db_router import use_replica
from lyushunkou.models import Role
from lyushunkou.periods import last_complete
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.tabular import EXPORT_FORMATS
from supervision import services
from supervision.access import proposal_for_user
from supervision.clusters import rank
from supervision.exports import export_proposals
from supervision.filters import ProposalFilter, active_filter_params, filtered_proposals
from supervision.forms import AcceptForm, DismissForm, GenerateForm, LinkBatchForm
from supervision.models import SamplingProposal
from supervision.selectors import ProposalDetail, proposal_detail

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


def _render_list(
    request: AuthenticatedRequest,
    proposal_filter: ProposalFilter,
    generate_form: GenerateForm | None,
    status: int = 200,
) -> HttpResponse:
    valid = proposal_filter.form.is_valid()
    qs = proposal_filter.qs if valid else proposal_filter.queryset.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = active_filter_params(request)
    return render(
        request,
        "supervision/proposal_list.html",
        {
            "filter": proposal_filter,
            "page": page,
            "proposals": list(page.object_list),
            "filters": filters,
            "export_query": urlencode(filters),
            "generate_form": generate_form,
        },
        status=status,
    )


def _generate_form(request: AuthenticatedRequest, data: Any = None) -> GenerateForm | None:
    if request.user.role != Role.STAFF:
        return None
    if data is not None:
        return GenerateForm(data)
    return GenerateForm(initial={"period": last_complete().key})


@require_GET
@role_required(*READERS)
@use_replica
def proposal_list(request: AuthenticatedRequest) -> HttpResponse:
    proposal_filter = filtered_proposals(request, request.user)
    status = 200 if proposal_filter.form.is_valid() else 400
    return _render_list(request, proposal_filter, _generate_form(request), status)


@require_POST
@role_required(Role.STAFF)
def proposal_generate(request: AuthenticatedRequest) -> HttpResponse:
    form = GenerateForm(request.POST)
    if not form.is_valid():
        proposal_filter = filtered_proposals(request, request.user)
        return _render_list(request, proposal_filter, form, status=400)
    period = form.cleaned_data["period"]
    scope = jurisdiction_scope(request.user)
    ranking = rank(period, jurisdiction=scope)
    result = services.proposals_store(ranking=ranking, by=request.user, scope=scope)
    if ranking.message:
        messages.info(request, ranking.message)
    else:
        messages.success(
            request,
            _(
                "Proposals for %(period)s: %(created)s new, %(updated)s refreshed, %(decided)s "
                "already decided, %(removed)s no longer standing out removed."
            )
            % {
                "period": period.key,
                "created": result.created,
                "updated": result.updated,
                "decided": result.decided,
                "removed": result.removed,
            },
        )
    return redirect(f"{reverse('proposal-list')}?{urlencode({'period': period.key})}")


@require_GET
@role_required(*READERS)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
@use_replica
def proposal_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    proposal_filter = filtered_proposals(request, request.user)
    if not proposal_filter.form.is_valid():
        return _render_list(request, proposal_filter, _generate_form(request), status=400)
    return export_proposals(
        request=request,
        queryset=proposal_filter.qs,
        fmt=fmt,
        filters=active_filter_params(request),
    )


def _forms(
    request: AuthenticatedRequest, detail: ProposalDetail, bound: str = "", data: Any = None
) -> dict[str, Form | None]:
    if request.user.role != Role.STAFF:
        return {}
    proposal = detail.proposal

    def maybe(name: str) -> Any:
        return data if bound == name else None

    return {
        "accept_form": AcceptForm(maybe("accept"), prefix="accept") if proposal.is_open else None,
        "dismiss_form": DismissForm(maybe("dismiss"), prefix="dismiss")
        if proposal.is_open
        else None,
        "link_form": LinkBatchForm(maybe("link"), prefix="link", candidates=detail.candidates)
        if proposal.state == "accepted"
        else None,
    }


def _render_detail(
    request: AuthenticatedRequest,
    proposal: SamplingProposal,
    *,
    bound: str = "",
    form: Form | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = proposal_detail(proposal, request.user)
    context: dict[str, Any] = {"detail": detail, "proposal": proposal}
    context.update(_forms(request, detail))
    if form is not None:
        context[f"{bound}_form"] = form
    return render(request, "supervision/proposal_detail.html", context, status=status)


@require_GET
@role_required(*READERS)
def proposal_detail_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, proposal_for_user(request.user, pk))


SUCCESS = {
    "accept": lambda: _("The proposal was accepted into the sampling plan."),
    "dismiss": lambda: _("The proposal was dismissed."),
    "link": lambda: _("The batch was linked to the proposal."),
}


@require_POST
@role_required(Role.STAFF)
def proposal_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in SUCCESS:
        raise Http404("No such action.")
    proposal = proposal_for_user(request.user, pk, write=True)
    form: Form
    if action == "accept":
        form = AcceptForm(request.POST, prefix=action)
    elif action == "dismiss":
        form = DismissForm(request.POST, prefix=action)
    else:
        candidates = proposal_detail(proposal, request.user).candidates
        form = LinkBatchForm(request.POST, prefix=action, candidates=candidates)
    if form.is_valid():
        try:
            if action == "accept":
                services.proposal_accept(
                    proposal=proposal, by=request.user, note=form.cleaned_data["note"]
                )
            elif action == "dismiss":
                services.proposal_dismiss(
                    proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
                )
            else:
                services.proposal_link_batch(
                    proposal=proposal, batch=form.cleaned_data["batch"], by=request.user
                )
        except services.StaleObject:
            messages.error(request, _("Someone else decided this proposal meanwhile; see below."))
            return redirect("proposal-detail", pk=proposal.pk)
        except ValidationError as error:
            form.add_error(None, error)  # a field's error lands on that field
        else:
            messages.success(request, SUCCESS[action]())
            return redirect("proposal-detail", pk=proposal.pk)
    return _render_detail(request, proposal, bound=action, form=form, status=400)
