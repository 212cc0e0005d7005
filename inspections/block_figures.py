"""The sampling figures of a demonstration block or industry (``units.extensions``).

Over the batches sampled at the member units in the period: how many, how many failed (final
result, so a passed re-test clears a batch), and the pass rate as the district counts it
(inspections.figures): passed ÷ batches with a final result, of the sampling types the pass-rate
targets count. A batch not linked to a registered unit counts for no block.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.figures import pass_rate_types
from inspections.models import SamplingBatch, SamplingResult, SamplingType
from lyushunkou.figures import figure
from units.extensions import BlockFigure, BlockFigureSource, register_block_figures
from units.models import Unit


def block_sampling_figures(
    units: QuerySet[Unit], start: dt.date, end: dt.date, today: dt.date
) -> list[BlockFigure]:
    """One aggregate query; ``units`` stays a subquery."""
    counted = Q(sampling_type__in=pass_rate_types())
    row = SamplingBatch.objects.filter(
        unit__in=units.values("pk"), sampled_on__gte=start, sampled_on__lte=end
    ).aggregate(
        batches=Count("pk"),
        failed=Count("pk", filter=Q(final_result=SamplingResult.FAIL)),
        passed=Count("pk", filter=counted & Q(final_result=SamplingResult.PASS)),
        final=Count("pk", filter=counted & ~Q(final_result=SamplingResult.PENDING)),
    )
    return [
        BlockFigure("sampling_batches", _("Sampling batches"), count=row["batches"]),
        BlockFigure("sampling_failed", _("Failed batches"), count=row["failed"]),
        BlockFigure(
            "sampling_pass_rate",
            _("Pass rate"),
            rate=figure(row["passed"], row["final"]),
            note=gettext("Batches with a final result, of these sampling types: %(types)s.")
            % {"types": "、".join(str(SamplingType(t).label) for t in pass_rate_types())},
        ),
    ]


def register() -> None:
    register_block_figures(
        BlockFigureSource("sampling", _("Sampling"), block_sampling_figures, order=20)
    )
