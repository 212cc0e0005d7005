"""The list of the consumer survey's answers: the records behind the survey targets of the
dashboard (awareness, recognition, satisfaction with life services), and its export.

Staff and leaders read it, scoped by jurisdiction as the complaint list is; answers carry no
personal data, and neither the list nor the export shows who entered a paper form.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from complaints.exports import SURVEY_LIST
from complaints.filters import FILTERED_SURVEYS
from lyushunkou.db_router import use_replica
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.views_exports import list_export_view

PAGE_SIZE = 50
READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
@use_replica
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    survey_filter, filters = FILTERED_SURVEYS.bind(request)
    page = Paginator(survey_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "complaints/survey_list.html",
        {
            "filter": survey_filter,
            "page": page,
            "filters": filters,
            "export_query": urlencode(filters),
            "can_enter": request.user.role == Role.STAFF,
        },
    )


# The list's answers, with the list's filters (the same query string), as a download.
survey_export = list_export_view(SURVEY_LIST)
