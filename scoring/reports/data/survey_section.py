"""The report's survey section: each rate with its respondents and 95% confidence interval."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from complaints.figures import survey_figures
from lyushunkou.models import Jurisdiction
from scoring.periods import Period
from scoring.reports.data.formatting import NO_DATA, _pct, wilson_interval


def _survey(period: Period, jurisdiction: Jurisdiction | None) -> list[dict[str, Any]]:
    figures = survey_figures(start=period.start, end=period.end, jurisdiction=jurisdiction)
    labels = {
        "programme_awareness_rate": _("Aware of the programme (of all respondents)"),
        "programme_recognition_rate": _("Approve of the programme (of aware respondents)"),
        "life_services_satisfaction": _("Satisfied with life services (of all respondents)"),
    }
    rows = []
    for key, label in labels.items():
        figure = figures[key]
        interval = wilson_interval(figure["numerator"], figure["denominator"])
        rows.append(
            {
                "label": label,
                "n": figure["denominator"],
                "k": figure["numerator"],
                "value_text": _pct(figure["value"]),
                "interval_text": (
                    f"{_pct(interval[0])} – {_pct(interval[1])}" if interval else str(NO_DATA)
                ),
            }
        )
    return rows
