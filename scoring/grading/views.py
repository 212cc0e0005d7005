"""Explaining a grade (issue 6 item 3): the score page, the staff list of grades and its export,
the operator's grades, the operator's reply or appeal, and the staff's decision on appeals.

Every score and appeal comes through ``scoring.grading.access``; every change is a service call in
``scoring.grading.appeals``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lyushunkou.claims import StaleObject
from lyushunkou.db_router import use_replica
from lyushunkou.forms import add_service_error
from lyushunkou.models import Role, User
from lyushunkou.ratelimit import EXPORTS_PER_HOUR, rate_limited
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.views_exports import list_export_view
from scoring import periods
from scoring.grading import appeals as services
from scoring.grading.access import (
    appeal_for_user,
    latest_scores,
    score_appeals,
    score_explanation,
    score_for_appeal,
    score_for_user,
    score_indicators,
    score_trend,
    score_url,
)
from scoring.grading.exports import EXPORT_FORMATS, SCORE_LIST, export_appeals
from scoring.grading.forms import (
    FILTERED_SCORES,
    AppealDecisionForm,
    AppealFilter,
    AppealForm,
    filtered_appeals,
)
from scoring.models import APPEAL_DAYS, Appeal, UnitScore
from units.access import units_for_user

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


def _period_label(key: str) -> str:
    try:
        return str(periods.parse(key).label)
    except periods.PeriodError:
        return key


# --- The score page ----------------------------------------------------------------------------


def _score_page(
    request: AuthenticatedRequest,
    score: UnitScore,
    *,
    appeal_form: AppealForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user
    is_operator = user.role == Role.OPERATOR
    appeals = score_appeals(user, score)
    due = services.appeal_due(score)
    can_respond = is_operator and score.unit.owner_id == user.pk
    pending = next(
        (a for a in appeals if a.kind == Appeal.Kind.APPEAL and a.status == Appeal.Status.PENDING),
        None,
    )
    context: dict[str, Any] = {
        "score": score,
        "unit": score.unit,
        "period_label": _period_label(score.period),
        "explanation": score_explanation(user, score),
        "trend": score_trend(user, score),
        "appeals": appeals,
        "pending_appeal": pending,
        "appeal_due": due,
        "appeal_days": APPEAL_DAYS,
        "appeal_open": services.appeal_open(score),
        "can_respond": can_respond,
        "appeal_form": (appeal_form or AppealForm()) if can_respond else None,
        "is_operator": is_operator,
        "can_decide": user.role == Role.STAFF,
        "unit_url_name": "workspace-unit" if is_operator else "unit-detail",
        "back_url_name": "operator-score-list" if is_operator else "score-list",
    }
    return render(request, "scoring/scores/score_detail.html", context, status=status)


@require_GET
@role_required(Role.STAFF, Role.LEADER, Role.OPERATOR)
def score_detail(request: AuthenticatedRequest, unit_pk: str, period: str) -> HttpResponse:
    return _score_page(request, score_for_user(request.user, unit_pk, period))


@require_POST
@role_required(Role.OPERATOR)
def score_respond(request: AuthenticatedRequest, unit_pk: str, period: str) -> HttpResponse:
    """The operator's reply to, or appeal against, the grade."""
    score = score_for_user(request.user, unit_pk, period)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            appeal = services.appeal_submit(
                score=score,
                by=request.user,
                kind=form.cleaned_data["kind"],
                guarantee=form.cleaned_data["guarantee"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your appeal was sent to the staff; you will be notified of the decision.")
                if appeal.kind == Appeal.Kind.APPEAL
                else _("Your reply was recorded."),
            )
            return redirect(score_url(score))
    return _score_page(request, score, appeal_form=form, status=400)


# --- The staff list of grades ------------------------------------------------------------------


@require_GET
@role_required(*READERS)
@use_replica
def score_list(request: AuthenticatedRequest) -> HttpResponse:
    context = FILTERED_SCORES.page_context(request, PAGE_SIZE)
    context["period_label"] = _period_label(context["filters"].get("period", ""))
    return render(request, "scoring/scores/score_list.html", context)


score_export = list_export_view(SCORE_LIST)


# --- The operator's grades ---------------------------------------------------------------------


@require_GET
@role_required(Role.OPERATOR)
def operator_score_list(request: AuthenticatedRequest) -> HttpResponse:
    units = list(units_for_user(request.user).order_by("name", "pk"))
    latest = latest_scores(request.user, units)
    rows = [(unit, latest.get(unit.pk)) for unit in units]
    return render(request, "scoring/scores/operator_score_list.html", {"rows": rows})


# --- Appeals: the staff's list and decision ----------------------------------------------------


@require_GET
@role_required(Role.STAFF)
@use_replica
def appeal_list(request: AuthenticatedRequest) -> HttpResponse:
    appeal_filter = filtered_appeals(request, request.user)
    page = Paginator(appeal_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "scoring/scores/appeal_list.html", {"filter": appeal_filter, "page": page}
    )


@require_GET
@role_required(Role.STAFF)
@rate_limited("export", limit=EXPORTS_PER_HOUR, window_seconds=3600, per="user")
@use_replica
def appeal_export(request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
    """The appeal list's rows, with its filters (the same query string: without a status, those
    awaiting a decision), as a download."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    appeal_filter = filtered_appeals(request, request.user)
    filters = {
        name: str(appeal_filter.data.get(name, ""))
        for name in AppealFilter.base_filters
        if str(appeal_filter.data.get(name, "")).strip()
    }
    return export_appeals(request=request, queryset=appeal_filter.qs, fmt=fmt, filters=filters)


@require_http_methods(["GET", "POST"])
@role_required(Role.STAFF)
def appeal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    appeal = appeal_for_user(request.user, pk, write=request.method == "POST")
    score = score_for_appeal(request.user, appeal)
    decidable = appeal.kind == Appeal.Kind.APPEAL and appeal.status == Appeal.Status.PENDING
    form = None
    if decidable:
        form = AppealDecisionForm(
            request.POST or None,
            indicators=score_indicators(score),
            initial={"version": appeal.version, "guarantee": appeal.guarantee},
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, _("This appeal has already been decided."))
            return redirect("appeal-detail", pk=appeal.pk)
        if form.is_valid():
            try:
                services.appeal_decide(
                    appeal=appeal,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    upheld=form.upheld,
                    reason=form.cleaned_data["reason"],
                    correction=form.correction(),
                )
            except StaleObject as error:
                # Decided by someone else meanwhile: show what stands now.
                messages.error(request, " ".join(error.messages))
                return redirect("appeal-detail", pk=appeal.pk)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The appeal was upheld and the unit was re-scored.")
                    if form.upheld
                    else _("The appeal was dismissed."),
                )
                return redirect("appeal-detail", pk=appeal.pk)
    return render(
        request,
        "scoring/scores/appeal_detail.html",
        {
            "appeal": appeal,
            "score": score,
            "period_label": _period_label(appeal.period),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
