"""Checking a street, or the district, against the demonstration-area standard for a year.

Each active ``AreaCriterion`` row names a rule and its parameters; the rules live here (``RULES``).
An item is met / not met / no data, with the records behind it (``units.extensions``'
``CriterionResult``, as the demonstration-unit standard reports):

- ``confirmed``: confirmed by staff with an evidence file (``AreaConfirmation``): who, when, file.
  Nothing recorded, or recorded and not confirmed, is "no data" (材料不全); recorded as not in
  place is "not met".
- ``activities``: at least ``min`` activities of ``kind`` logged in the year (a campaign counts
  only with its findings); none is "no data", fewer than ``min`` is "not met".
- ``network_coverage``: communities with an active network point ÷ communities ≥ ``min_coverage``.
- ``channels_open``: at least ``min_points`` active network points of ``kinds`` that publish a
  phone and opening hours (none recorded is "no data"); the complaints received in the year by
  channel are shown beside.
- ``targets``: scoring's evaluated ``TargetResult`` of the year for the scope, each key at least
  its threshold. A figure below the target's minimum sample (样本不足), not evaluated, or of a
  year still running is "no data"; a miss the rest of a running year cannot undo (a 100% figure
  already below it) is "not met".

The verdict (``Verdict``): 达标 when every item is met; 未达标 when any is not met; else 材料不全.
The district's needs its own items and every street's. ``areas.facts.load_facts`` reads everything
a year's verdicts need in a fixed number of queries, however many streets and records there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.facts import AreaFacts, load_facts
from areas.models import AreaActivity, AreaCriterion, NetworkPoint, Verdict
from areas.network import coverage_of
from complaints.models import Channel
from lyushunkou.models import Jurisdiction
from scoring.models import TargetResult
from scoring.periods import parse
from scoring.targets import DISTRICT_SCOPE, TOLERANCE, format_value
from scoring.targets.dashboard import dashboard_url
from units.extensions import CriterionResult, CriterionStatus, RecordLink

CONFIRMED_RULE = "confirmed"
COMPLETE = 1.0  # a figure that must reach 100%: one short record misses it for good


# --- The rules ----------------------------------------------------------------------------------

Rule = Callable[[Jurisdiction, AreaCriterion, Mapping[str, Any], AreaFacts], CriterionResult]


def _place_url(place: Jurisdiction, year: int, anchor: str = "") -> str:
    return reverse("areas-place", kwargs={"code": place.code, "year": year}) + anchor


def confirmed_rule(
    place: Jurisdiction, criterion: AreaCriterion, params: Mapping[str, Any], facts: AreaFacts
) -> CriterionResult:
    record = facts.confirmations.get((place.pk, criterion.pk))
    url = reverse(
        "areas-confirm", kwargs={"code": place.code, "year": facts.year, "item": criterion.code}
    )
    if record is None:
        return CriterionResult(
            CriterionStatus.NO_DATA,
            _("Nothing is recorded for %(year)s: record the evidence and confirm it.")
            % {"year": facts.year},
            (RecordLink(_("Record the evidence"), url),),
        )
    links = [RecordLink(_("The record of %(year)s") % {"year": facts.year}, url)]
    if record.evidence_file:
        links.append(
            RecordLink(_("Evidence file"), reverse("areas-confirm-file", kwargs={"pk": record.pk}))
        )
    if not record.in_place:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("Recorded as not in place by %(who)s on %(date)s.")
            % {
                "who": record.recorded_by.display_name,
                "date": timezone.localtime(record.recorded_at).date().isoformat(),
            },
            tuple(links),
        )
    if record.confirmed_at is None or record.confirmed_by is None:
        return CriterionResult(
            CriterionStatus.NO_DATA,
            _("Recorded as in place, not yet confirmed by staff."),
            tuple(links),
        )
    return CriterionResult(
        CriterionStatus.MET,
        _("Confirmed by %(who)s on %(date)s.")
        % {
            "who": record.confirmed_by.display_name,
            "date": timezone.localtime(record.confirmed_at).date().isoformat(),
        },
        tuple(links),
    )


def activities_rule(
    place: Jurisdiction, criterion: AreaCriterion, params: Mapping[str, Any], facts: AreaFacts
) -> CriterionResult:
    kind = str(params.get("kind", ""))
    minimum = int(params.get("min", 1))
    needs_findings = bool(params.get("needs_findings"))
    name = AreaActivity.Kind(kind).label if kind in AreaActivity.Kind.values else kind
    tally = facts.activity(place, kind)
    counted = tally.with_findings if needs_findings else tally.count
    url = _place_url(place, facts.year, "#activities")
    links = (RecordLink(_("Activities of %(year)s") % {"year": facts.year}, url),)
    if counted == 0:
        detail = (
            _("No %(kind)s with its findings is logged for %(year)s.")
            if needs_findings
            else _("No %(kind)s is logged for %(year)s.")
        )
        return CriterionResult(
            CriterionStatus.NO_DATA, detail % {"kind": name, "year": facts.year}, links
        )
    figures = {"count": counted, "min": minimum, "kind": name, "year": facts.year}
    if counted < minimum:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _("%(count)d %(kind)s logged for %(year)s; at least %(min)d are required.") % figures,
            links,
        )
    return CriterionResult(
        CriterionStatus.MET,
        _("%(count)d %(kind)s logged for %(year)s (at least %(min)d required).") % figures,
        links,
    )


def coverage_rule(
    place: Jurisdiction, criterion: AreaCriterion, params: Mapping[str, Any], facts: AreaFacts
) -> CriterionResult:
    minimum = float(params.get("min_coverage", 1))
    coverage = coverage_of(place, facts.coverage)
    url = reverse("areas-communities")
    if place.kind != Jurisdiction.Kind.DISTRICT:
        url += f"?street={place.code}"
    links = (RecordLink(_("Communities and their network points"), url),)
    if coverage.value is None:
        return CriterionResult(
            CriterionStatus.NO_DATA, _("No communities or villages are loaded."), links
        )
    figures = {
        "covered": coverage.covered,
        "total": coverage.communities,
        "value": format_value(coverage.value, "%"),
        "minimum": format_value(minimum, "%"),
        "uncovered": coverage.uncovered,
    }
    if coverage.value < minimum - TOLERANCE:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _(
                "%(covered)d of %(total)d communities have a network point (%(value)s; "
                "%(minimum)s required): %(uncovered)d without one."
            )
            % figures,
            links,
        )
    return CriterionResult(
        CriterionStatus.MET,
        _("%(covered)d of %(total)d communities have a network point (%(value)s).") % figures,
        links,
    )


def channels_rule(
    place: Jurisdiction, criterion: AreaCriterion, params: Mapping[str, Any], facts: AreaFacts
) -> CriterionResult:
    kinds = [str(kind) for kind in params.get("kinds", NetworkPoint.Kind.values)]
    minimum = int(params.get("min_points", 1))
    points = facts.points(place, kinds)
    received = facts.received(place)
    by_channel = "、".join(
        f"{Channel(channel).label} {count}"
        for channel, count in sorted(received.items())
        if channel in Channel.values
    )
    url = reverse("areas-points")
    if place.kind != Jurisdiction.Kind.DISTRICT:
        url += f"?street={place.code}"
    links = (RecordLink(_("Network points"), url),)
    complaints = (
        _("Complaints received in %(year)s: %(channels)s.")
        % {"year": facts.year, "channels": by_channel}
        if by_channel
        else _("No complaints received in %(year)s.") % {"year": facts.year}
    )
    figures = {"points": points, "min": minimum, "complaints": complaints}
    if points == 0:
        return CriterionResult(
            CriterionStatus.NO_DATA,
            _(
                "No network point taking complaints with a published phone and opening hours "
                "is recorded. %(complaints)s"
            )
            % figures,
            links,
        )
    if points < minimum:
        return CriterionResult(
            CriterionStatus.NOT_MET,
            _(
                "%(points)d network points take complaints with a published phone and opening "
                "hours; at least %(min)d are required. %(complaints)s"
            )
            % figures,
            links,
        )
    return CriterionResult(
        CriterionStatus.MET,
        _(
            "%(points)d network points take complaints with a published phone and opening "
            "hours. %(complaints)s"
        )
        % figures,
        links,
    )


def _target_state(row: TargetResult | None, threshold: float) -> tuple[str, str]:
    """(status, reason) of one target figure against the area's threshold."""
    if row is None:
        return CriterionStatus.NO_DATA, _("not evaluated")
    detail = row.detail or {}
    wanted = format_value(threshold, "%")
    if row.value is None:
        return CriterionStatus.NO_DATA, _("no data")
    shown = format_value(row.value, "%")
    if detail.get("insufficient"):
        return CriterionStatus.NO_DATA, _(
            "%(value)s, insufficient sample (%(count)s of at least %(min)s)"
        ) % {
            "value": shown,
            "count": int(row.denominator or 0),
            "min": detail.get("min_denominator", ""),
        }
    missed = float(row.value) < threshold - TOLERANCE
    if missed and (not detail.get("open") or threshold >= COMPLETE):
        return CriterionStatus.NOT_MET, _("%(value)s, %(wanted)s required") % {
            "value": shown,
            "wanted": wanted,
        }
    if detail.get("open"):
        return CriterionStatus.NO_DATA, _("%(value)s so far; the year is not over") % {
            "value": shown
        }
    return CriterionStatus.MET, shown


