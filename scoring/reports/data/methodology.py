"""The report's methodology appendix: how each target is computed and its threshold."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from scoring.models import Target
from scoring.reports.data.formatting import format_threshold


def methodology_formulas(targets: Iterable[Target]) -> list[dict[str, str]]:
    """How each target is computed, for the appendix: the definition administrators keep with
    the target (its label and text), else the formula of DESIGN.md §6."""
    builtin: dict[str, dict[str, str]] = {
        "key_goods_sampling_pass_rate": {
            "label": _("Key consumer goods sampling pass rate"),
            "formula": _(
                "passed ÷ batches with a final result, key consumer goods, counted sampling types"
            ),
        },
        "food_sampling_per_thousand": {
            "label": _("Food batches per thousand residents"),
            "formula": _(
                "food batches sampled (pending results included) ÷ (population ÷ 1000), "
                "pro-rated by the days of the period ÷ 365"
            ),
        },
        "food_sampling_pass_rate": {
            "label": _("Food sampling pass rate"),
            "formula": _("passed ÷ food batches with a final result, counted sampling types"),
        },
        "life_services_satisfaction": {
            "label": _("Life-services satisfaction"),
            "formula": _("satisfied + basically satisfied ÷ survey respondents"),
        },
        "complaint_handling_rate": {
            "label": _("Complaint handling rate"),
            "formula": _(
                "concluded ÷ (received − still open and within their legal time limit), "
                "complaints received in the period"
            ),
        },
        "complaint_resolution_rate": {
            "label": _("Complaint resolution rate"),
            "formula": _(
                "mediated successfully ÷ (mediated successfully + failed + terminated), "
                "complaints concluded in the period"
            ),
        },
        "complaint_satisfaction_rate": {
            "label": _("Complaint satisfaction rate"),
            "formula": _("satisfied + basically satisfied ÷ answered callbacks"),
        },
        "station_coverage": {
            "label": _("12315 station coverage"),
            "formula": _("demonstration units with an active 12315 station ÷ demonstration units"),
        },
        "programme_awareness_rate": {
            "label": _("Programme awareness rate"),
            "formula": _("respondents aware of the programme ÷ respondents"),
        },
        "programme_recognition_rate": {
            "label": _("Programme recognition rate"),
            "formula": _("respondents who approve ÷ aware respondents"),
        },
        "problem_detection_rate": {
            "label": _("Problem detection rate"),
            "formula": _(
                "failed ÷ batches with a final result, per sampling type, against the same "
                "period a year earlier; met when it falls"
            ),
        },
    }
    rows = []
    seen = set()
    for target in targets:
        fallback = builtin.get(target.key, {"label": target.label, "formula": ""})
        rows.append(
            {
                "label": target.label or fallback["label"],
                "formula": target.definition or fallback["formula"],
                "threshold": format_threshold(
                    target.comparator, target.threshold, target.unit_label
                ),
            }
        )
        seen.add(target.key)
    rows += [{**row, "threshold": ""} for key, row in builtin.items() if key not in seen]
    return rows
