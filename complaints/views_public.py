"""Public pages, no login: the complainant's one-time callback link and the consumer survey.

Both are rate-limited per client address. The callback page shows no personal data: whoever holds
the link learns only the record number and the business complained about.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from complaints import services_followup
from complaints.forms import CALLBACK_ANSWERS, CallbackAnswerForm, SurveyForm
from complaints.models import Satisfaction
from lyushunkou import audit, ratelimit
from lyushunkou.audit import client_ip
from lyushunkou.forms import add_service_error

CALLBACK_REQUESTS_PER_HOUR = 30
SURVEYS_PER_HOUR = 20


def _throttled(request: HttpRequest, what: str, limit: int) -> bool:
    if ratelimit.allow(f"{what}:{client_ip(request)}", limit=limit, window_seconds=3600):
        return False
    audit.record(f"{what}.throttled", request=request, outcome=audit.Outcome.DENIED)
    return True


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/too_many.html", status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, token: str) -> HttpResponse:
    """One click records the answer; a used, expired or unknown link gets a clear page (410)."""
    if _throttled(request, "callback", CALLBACK_REQUESTS_PER_HOUR):
        return _too_many(request)
    link = services_followup.callback_link_for(token)
    if link is None:
        return render(request, "complaints/public/callback_gone.html", status=410)
    complaint = link.complaint
    error = ""
    if request.method == "POST":
        form = CallbackAnswerForm(request.POST)
        if form.is_valid():
            try:
                services_followup.complaint_record_satisfaction(
                    complaint=complaint, by=None, answer=form.cleaned_data["answer"], token=token
                )
            except ValidationError:
                return render(request, "complaints/public/callback_gone.html", status=410)
            return render(
                request,
                "complaints/public/callback_thanks.html",
                {"answer": Satisfaction(form.cleaned_data["answer"]).label},
            )
        error = _("Choose one of the answers.")
    return render(
        request,
        "complaints/public/callback.html",
        {"complaint": complaint, "answers": CALLBACK_ANSWERS, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if _throttled(request, "survey", SURVEYS_PER_HOUR):
            return _too_many(request)
        if form.is_valid():
            try:
                services_followup.survey_record(**form.service_data(), by=None)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return render(request, "complaints/public/survey_thanks.html")
    return render(
        request,
        "complaints/public/survey.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
