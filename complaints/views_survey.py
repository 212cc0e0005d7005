"""The list of the consumer survey's answers: the records behind the survey targets of the
dashboard (awareness, recognition, satisfaction with life services).

Staff and leaders read it, scoped by jurisdiction as the complaint list is; answers carry no
personal data, and the list does not show who entered a paper form.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complaints.filters import filtered_surveys, survey_filter_params
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required

PAGE_SIZE = 50


@require_GET
@role_required(Role.STAFF, Role.LEADER)
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    survey_filter = filtered_surveys(request, request.user)
    page = Paginator(survey_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "complaints/survey_list.html",
        {
            "filter": survey_filter,
            "page": page,
            "filters": survey_filter_params(request),
            "can_enter": request.user.role == Role.STAFF,
        },
    )
