"""The area standard's pages: the verdicts of a year (staff and leaders, and the public page of
the demonstration areas), a street's items with their records, recording an item's evidence,
and the activity log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas import access, selectors, services
from areas.forms import ActivityForm, ConfirmationForm, IssueForm
from areas.responses import bad_input
from lyushunkou.claims import StaleObject
from lyushunkou.models import Jurisdiction, Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.uploads import serve_upload


@require_GET
@role_required(*access.READERS)
def overview(request: AuthenticatedRequest) -> HttpResponse:
    try:
        year = selectors.year_asked(request.GET.get("year"))
    except selectors.YearError as error:
        return bad_input(request, str(error), reverse("areas-staff"))
    return render(
        request,
        "areas/overview.html",
        {
            "overview": selectors.overview(request.user, year),
            "year": year,
            "years": selectors.years(),
        },
    )


def render_place(
    request: AuthenticatedRequest,
    place: Jurisdiction,
    year: int,
    *,
    status: int = 200,
    issue_form: IssueForm | None = None,
) -> HttpResponse:
    """A place's page for the year; with ``status`` 400 or 409 when the verdict form beside the
    self-assessment was refused (the message says why)."""
    page = selectors.place_page(request.user, place, year)
    return render(
        request,
        "areas/place_detail.html",
        {
            "place": place,
            "year": year,
            "page": page,
            "report": page.report,
            "can_edit": request.user.role == Role.STAFF,
            "panel": selectors.assessment_panel(request.user, place, year),
            "can_review": request.user.role == Role.STAFF and request.user.is_district_wide,
            "issue_form": issue_form or IssueForm(),
        },
        status=status,
    )


@require_GET
@role_required(*access.READERS)
def place_detail(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    place = access.area_place_for_user(request.user, code)
    return render_place(request, place, selectors.check_year(year))


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def confirm_item(request: AuthenticatedRequest, code: str, year: int, item: str) -> HttpResponse:
    place = access.area_place_for_user(request.user, code, write=True)
    year = selectors.check_year(year)
    criterion = access.criterion_for_user(request.user, item)
    record = selectors.confirmation_of(request.user, place, year, criterion.pk)
    status = 200
    if request.method == "POST":
        form = ConfirmationForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.confirmation_save(
                    place=place,
                    year=year,
                    criterion=criterion,
                    record=record,
                    by=request.user,
                    version=data["version"],
                    in_place=data["in_place"],
                    note=data["note"],
                    upload=data["evidence_file"],
                    confirm=data["confirm"],
                )
            except StaleObject as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The item was saved."))
                return redirect("areas-place", code=place.code, year=year)
    else:
        form = ConfirmationForm(
            initial={
                "in_place": record.in_place if record else False,
                "note": record.note if record else "",
                "confirm": bool(record and record.confirmed_at),
                "version": record.version if record else 0,
            }
        )
    return render(
        request,
        "areas/confirm_item.html",
        {"place": place, "year": year, "criterion": criterion, "record": record, "form": form},
        status=status,
    )


@require_GET
@role_required(*access.READERS)
def confirmation_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return serve_upload(access.confirmation_file_for_user(request.user, pk).evidence_file)


@role_required(Role.STAFF)
@require_http_methods(["GET", "POST"])
def activity_new(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    place = access.area_place_for_user(request.user, code, write=True)
    year = selectors.check_year(year)
    form = ActivityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.activity_record(place=place, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The activity was logged."))
                held = form.cleaned_data["held_on"]
                return redirect("areas-place", code=place.code, year=held.year)
    return render(
        request,
        "areas/activity_form.html",
        {"place": place, "year": year, "form": form},
        status=status,
    )


@role_required(Role.STAFF)
@require_POST
def activity_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = access.activity_for_user(request.user, pk, write=True)
    if request.POST.get("confirm") != "yes":  # the button sends it; a stray POST removes nothing
        messages.error(request, _("Press the activity's remove button to remove it."))
        return redirect("areas-place", code=activity.place.code, year=activity.held_on.year)
    try:
        services.activity_delete(activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The activity was removed."))
    return redirect("areas-place", code=activity.place.code, year=activity.held_on.year)


@require_GET
def public_areas(request: HttpRequest) -> HttpResponse:
    """The demonstration areas for everyone: the district's and each street's verdict for a
    year, with the items each lacks (no records, no names of people)."""
    try:
        year = selectors.year_asked(request.GET.get("year"))
    except selectors.YearError as error:
        return bad_input(request, str(error), reverse("areas-public"))
    page = selectors.public_report(year)
    return render(
        request,
        "areas/public_areas.html",
        {
            "page": page,
            "report": page.report,
            "year": year,
            "years": selectors.years(),
            "today": timezone.localdate(),
        },
    )
