"""Reads for the proposal pages, scoped through the access helpers and materialised before
rendering (STYLE.md habit 8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from complaints.access import complaints_for_user
from complaints.models import Complaint
from inspections.access import batches_for_user
from inspections.models import SamplingBatch, SamplingResult, SamplingType
from lyushunkou.access import within
from lyushunkou.figures import figure, percent
from lyushunkou.models import Jurisdiction, Role, User
from supervision.access import proposals_for_user
from supervision.models import ProposalBatch, ProposalState, SamplingProposal
from units.access import units_for_user
from units.models import Unit

COMPLAINTS_SHOWN = 100
CANDIDATES_SHOWN = 100
# Below this many final-result batches a detection rate is shown with "样本不足" (DESIGN.md §6).
MIN_BATCHES = 10


def proposal_list_queryset(user: User) -> QuerySet[SamplingProposal]:
    """The user's proposals with their rank within the period (by score) and counts."""
    return proposals_for_user(user).annotate(
        unit_count=Count("units", distinct=True),
        batch_count=Count("batch_links", distinct=True),
    )


def with_rank(qs: QuerySet[SamplingProposal]) -> QuerySet[SamplingProposal]:
    return qs.annotate(
        rank=Window(
            RowNumber(), partition_by=[F("period")], order_by=[F("score").desc(), F("pk").asc()]
        )
    ).order_by("-period", "-score", "pk")


@dataclass
class ProposalDetail:
    proposal: SamplingProposal
    complaints: list[Complaint]  # those the user may open, first COMPLAINTS_SHOWN
    complaints_hidden: int  # behind the proposal but outside the user's scope
    units: list[Unit]
    batches: list[ProposalBatch]
    candidates: QuerySet[SamplingBatch]  # what staff may link: see ``link_candidates``


def link_candidates(proposal: SamplingProposal, user: User) -> QuerySet[SamplingBatch]:
    """Batches ``user`` may see in the proposal's street, sampled on or after the day it was
    accepted, not yet linked to any proposal: the batches the link form offers."""
    qs = batches_for_user(user).filter(within(proposal.jurisdiction))
    if proposal.state != ProposalState.ACCEPTED or proposal.decided_at is None:
        return qs.none()
    return (
        qs.filter(sampled_on__gte=timezone.localdate(proposal.decided_at))
        .exclude(Exists(ProposalBatch.objects.filter(batch=OuterRef("pk"))))
        .order_by("-sampled_on", "-pk")
    )


def proposal_detail(proposal: SamplingProposal, user: User) -> ProposalDetail:
    behind = proposal.complaints.values("pk")
    visible = complaints_for_user(user).filter(pk__in=behind).order_by("received_at", "pk")
    complaints = list(visible[:COMPLAINTS_SHOWN])
    total = proposal.complaint_count
    seen = visible.count() if len(complaints) == COMPLAINTS_SHOWN else len(complaints)
    units = list(
        units_for_user(user).filter(pk__in=proposal.units.values("pk")).order_by("name", "pk")
    )
    batches = list(
        proposal.batch_links.select_related("batch", "batch__jurisdiction").order_by(
            "batch__sampled_on", "pk"
        )
    )
    candidates = link_candidates(proposal, user)
    if user.role != Role.STAFF:
        candidates = candidates.none()
    return ProposalDetail(
        proposal=proposal,
        complaints=complaints,
        complaints_hidden=max(total - seen, 0),
        units=units,
        batches=batches,
        candidates=candidates,
    )


# --- Figures: does targeting find more? ---------------------------------------------------------


@dataclass
class DetectionRow:
    sampling_type: str
    label: Any
    proposal: dict[str, Any]  # figure(): failed ÷ final-result batches linked to a proposal
    routine: dict[str, Any]  # the same for every other batch

    @property
    def proposal_percent(self) -> str:
        return percent(self.proposal["value"])

    @property
    def routine_percent(self) -> str:
        return percent(self.routine["value"])

    @property
    def proposal_small(self) -> bool:
        return bool(0 < self.proposal["denominator"] < MIN_BATCHES)

    @property
    def routine_small(self) -> bool:
        return bool(0 < self.routine["denominator"] < MIN_BATCHES)


def detection_by_source(
    *, start: dt.date, end: dt.date, jurisdiction: Jurisdiction | None
) -> list[DetectionRow]:
    """Per sampling type (never mixed, DESIGN.md §5): the detection (fail) rate of batches
    sampled for an accepted proposal beside that of routine batches, over final results of
    batches sampled ``start``–``end`` in the scope. One aggregate query."""
    linked = Exists(ProposalBatch.objects.filter(batch=OuterRef("pk")))
    final = Q(final_result__in=(SamplingResult.PASS, SamplingResult.FAIL))
    failed = Q(final_result=SamplingResult.FAIL)
    rows = (
        SamplingBatch.objects.filter(within(jurisdiction), final, sampled_on__range=(start, end))
        .annotate(linked=linked)
        .order_by()
        .values("sampling_type")
        .annotate(
            proposal_all=Count("pk", filter=Q(linked=True)),
            proposal_failed=Count("pk", filter=Q(linked=True) & failed),
            routine_all=Count("pk", filter=Q(linked=False)),
            routine_failed=Count("pk", filter=Q(linked=False) & failed),
        )
    )
    by_type = {row["sampling_type"]: row for row in rows}
    result = []
    for value, label in SamplingType.choices:
        row = by_type.get(value, {})
        result.append(
            DetectionRow(
                sampling_type=value,
                label=label,
                proposal=figure(row.get("proposal_failed", 0), row.get("proposal_all", 0)),
                routine=figure(row.get("routine_failed", 0), row.get("routine_all", 0)),
            )
        )
    return result
