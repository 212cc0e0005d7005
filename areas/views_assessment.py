"""The year-end workflow's pages (issue 21 item 4): staff of a street submit its self-assessment;
district-wide staff review it item by item and issue the verdict. The place's page shows where
the workflow stands (``areas-place``, section "assessment")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas import access, selectors, services_assessment, views_standard
from areas.forms import AssessmentForm, IssueForm, ReviewForm
from areas.models_assessment import AreaAssessment
from lyushunkou.claims import StaleObject
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest, role_required


def _place_year(
    request: AuthenticatedRequest, code: str, year: int
) -> tuple[Jurisdiction, int, AreaAssessment | None]:
    place = access.area_place_for_user(request.user, code, write=True)
    year = selectors.check_year(year)
    return place, year, access.assessment_for_user(request.user, place, year)


def _back(place: Jurisdiction, year: int) -> HttpResponse:
    response = redirect("areas-place", code=place.code, year=year)
    response["Location"] += "#assessment"
    return response


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    place, year, record = _place_year(request, code, year)
    version = record.version if record else 0
    form = AssessmentForm(
        request.POST or None,
        initial={"statement": record.statement if record else "", "version": version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_assessment.assessment_submit(
                    place=place,
                    year=year,
                    by=request.user,
                    statement=form.cleaned_data["statement"],
                    record=record,
                    version=form.cleaned_data["version"],
                )
            except StaleObject as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The self-assessment was submitted."))
                return _back(place, year)
    return render(
        request,
        "areas/assessment_submit.html",
        {"place": place, "year": year, "record": record, "form": form},
        status=status,
    )


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    place, year, record = _place_year(request, code, year)
    access.reviewer_required(request.user, f"{code}/{year}")
    if record is None or record.state != AreaAssessment.State.SUBMITTED:
        raise Http404("No self-assessment awaits review.")
    form = ReviewForm(request.POST or None, items=record.items, initial={"version": record.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_assessment.assessment_review(
                    assessment=record,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    decisions=form.decisions(),
                )
            except StaleObject as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The review was recorded."))
                return _back(place, year)
    return render(
        request,
        "areas/assessment_review.html",
        {"place": place, "year": year, "record": record, "form": form},
        status=status,
    )


@role_required(Role.STAFF)
@require_POST
def issue(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    place, year, record = _place_year(request, code, year)
    access.reviewer_required(request.user, f"{code}/{year}")
    if record is None:
        raise Http404("No self-assessment.")
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Issue the verdict from the area's page."))
        return views_standard.render_place(request, place, year, status=400, issue_form=form)
    try:
        issued = services_assessment.verdict_issue(
            assessment=record,
            by=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except StaleObject as error:
        messages.error(request, " ".join(error.messages))
        return views_standard.render_place(request, place, year, status=409, issue_form=form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return views_standard.render_place(request, place, year, status=400, issue_form=form)
    messages.success(
        request,
        _("Verdict version %(number)d was issued: %(verdict)s.")
        % {"number": issued.number, "verdict": issued.verdict_label},
    )
    return _back(place, year)
