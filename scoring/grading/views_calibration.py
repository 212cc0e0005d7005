"""The rubric's calibration page (issue 13): the report of ``scoring.grading.calibration`` for a
period and a rubric version, for the system administrator and staff. A draft shows the active
version beside it and the units whose grade would change, before the administrator activates it.

Street-scoped staff see the district's counts (the rubric is the district's) but only their own
units in the list of changes.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lyushunkou.access import within
from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from scoring import periods
from scoring.grading import calibration
from scoring.models import Grade
from units.guarantees import Guarantee


@role_required(Role.STAFF, Role.SYSADMIN)
@require_GET
def rubric_calibration(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    text = request.GET.get("period", "").strip()
    version = request.GET.get("rubric", "").strip()
    rubrics = calibration.rubric_choices()
    context: dict[str, object] = {
        "period_text": text,
        "version": version,
        "rubrics": rubrics,
        "grades": list(Grade.choices),
        "guarantees": list(Guarantee.choices),
    }
    try:
        period = periods.parse(text) if text else periods.current().previous()
        rubric = calibration.rubric_by_version(version or None)
    except (periods.PeriodError, calibration.ReportError) as error:
        context["error"] = str(error)
        return render(request, "scoring/scores/calibration.html", context, status=400)
    scope = None
    if user.role == Role.STAFF and user.jurisdiction_id is not None:
        scope = within(user.jurisdiction)
    report = calibration.build(period, rubric, scope=scope)
    shares = report.shares()
    compared = report.compared or {}
    compared_shares = report.shares(compared) if compared else {}
    labels = dict(Grade.choices)
    context.update(
        report=report,
        period_label=period.key,
        overall_rows=[
            (
                grade,
                labels[grade],
                n,
                shares[grade],
                compared.get(grade),
                compared_shares.get(grade),
            )
            for grade, n in report.overall.items()
        ],
        guarantee_rows=[
            (dict(Guarantee.choices)[guarantee], list(bands.items()))
            for guarantee, bands in report.per_guarantee.items()
        ],
        band_labels=[
            _("no evidence") if label == calibration.NO_EVIDENCE else label
            for label in next(iter(report.per_guarantee.values()))
        ],
        grade_labels=[labels[grade] for grade in Grade.values],
        industry_rows=[(name, list(counts.values())) for name, counts in report.per_industry],
        street_rows=[(name, list(counts.values())) for name, counts in report.per_street],
        guarantee_names=dict(Guarantee.choices),
    )
    return render(request, "scoring/scores/calibration.html", context)
