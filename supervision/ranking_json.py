"""A ranking as ``sampling_proposals --json`` prints it (DESIGN.md §7).

Per proposal: ``rank``, ``category``, ``jurisdiction`` (the street's division code), ``units``
(credit codes, most complaints first), ``complaints`` (the count), ``expected`` (the baseline
count) and ``score`` — plus ``kind``, ``category_label``, ``jurisdiction_name``, ``last_year``,
``peer_expected`` and ``p_value``, which explain the score.
"""

from __future__ import annotations

from typing import Any

from complaints.models import Category
from lyushunkou.models import Jurisdiction
from supervision.clusters import Ranking
from units.models import Unit


def ranking_json(ranking: Ranking, scope: Jurisdiction | None) -> dict[str, Any]:
    places = {
        pk: (code, name)
        for pk, code, name in Jurisdiction.objects.filter(
            pk__in={c.jurisdiction_id for c in ranking.clusters}
        ).values_list("pk", "code", "name")
    }
    codes = dict(
        Unit.objects.filter(pk__in={pk for c in ranking.clusters for pk in c.unit_ids}).values_list(
            "pk", "credit_code"
        )
    )
    proposals = []
    for rank, cluster in enumerate(ranking.clusters, start=1):
        test = cluster.assessment
        code, name = places[cluster.jurisdiction_id]
        proposals.append(
            {
                "rank": rank,
                "kind": cluster.kind,
                "category": cluster.category,
                "category_label": str(Category(cluster.category).label),
                "jurisdiction": code,
                "jurisdiction_name": name,
                "units": [codes[pk] for pk in cluster.unit_ids],
                "complaints": test.observed,
                "expected": round(test.expected, 2),
                "score": round(test.score, 2),
                "last_year": test.last_year,
                "peer_expected": round(test.peer_rate, 2),
                "p_value": float(f"{test.p_value:.3g}"),
            }
        )
    return {
        "period": ranking.period.key,
        "scope": scope.code if scope is not None else None,
        "as_of": ranking.as_of.isoformat(),
        "complaints_counted": ranking.complaints,
        "clusters_tested": ranking.tested,
        "message": ranking.message,
        "proposals": proposals,
    }