def targets_rule(
    place: Jurisdiction, criterion: AreaCriterion, params: Mapping[str, Any], facts: AreaFacts
) -> CriterionResult:
    wanted: Mapping[str, Any] = params.get("targets", {})
    scope = DISTRICT_SCOPE if place.kind == Jurisdiction.Kind.DISTRICT else place.code
    states: list[str] = []
    parts: list[str] = []
    for key, threshold in wanted.items():
        row = facts.targets.get((scope, key))
        status, reason = _target_state(row, float(threshold))
        states.append(status)
        label = row.label if row is not None else key
        parts.append(f"{label}：{reason}")
    url = dashboard_url(parse(str(facts.year)), scope)
    links = (RecordLink(_("The targets of %(year)s") % {"year": facts.year}, url),)
    detail = "；".join(parts)
    if CriterionStatus.NOT_MET in states:
        return CriterionResult(CriterionStatus.NOT_MET, detail, links)
    if CriterionStatus.NO_DATA in states or not states:
        return CriterionResult(CriterionStatus.NO_DATA, detail, links)
    return CriterionResult(CriterionStatus.MET, detail, links)


RULES: dict[str, Rule] = {
    CONFIRMED_RULE: confirmed_rule,
    "activities": activities_rule,
    "network_coverage": coverage_rule,
    "channels_open": channels_rule,
    "targets": targets_rule,
}


