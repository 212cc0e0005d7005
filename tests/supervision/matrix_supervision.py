"""Access-matrix rows of the supervision pages (see tests/test_access_matrix.py).

``build`` stores, all in 登峰 (the world's street), an undecided sampling proposal, two inspection
plans (a draft and a published one), an open early warning and an open identity match of the
world's unit, and a complaint without a unit; ``rows(m)`` classifies the pages:
staff and leaders read (得胜 staff get a 404 for 登峰's objects), staff generate, draw and decide
in scope (an empty dismissal, publication or closing is refused, so the world's objects stay as
built for every persona; the link page is for staff only), nobody else reaches them — except
published plans, which are public.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lyushunkou.models import Jurisdiction
from lyushunkou.periods import parse
from supervision import services_plans
from supervision.models import EarlyWarning, IdentityMatch, SamplingProposal
from tests.conftest import DESHENG
from tests.factories import UnitFactory
from tests.supervision.helpers import add_complaints


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
    draft = services_plans.plan_draw(
        by=world["staff"], period=parse("2027"), scope=world["dengfeng"], ratio=Decimal(50)
    )
    published = services_plans.plan_draw(
        by=world["staff"], period=parse("2027-Q1"), scope=world["dengfeng"], ratio=Decimal(50)
    )
    services_plans.plan_publish(plan=published, by=world["staff"])
    warning = EarlyWarning.objects.create(
        key=f"complaints:street:{world['dengfeng'].pk}:price",
        metric="complaints",
        jurisdiction=world["dengfeng"],
        category="price",
        window_start=dt.date(2026, 11, 1),
        window_end=dt.date(2026, 11, 30),
        observed=9,
        baseline=2.0,
        limit=8,
        evidence={"records": [], "more": 0},
    )
    # The world's unit shares its legal representative with a revoked unit of 得胜.
    revoked = UnitFactory.create(
        name="得胜旧海鲜馆",
        industry="catering",
        jurisdiction=Jurisdiction.objects.get(code=DESHENG),
        legal_representative=world["unit"].legal_representative,
    )
    match = IdentityMatch.objects.create(
        unit=world["unit"],
        matched_unit=revoked,
        reasons=[{"field": "legal_representative", "value": revoked.legal_representative}],
        risks=[{"kind": "revoked", "since": "", "detail": ""}],
    )
    # A complaint recorded without a unit, for the link page.
    orphan = add_complaints(world["dengfeng"], 1, on=dt.date(2026, 11, 2))[0]
    return {
        "orphan_complaint": orphan,
        "identity_match": match,
        "proposal": proposal,
        "plan": draft,
        "published_plan": published,
        "warning": warning,
    }


def rows(m: Any) -> list[Any]:
    def pk(w: Any) -> dict[str, Any]:
        return {"pk": w.extra["proposal"].pk}

    def plan(w: Any) -> dict[str, Any]:
        return {"pk": w.extra["plan"].pk}

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
        m.get("plan-list", m.STAFF_READ),
        m.post("plan-draw", m.STAFF_ONLY_POST),
        m.get("plan-detail", m.STAFF_READ_OBJ, plan),
        m.get("plan-export", m.STAFF_READ_OBJ, lambda w: {**plan(w), "fmt": "xlsx"}),
        m.get("plan-export", m.STAFF_READ_OBJ, lambda w: {**plan(w), "fmt": "csv"}, "csv"),
        # Unconfirmed, so refused (400) and the world's draft stays a draft.
        m.post("plan-action", m.STAFF_WRITE_POST, lambda w: {**plan(w), "action": "publish"}),
        m.get("warning-list", m.STAFF_READ),
        m.get("warning-detail", m.STAFF_READ_OBJ, lambda w: {"pk": w.extra["warning"].pk}),
        # Closing without a note is refused (400): the world's warning stays open.
        m.post(
            "warning-action",
            m.STAFF_WRITE_POST,
            lambda w: {"pk": w.extra["warning"].pk, "action": "close"},
        ),
        m.get("identity-list", m.STAFF_READ),
        # Empty: refused (400), nothing recorded.
        m.post("identity-previous-code", m.STAFF_ONLY_POST),
        m.get("identity-detail", m.STAFF_READ_OBJ, lambda w: {"pk": w.extra["identity_match"].pk}),
        # Clearing without a note is refused (400): the world's match stays open.
        m.post(
            "identity-action",
            m.STAFF_WRITE_POST,
            lambda w: {"pk": w.extra["identity_match"].pk, "action": "clear"},
        ),
        m.get("link-list", m.STAFF_ONLY),
        # Nothing chosen: refused (400), the world's complaint stays without a unit.
        m.post(
            "link-record",
            m.STAFF_WRITE_POST,
            lambda w: {"kind": "complaint", "pk": w.extra["orphan_complaint"].pk},
        ),
        m.get("public-plan-list", m.PUBLIC),
        m.get("public-plan-detail", m.PUBLIC, lambda w: {"pk": w.extra["published_plan"].pk}),
    ]
