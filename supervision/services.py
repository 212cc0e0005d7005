"""Every change to sampling proposals (STYLE.md habit 2): keyword-only, atomic, audited.

Decisions are claimed with a conditional UPDATE (habit 3): of two staff deciding the same proposal
at once, one wins and the other gets ``StaleObject``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import SamplingBatch
from lyushunkou import audit
from lyushunkou.access import within
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, User
from supervision.clusters import Cluster, Ranking
from supervision.models import ProposalBatch, ProposalKind, ProposalState, SamplingProposal

__all__ = [
    "StaleObject",
    "StoreResult",
    "proposal_accept",
    "proposal_dismiss",
    "proposal_link_batch",
    "proposals_store",
]


@dataclass(frozen=True)
class StoreResult:
    created: int
    updated: int
    removed: int  # proposals nobody had decided on that no longer stand out
    decided: int  # clusters already decided on: left as they were decided


def _figures(cluster: Cluster) -> dict[str, object]:
    test = cluster.assessment
    return {
        "kind": ProposalKind.STREET if cluster.kind == "street" else ProposalKind.UNIT,
        "category": cluster.category,
        "jurisdiction_id": cluster.jurisdiction_id,
        "complaint_count": test.observed,
        "last_year_count": test.last_year,
        "peer_expected": test.peer_rate,
        "expected": test.expected,
        "p_value": test.p_value,
        "score": test.score,
    }


@transaction.atomic
def proposals_store(
    *, ranking: Ranking, by: User | None, scope: Jurisdiction | None = None
) -> StoreResult:
    """Save the ranking's clusters as proposals of its period, within ``scope``.

    Regenerating is safe: an undecided proposal is refreshed with the latest figures and the
    complaints now behind it, or removed when it no longer stands out; a decided one keeps the
    evidence it was decided on. ``ranking`` must already be narrowed to ``scope``.
    """
    period = ranking.period.key
    now = timezone.now()
    existing = {
        p.cluster_key: p
        for p in SamplingProposal.objects.select_for_update().filter(
            period=period, cluster_key__in=[c.key for c in ranking.clusters]
        )
    }
    created = updated = decided = 0
    for cluster in ranking.clusters:
        proposal = existing.get(cluster.key)
        if proposal is not None and not proposal.is_open:
            decided += 1
            continue
        fields = {**_figures(cluster), "generated_at": now, "generated_by": by}
        if proposal is None:
            proposal = SamplingProposal.objects.create(
                period=period, cluster_key=cluster.key, **fields
            )
            created += 1
        else:
            for name, value in fields.items():
                setattr(proposal, name, value)
            proposal.save(update_fields=list(fields))
            updated += 1
        proposal.complaints.set(cluster.complaint_ids)
        proposal.units.set(cluster.unit_ids)
    removed, _detail = (
        SamplingProposal.objects.filter(within(scope), period=period, state=ProposalState.PROPOSED)
        .exclude(cluster_key__in=[c.key for c in ranking.clusters])
        .delete()
    )
    result = StoreResult(created=created, updated=updated, removed=removed, decided=decided)
    audit.record(
        "supervision.proposals_generated",
        actor=by,
        period=period,
        scope=scope.code if scope is not None else "",
        created=created,
        updated=updated,
        removed=removed,
    )
    return result


def _decide(*, proposal: SamplingProposal, by: User, state: str, reason: str) -> SamplingProposal:
    claim(
        SamplingProposal.objects.filter(pk=proposal.pk),
        sources=[ProposalState.PROPOSED],
        state_field="state",
        state=state,
        reason=reason,
        decided_by=by,
        decided_at=timezone.now(),
    )
    proposal.refresh_from_db()
    audit.record(f"supervision.proposal_{state}", actor=by, obj=proposal, reason=reason)
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: SamplingProposal, by: User, note: str = "") -> SamplingProposal:
    """Accept the proposal into the sampling plan: its batches, once sampled, are linked to it."""
    return _decide(
        proposal=proposal, by=by, state=ProposalState.ACCEPTED, reason=(note or "").strip()
    )


@transaction.atomic
def proposal_dismiss(*, proposal: SamplingProposal, by: User, reason: str) -> SamplingProposal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for dismissing the proposal.")})
    return _decide(proposal=proposal, by=by, state=ProposalState.DISMISSED, reason=reason)


def _in_street(batch: SamplingBatch, street: Jurisdiction) -> bool:
    return street.pk in (batch.jurisdiction_id, batch.jurisdiction.parent_id) or (
        street.kind == Jurisdiction.Kind.DISTRICT
    )


@transaction.atomic
def proposal_link_batch(
    *, proposal: SamplingProposal, batch: SamplingBatch, by: User
) -> ProposalBatch:
    """Record that ``batch`` was sampled because of ``proposal``: an accepted proposal, a batch
    of its street sampled on or after the day it was accepted, and linked to no other proposal.
    """
    if proposal.state != ProposalState.ACCEPTED or proposal.decided_at is None:
        raise ValidationError(
            {"batch": _("Only a proposal accepted into the sampling plan has batches.")}
        )
    if not _in_street(batch, proposal.jurisdiction):
        raise ValidationError(
            {
                "batch": _("Batch %(no)s was sampled in %(place)s, not in %(street)s.")
                % {
                    "no": batch.sample_no,
                    "place": batch.jurisdiction.name,
                    "street": proposal.jurisdiction.name,
                }
            }
        )
    accepted_on = timezone.localdate(proposal.decided_at)
    if batch.sampled_on < accepted_on:
        raise ValidationError(
            {
                "batch": _(
                    "Batch %(no)s was sampled on %(date)s, before the proposal was accepted "
                    "(%(accepted)s): it was routine sampling."
                )
                % {"no": batch.sample_no, "date": batch.sampled_on, "accepted": accepted_on}
            }
        )
    taken = ProposalBatch.objects.filter(batch=batch).select_related("proposal").first()
    if taken is not None:
        raise ValidationError(
            {
                "batch": _("Batch %(no)s is already linked to proposal %(proposal)s.")
                % {"no": batch.sample_no, "proposal": taken.proposal_id}
            }
        )
    try:
        with transaction.atomic():
            link = ProposalBatch.objects.create(proposal=proposal, batch=batch, linked_by=by)
    except IntegrityError:  # linked by someone else a moment ago
        raise StaleObject() from None
    audit.record(
        "supervision.proposal_batch_linked",
        actor=by,
        obj=proposal,
        batch=batch.sample_no,
        result=batch.final_result,
    )
    return link
