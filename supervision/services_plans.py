"""Every change to inspection plans (STYLE.md habit 2): draw, publish, discard — keyword-only,
atomic, audited; publication claimed with a conditional update (habit 3)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.access import within
from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, User
from lyushunkou.periods import MONTH, Period
from supervision.clusters import street_map
from supervision.models_plans import InspectionPlan, PlanEntry, PlanState
from supervision.plans import draw
from supervision.risk import risk_factors
from units.models import BusinessStatus, Unit

__all__ = [
    "MAX_SEED",
    "StaleObject",
    "eligible_units",
    "new_seed",
    "plan_discard",
    "plan_draw",
    "plan_is_reproduced",
    "plan_publish",
    "replay",
]

MAX_SEED = 2**53 - 1  # exact in JavaScript and JSON as well


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def eligible_units(scope: Jurisdiction) -> QuerySet[Unit]:
    """Operating units staff have verified, within ``scope``: what a plan draws from, in a fixed
    order (by pk) so that the draw is reproducible."""
    return Unit.objects.filter(
        within(scope), business_status=BusinessStatus.OPERATING, verified_at__isnull=False
    ).order_by("pk")


@transaction.atomic
def plan_draw(
    *,
    by: User,
    period: Period,
    scope: Jurisdiction,
    ratio: Decimal,
    minimum: int = 1,
    seed: int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> InspectionPlan:
    """Draw a plan for a year or a quarter within ``scope`` (the district: every street; or one
    street), weighted by each unit's risk as of today, and store it as a draft."""
    if period.kind == MONTH:
        raise ValidationError({"period": _("A plan is for a year (2026) or a quarter (2026-Q3).")})
    if not Decimal(0) < ratio <= Decimal(100):
        raise ValidationError({"ratio": _("The share drawn is a percentage above 0, at most 100.")})
    if seed is not None and not 0 < seed <= MAX_SEED:
        raise ValidationError(
            {"seed": _("The seed is a whole number from 1 to %(max)s.") % {"max": MAX_SEED}}
        )
    today = today or timezone.localdate()
    seed = seed or new_seed()
    eligible = eligible_units(scope)
    streets = street_map()
    codes = dict(Jurisdiction.objects.values_list("pk", "code"))
    factors = risk_factors(eligible, today)
    candidates: dict[str, list[list[float]]] = {}
    street_of: dict[int, int] = {}
    for pk, jurisdiction_id in eligible.values_list("pk", "jurisdiction_id"):
        if jurisdiction_id not in streets:
            continue  # recorded against the district as a whole: in no street's draw
        street = streets[jurisdiction_id]
        candidates.setdefault(codes[street], []).append([pk, factors[pk].weight()])
        street_of[pk] = street
    drawn = draw(candidates, seed=seed, ratio=ratio, minimum=minimum)
    plan = InspectionPlan.objects.create(
        period=period.key,
        jurisdiction=scope,
        ratio=ratio,
        minimum=minimum,
        seed=seed,
        candidates=candidates,
        note=note.strip(),
        created_by=by,
    )
    PlanEntry.objects.bulk_create(
        PlanEntry(
            plan=plan,
            unit_id=pk,
            jurisdiction_id=street_of[pk],
            draw=order,
            weight=factors[pk].weight(),
            factors=factors[pk].as_json(),
        )
        for pks in drawn.values()
        for order, pk in enumerate(pks, start=1)
    )
    audit.record(
        "supervision.plan_drawn",
        actor=by,
        obj=plan,
        period=period.key,
        scope=scope.code,
        seed=seed,
        ratio=str(ratio),
        candidates=len(street_of),
        drawn=sum(len(pks) for pks in drawn.values()),
    )
    return plan


def replay(plan: InspectionPlan) -> dict[str, list[int]]:
    """The plan's draw done again from its stored seed and candidates."""
    return draw(plan.candidates, seed=plan.seed, ratio=plan.ratio, minimum=plan.minimum)


def plan_is_reproduced(plan: InspectionPlan) -> bool:
    """Whether replaying the draw gives exactly the stored entries, street by street, in order."""
    codes = dict(Jurisdiction.objects.values_list("pk", "code"))
    stored: dict[str, list[int]] = {code: [] for code in plan.candidates}
    for street, unit in plan.entries.order_by("jurisdiction_id", "draw").values_list(
        "jurisdiction_id", "unit_id"
    ):
        stored.setdefault(codes[street], []).append(unit)
    return replay(plan) == stored


@transaction.atomic
def plan_publish(*, plan: InspectionPlan, by: User) -> InspectionPlan:
    try:
        with transaction.atomic():
            claim(
                InspectionPlan.objects.filter(pk=plan.pk),
                sources=[PlanState.DRAFT],
                state_field="state",
                state=PlanState.PUBLISHED,
                published_by=by,
                published_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("A plan for %(period)s in %(scope)s is already published.")
            % {"period": plan.period, "scope": plan.jurisdiction.name}
        ) from None
    plan.refresh_from_db()
    audit.record("supervision.plan_published", actor=by, obj=plan, period=plan.period)
    return plan


@transaction.atomic
def plan_discard(*, plan: InspectionPlan, by: User) -> None:
    """Delete a draft (a published plan is the record of what was announced, and stays)."""
    label = str(plan)
    deleted, _detail = InspectionPlan.objects.filter(pk=plan.pk, state=PlanState.DRAFT).delete()
    if not deleted:
        raise StaleObject()
    audit.record(
        "supervision.plan_discarded", actor=by, plan=label, period=plan.period, seed=plan.seed
    )
