"""``gather``: one report's data in the report's language, from the sections, the target tables of
the scope and of each ranked jurisdiction, and the ranking; no query runs after it returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspections.figures import pass_rate_types, per_thousand_types
from inspections.models import SamplingType
from lyushunkou.models import Jurisdiction
from scoring.models import Report, Target
from scoring.periods import Period
from scoring.reports.data.complaints_section import _complaints
from scoring.reports.data.formatting import NO_DATA, _number
from scoring.reports.data.methodology import methodology_formulas
from scoring.reports.data.programme_section import _programme
from scoring.reports.data.sampling_section import _sampling
from scoring.reports.data.scope import (
    DISTRICT,
    Scope,
    scope_jurisdiction,
    top_level_jurisdictions,
)
from scoring.reports.data.survey_section import _survey
from scoring.reports.data.targets_table import _summary, _target_table, target_figures
from scoring.reports.sections import gather_sections
from scoring.reports.summary_data import summary_inputs


def gather(
    *, kind: str, period: Period, scope_code: str = DISTRICT, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything one report shows, as plain values (labels already in the report's language):
    no query runs after this returns."""
    from scoring.reports.render import REPORT_LANGUAGE

    with translation.override(REPORT_LANGUAGE):
        return _gather(kind=kind, period=period, scope_code=scope_code, now=now)


def _gather(
    *, kind: str, period: Period, scope_code: str, now: dt.datetime | None
) -> dict[str, Any]:
    now = now or timezone.now()
    jurisdiction = scope_jurisdiction(scope_code)
    as_of = period.as_of(timezone.localdate(now))
    top = {j.pk: j for j in top_level_jurisdictions()}
    if jurisdiction is not None:
        scope = Scope(jurisdiction.code, jurisdiction.name, jurisdiction)
        children = [j for j in top.values() if j.parent_id == jurisdiction.pk]
        ranked_scopes = children
    else:
        district = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).first()
        scope = Scope(DISTRICT, district.name if district else _("District"), None)
        ranked_scopes = list(top.values())
    scope_codes = [scope.code, *(j.code for j in ranked_scopes)]
    figures = target_figures(period, scope_codes)
    district_targets = list(
        Target.objects.filter(scope=Target.Scope.DISTRICT, active=True).order_by("order", "key")
    )
    units = {target.key: target.unit_label for target in district_targets}
    previous = period.previous()
    table = _target_table(
        figures.get((period.key, scope.code), []),
        figures.get((previous.key, scope.code), []),
        units,
    )
    complaints = _complaints(period, jurisdiction, as_of, top)
    sampling = _sampling(period, jurisdiction, top)
    programme = _programme(period, jurisdiction, as_of, top)

    days = period.days
    jurisdictions = []
    for j in ranked_scopes:
        rows = _target_table(
            figures.get((period.key, j.code), []), figures.get((previous.key, j.code), []), units
        )
        summary = _summary(rows)
        residents = j.population / 1000 * days / 365 if j.population else None
        food = sampling["per_thousand"].get(j.pk, 0)
        jurisdictions.append(
            {
                "code": j.code,
                "name": j.name,
                "targets": rows,
                "summary": summary,
                "complaints": complaints["by_jurisdiction"].get(j.pk, 0),
                "batches": sampling["by_jurisdiction"].get(j.pk, 0),
                "food_batches": food,
                "per_thousand_text": (f"{food / residents:.2f}" if residents else str(NO_DATA)),
                "population_text": _number(j.population) if j.population else str(NO_DATA),
                "demonstration_units": programme["by_jurisdiction"].get(j.pk, 0),
            }
        )
    ranking = sorted(
        jurisdictions,
        key=lambda row: (-row["summary"]["missed"], -row["summary"]["no_data"], row["name"]),
    )
    titles = {
        Report.Kind.MONTHLY: _("Lyushunkou District Assured Consumption Programme Monthly Report"),
        Report.Kind.QUARTERLY: _(
            "Lyushunkou District Assured Consumption Programme Quarterly Report"
        ),
        Report.Kind.ANNUAL: _("Lyushunkou District Assured Consumption Programme Annual Report"),
    }
    title = titles[Report.Kind(kind)]
    return {
        "kind": kind,
        "kind_label": str(Report.Kind(kind).label),
        "period": period,
        "period_label": period.label,
        "period_range": f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}",
        "previous_label": previous.label,
        "complete": period.is_complete(timezone.localdate(now)),
        "scope": {"code": scope.code, "name": scope.name, "district": jurisdiction is None},
        "title": title,
        "generated_at": timezone.localtime(now),
        "data_as_of": now,
        "as_of": as_of,
        "targets": table,
        "summary": _summary(table),
        "complaints": complaints,
        "sampling": sampling,
        "programme": programme,
        "jurisdictions": jurisdictions,
        "ranking": ranking,
        "survey": _survey(period, jurisdiction),
        # Sections of the apps above scoring (scoring.reports.sections), gathered here too.
        "extra_sections": gather_sections(kind, period, scope.code),
        # For the written summary on the first page (scoring.reports.summary).
        "summary_inputs": summary_inputs(period, jurisdiction, scope_codes),
        "formulas": methodology_formulas(district_targets),
        "pass_rate_types": [
            str(SamplingType(value).label)
            for value in pass_rate_types()
            if value in SamplingType.values
        ],
        "per_thousand_types": [
            str(SamplingType(value).label)
            for value in per_thousand_types()
            if value in SamplingType.values
        ],
        "population_source": (
            jurisdiction.population_source if jurisdiction else _district_population_source()
        ),
    }


def _district_population_source() -> str:
    district = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.DISTRICT).first()
    return district.population_source if district else ""
