"""Access-matrix rows of the supervision pages (see tests/test_access_matrix.py).

``build`` stores one sampling proposal of 登峰 (the world's street), undecided; ``rows(m)``
classifies the pages: staff and leaders read (得胜 staff get a 404 for 登峰's proposal), staff
generate and decide in scope (an empty dismissal is refused, so the world's proposal stays
undecided for every persona), nobody else reaches them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from supervision.models import SamplingProposal


def build(**world: Any) -> dict[str, Any]:
    complaint = world["unit"].complaints.first()
    proposal = SamplingProposal.objects.create(
        period="2026-10",
        kind="street",
        cluster_key=f"street:{world['dengfeng'].pk}:price",
        category="price",
        jurisdiction=world["dengfeng"],
        complaint_count=9,
        last_year_count=1,
        peer_expected=0.8,
        expected=1.0,
        p_value=1e-6,
        score=6.0,
        generated_at=timezone.now(),
    )
    proposal.units.add(world["unit"])
    if complaint is not None:
        proposal.complaints.add(complaint)
    return {"proposal": proposal}


def rows(m: Any) -> list[Any]:
    def pk(w: Any) -> dict[str, Any]:
        return {"pk": w.extra["proposal"].pk}

    def act(name: str) -> Any:
        return lambda w: {"pk": w.extra["proposal"].pk, "action": name}

    return [
        m.get("proposal-list", m.STAFF_READ),
        m.post("proposal-generate", m.STAFF_ONLY_POST),
        m.get("proposal-export", m.STAFF_READ, lambda w: {"fmt": "xlsx"}),
        m.get("proposal-export", m.STAFF_READ, lambda w: {"fmt": "csv"}, "csv"),
        m.get("proposal-detail", m.STAFF_READ_OBJ, pk),
        m.post("proposal-action", m.STAFF_WRITE_POST, act("dismiss")),
        m.get("supervision-figures", m.STAFF_READ),
    ]
