"""Checking a unit against the demonstration-unit standard (示范单位标准), from records.

``standard_check(unit)`` evaluates every active criterion row (``units.models_standard``) with the
rule it names: the rules about the unit's own records (its 12315 station, its self-discipline
systems) live here; the rules that read grades, complaints, checks, sampling and the dishonest
list are registered by those apps (``units.extensions``). Each result is met / not met / no data
with the records behind it. Approval needs every criterion: a "no data" counts against it unless
the criterion's parameters say ``no_data_ok`` (too few complaints to judge is no fault).

The number of queries is fixed per unit: one for the criteria and a few per criterion, however
many records the unit has.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.application_gates import closed_gates
from units.extensions import (
    COMMITMENT_CHECK_PROVIDERS,
    STANDARD_RULES,
    CheckEvidence,
    CriterionResult,
    CriterionStatus,
    RecordLink,
    register_standard_rule,
)
from units.models import Commitment, ServiceStation, Unit
from units.models_standard import StandardCriterion

STATUS_LABELS = {
    CriterionStatus.MET: gettext_lazy("Meets the criterion"),
    CriterionStatus.NOT_MET: gettext_lazy("Does not meet the criterion"),
    CriterionStatus.NO_DATA: gettext_lazy("No data to judge"),
}


def months_ago(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class CriterionOutcome:
    code: str
    label: str
    result: CriterionResult
    no_data_ok: bool = False

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.result.status])

    @property
    def blocking(self) -> bool:
        """Whether this result stands in the way of approval."""
        if self.result.status == CriterionStatus.NOT_MET:
            return True
        return self.result.status == CriterionStatus.NO_DATA and not self.no_data_ok


@dataclass(frozen=True)
class StandardReport:
    unit: Unit
    today: dt.date
    outcomes: list[CriterionOutcome]

    @property
    def met_all(self) -> bool:
        return not self.unmet

    @property
    def unmet(self) -> list[CriterionOutcome]:
        return [outcome for outcome in self.outcomes if outcome.blocking]

    def refusal_messages(self) -> list[str]:
        """One Chinese sentence per unmet criterion, naming it and saying why."""
        return [
            _("Demonstration-unit standard not met: %(criterion)s — %(detail)s")
            % {"criterion": outcome.label, "detail": outcome.result.detail}
            for outcome in self.unmet
        ]


def standard_check(unit: Unit, today: dt.date | None = None) -> StandardReport:
    today = today or timezone.localdate()
    outcomes = []
    for criterion in StandardCriterion.objects.filter(active=True).order_by("order", "code"):
        params: Mapping[str, Any] = criterion.params or {}
        rule = STANDARD_RULES.get(criterion.rule)
        if rule is None:
            result = CriterionResult(
                CriterionStatus.NO_DATA,
                _("No rule “%(rule)s” is installed to check this criterion.")
                % {"rule": criterion.rule},
            )
        else:
            result = rule(unit, params, today)
        outcomes.append(
            CriterionOutcome(
                code=criterion.code,
                label=criterion.display_label,
                result=result,
                no_data_ok=bool(params.get("no_data_ok")),
            )
        )
    # The application gates of the apps above (units.application_gates) are not criterion rows:
    # a gate that holds the unit back is listed as one more unmet item, with its reasons.
    for gate, reasons in closed_gates(unit):
        outcomes.append(
            CriterionOutcome(
                code=f"gate:{gate.key}",
                label=str(gate.label),
                result=CriterionResult(CriterionStatus.NOT_MET, " ".join(reasons)),
            )
        )
    return StandardReport(unit=unit, today=today, outcomes=outcomes)


# --- The rules about the unit's own records ------------------------------------------------------


def _unit_page(unit: Unit, anchor: str) -> str:
    return reverse("unit-detail", args=[unit.pk]) + anchor


def station_rule(unit: Unit, params: Mapping[str, Any], today: dt.date) -> CriterionResult:
    """An active 12315 station with a named person handling complaints (专人)."""
    station = ServiceStation.objects.filter(unit=unit).first()
    if station is None:
        return CriterionResult(
            CriterionStatus.NOT_MET, _("No 12315 service station is registered.")
        )
    record = RecordLink(
        _("12315 service station, registered on %(date)s")
        % {"date": station.registered_on.isoformat()},
        _unit_page(unit, "#station-heading"),
        reverse("workspace-station", args=[unit.pk]),
    )
    if not station.active:
        return CriterionResult(
            CriterionStatus.NOT_MET, _("The 12315 service station is not active."), (record,)
        )
    if not station.contact_person.strip():
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("The 12315 service station names no person handling complaints."),
            (record,),
        )
    return CriterionResult(
        CriterionStatus.MET,
        _("The 12315 service station is active with a named person handling complaints."),
        (record,),
    )


def _latest_check(unit: Unit, words: list[str], since: dt.date) -> CheckEvidence | None:
    found = [provider(unit, words, since) for provider in COMMITMENT_CHECK_PROVIDERS]
    dated = [evidence for evidence in found if evidence is not None]
    return max(dated, key=lambda evidence: evidence.checked_on, default=None)


def verified_commitment_rule(
    unit: Unit, params: Mapping[str, Any], today: dt.date
) -> CriterionResult:
    """A self-discipline system in force and verified by staff: a passed on-site check item
    within ``check_months``, or staff's review of its evidence files. A declaration alone does
    not count, and a later failed check item outweighs an earlier verification."""
    kind = str(params.get("kind", ""))
    name = Commitment.Kind(kind).label if kind in Commitment.Kind.values else kind
    commitment = (
        Commitment.objects.filter(unit=unit, kind=kind).annotate(files=Count("evidence")).first()
    )
    if commitment is None:
        return CriterionResult(
            CriterionStatus.NOT_MET, _("No “%(kind)s” commitment is recorded.") % {"kind": name}
        )
    records = [
        RecordLink(
            _("Commitment “%(kind)s” of %(date)s")
            % {"kind": name, "date": commitment.committed_on.isoformat()},
            _unit_page(unit, "#commitments-heading"),
            reverse("workspace-commitments", args=[unit.pk]),
        )
    ]
    if not commitment.active:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("The “%(kind)s” commitment is not in force.") % {"kind": name},
            tuple(records),
        )
    since = months_ago(today, int(params.get("check_months", 12)))
    check = _latest_check(unit, list(params.get("check_items", [])), since)
    if check is not None:
        records.append(check.record)
    verified_on = (
        timezone.localtime(commitment.verified_at).date() if commitment.verified_at else None
    )
    if (
        check is not None
        and not check.passed
        and (verified_on is None or check.checked_on >= verified_on)
    ):
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("The on-site check of %(date)s found it not in practice.")
            % {"date": check.checked_on.isoformat()},
            tuple(records),
        )
    if check is not None and check.passed:
        return CriterionResult(
            CriterionStatus.MET,
            _("Verified by the on-site check of %(date)s.")
            % {"date": check.checked_on.isoformat()},
            tuple(records),
        )
    if verified_on is not None:
        return CriterionResult(
            CriterionStatus.MET,
            _("Staff verified its evidence on %(date)s.") % {"date": verified_on.isoformat()},
            tuple(records),
        )
    return CriterionResult(
        CriterionStatus.NOT_MET,
        _(
            "Declared only: not yet verified by staff on site or from its evidence "
            "(%(files)s evidence files)."
        )
        % {"files": commitment.files},
        tuple(records),
    )


register_standard_rule("station", station_rule)
register_standard_rule("verified_commitment", verified_commitment_rule)