# --- Reports and verdicts -----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemOutcome:
    criterion: AreaCriterion
    result: CriterionResult

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def label(self) -> str:
        return self.criterion.display_label

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def confirmable(self) -> bool:
        return self.criterion.rule == CONFIRMED_RULE


def _verdict(statuses: list[str]) -> Verdict:
    if CriterionStatus.NOT_MET in statuses:
        return Verdict.NOT_MET
    if not statuses or CriterionStatus.NO_DATA in statuses:
        return Verdict.INCOMPLETE
    return Verdict.MET


@dataclass(frozen=True)
class AreaReport:
    place: Jurisdiction
    year: int
    outcomes: list[ItemOutcome]

    @property
    def verdict(self) -> Verdict:
        return _verdict([outcome.status for outcome in self.outcomes])

    @property
    def unmet(self) -> list[ItemOutcome]:
        """Every item not met, or lacking its evidence, in the standard's order."""
        return [o for o in self.outcomes if o.status != CriterionStatus.MET]


@dataclass(frozen=True)
class DistrictReport:
    """The district's verdict: its own items and every street's verdict."""

    own: AreaReport
    streets: list[AreaReport]

    @property
    def verdict(self) -> Verdict:
        verdicts = [self.own.verdict, *(street.verdict for street in self.streets)]
        if Verdict.NOT_MET in verdicts:
            return Verdict.NOT_MET
        if Verdict.INCOMPLETE in verdicts:
            return Verdict.INCOMPLETE
        return Verdict.MET

    @property
    def streets_short(self) -> list[AreaReport]:
        return [street for street in self.streets if street.verdict != Verdict.MET]


def area_check(place: Jurisdiction, facts: AreaFacts) -> AreaReport:
    outcomes = []
    for criterion in facts.criteria:
        rule = RULES.get(criterion.rule)
        if rule is None:
            result = CriterionResult(
                CriterionStatus.NO_DATA,
                _("No rule “%(rule)s” is installed to check this item.") % {"rule": criterion.rule},
            )
        else:
            result = rule(place, criterion, criterion.params or {}, facts)
        outcomes.append(ItemOutcome(criterion, result))
    return AreaReport(place=place, year=facts.year, outcomes=outcomes)


def streets() -> list[Jurisdiction]:
    """The streets the district's verdict needs: every active street."""
    return list(
        Jurisdiction.objects.filter(active=True, kind=Jurisdiction.Kind.STREET).order_by(
            "sort_order", "code"
        )
    )


def district_report(
    year: int, *, facts: AreaFacts | None = None, today: dt.date | None = None
) -> DistrictReport:
    """The district's verdict for ``year`` with every street's, in a fixed number of queries."""
    facts = facts or load_facts(year, today=today)
    district = Jurisdiction.objects.get(kind=Jurisdiction.Kind.DISTRICT)
    return DistrictReport(
        own=area_check(district, facts),
        streets=[area_check(street, facts) for street in streets()],
    )
