"""The operator's view of complaints against their units (ODR first, 在线消费纠纷解决).

``complaints.access`` limits operators to complaints against their own units that were forwarded
to them; reports (举报) never reach this page. The complainant's personal data stays masked, in
the fields and in the free texts alike: an operator never sees it in clear.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaints import services
from complaints.access import complaint_for_user
from complaints.forms import OdrRespondForm
from complaints.free_text import complaint_texts, text_shown
from complaints.models import Complaint
from complaints.models import Status as S
from complaints.selectors import DaysLeft, operator_complaints
from lyushunkou.forms import add_service_error
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required

PAGE_SIZE = 50


def _can_respond(complaint: Complaint) -> bool:
    return complaint.status == S.ODR and not (
        complaint.odr_due and timezone.localdate() > complaint.odr_due
    )


@require_GET
@role_required(Role.OPERATOR)
def workspace_complaints(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(operator_complaints(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    days_left = DaysLeft([c.odr_due for c in page.object_list if c.status == S.ODR])
    for complaint in page.object_list:
        complaint.days_left = (  # type: ignore[attr-defined]
            days_left(complaint.odr_due) if complaint.status == S.ODR else None
        )
    return render(request, "complaints/operator/complaint_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@role_required(Role.OPERATOR)
def workspace_complaint(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(request.user, pk, write=request.method == "POST")
    form = None
    if _can_respond(complaint):
        form = OdrRespondForm(request.POST or None, initial={"version": complaint.version})
    if request.method == "POST":
        if form is None:
            messages.error(request, str(services.step_refused()))
            return redirect("workspace-complaint", pk=complaint.pk)
        if form.is_valid():
            try:
                services.complaint_odr_respond(
                    complaint=complaint,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    response=form.cleaned_data["response"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your response was sent to the market regulator."))
                return redirect("workspace-complaint", pk=complaint.pk)
    days_left = DaysLeft([complaint.odr_due])
    return render(
        request,
        "complaints/operator/complaint_detail.html",
        {
            "complaint": complaint,
            "texts": complaint_texts(complaint, text_shown(complaint)),
            "form": form,
            "days_left": days_left(complaint.odr_due) if complaint.status == S.ODR else None,
        },
        status=400 if request.method == "POST" else 200,
    )
