"""Inspection plans by risk (issue 19 item 3): the weighted draw is reproducible from its seed, and
its draws follow the weights (a chi-square test with a fixed seed)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from inspections.models import OnSiteCheck
from lyushunkou.claims import StaleObject
from lyushunkou.models import Jurisdiction, User
from lyushunkou.periods import parse
from supervision import risk, services_plans
from supervision.models import InspectionPlan, PlanEntry, PlanState
from supervision.plans import draw, draw_count, weighted_order
from tests.inspections.helpers import batch as record_batch
from tests.supervision.helpers import add_complaints, add_units, streets

# Chi-square critical values at p = 0.001 (so a correct sampler fails one run in a thousand; the
# seed is fixed, so it either always passes or always fails).
CHI2_0001 = {5: 20.515, 3: 16.266}
TODAY = dt.date(2026, 12, 1)


def chi_square(observed: Counter[int], expected: dict[int, float]) -> float:
    return sum((observed[key] - e) ** 2 / e for key, e in expected.items())


# --- The sampler -------------------------------------------------------------------------------


def test_a_single_draw_follows_the_weights() -> None:
    weights = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0, 5: 5.0, 6: 5.0}
    rng = random.Random(20261201)
    runs = 30_000
    first = Counter(weighted_order(list(weights.items()), 1, rng)[0] for _ in range(runs))

    total = sum(weights.values())
    expected = {key: runs * w / total for key, w in weights.items()}
    assert chi_square(first, expected) < CHI2_0001[5]


def test_drawing_several_without_replacement_follows_successive_sampling() -> None:
    # Two of four: unit i is in the sample with probability w_i/W + Σ_j w_j/W · w_i/(W − w_j).
    weights = {1: 1.0, 2: 2.0, 3: 3.0, 4: 6.0}
    total = sum(weights.values())
    inclusion = {
        i: wi / total + sum(wj / total * wi / (total - wj) for j, wj in weights.items() if j != i)
        for i, wi in weights.items()
    }
    rng = random.Random(7)
    runs = 20_000
    seen: Counter[int] = Counter()
    for _ in range(runs):
        sample = weighted_order(list(weights.items()), 2, rng)
        assert len(set(sample)) == 2  # without replacement
        seen.update(sample)

    # Each unit's count is binomial(runs, π_i); the sum of the four squared standardised
    # deviations, tied by every run drawing exactly two, is about chi-square with 3 degrees.
    statistic = sum((seen[i] - runs * p) ** 2 / (runs * p * (1 - p)) for i, p in inclusion.items())
    assert statistic < CHI2_0001[3]
    assert seen[4] > seen[3] > seen[2] > seen[1]


def test_the_heaviest_unit_is_drawn_first_most_often_but_not_always() -> None:
    rng = random.Random(3)
    firsts = Counter(weighted_order([(1, 1.0), (2, 9.0)], 1, rng)[0] for _ in range(2000))
    assert 1700 < firsts[2] < 1900  # about 90%
    assert firsts[1] > 0


def test_weights_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        weighted_order([(1, 0.0)], 1, random.Random(1))


@pytest.mark.parametrize(
    ("candidates", "ratio", "minimum", "count"),
    [(41, "5", 1, 3), (10, "5", 1, 1), (10, "5", 2, 2), (3, "50", 5, 3), (0, "5", 1, 0)],
)
def test_each_street_gets_its_share_rounded_up(
    candidates: int, ratio: str, minimum: int, count: int
) -> None:
    assert draw_count(candidates, Decimal(ratio), minimum) == count


def test_the_same_seed_and_candidates_give_the_same_draw_and_another_seed_another() -> None:
    candidates = {"A": [[pk, 1.0 + pk % 4] for pk in range(1, 201)], "B": [[500, 1.0]]}

    once = draw(candidates, seed=42, ratio=Decimal("10"), minimum=1)
    again = draw(candidates, seed=42, ratio=Decimal("10"), minimum=1)
    other = draw(candidates, seed=43, ratio=Decimal("10"), minimum=1)

    assert once == again
    assert len(once["A"]) == 20
    assert once["B"] == [500]
    assert other["A"] != once["A"]


def test_a_streets_draw_does_not_depend_on_the_other_streets() -> None:
    street = [[pk, 1.0] for pk in range(1, 51)]
    alone = draw({"A": street}, seed=9, ratio=Decimal("10"), minimum=1)
    with_more = draw({"B": [[99, 1.0]], "A": street}, seed=9, ratio=Decimal("10"), minimum=1)
    assert alone["A"] == with_more["A"]


# --- Weights -------------------------------------------------------------------------------------


def test_the_weight_is_the_product_of_the_factors_multipliers() -> None:
    quiet = risk.Factors("A", 0, 0, 0, "retail", 6)
    risky = risk.Factors("D", 4, 1, 2, "catering", None)

    assert quiet.weight() == pytest.approx(0.5 * (1 + 6 / 36))
    assert risky.weight() == pytest.approx(2.5 * 2.2 * 2.0 * 2.0 * 1.5 * 2.0)
    multipliers = risky.as_json()["multipliers"]
    assert isinstance(multipliers, dict)
    assert multipliers["failed_batches"] == 2.0


def test_counts_are_capped_so_no_unit_crowds_out_its_street() -> None:
    many = risk.Factors("", 500, 500, 500, "other", 500)
    assert many.weight() == pytest.approx(1.2 * 4.0 * 6.0 * 4.0 * 1.0 * 2.0)


@pytest.mark.django_db
def test_the_factors_are_read_from_the_records(dengfeng: Jurisdiction, street_staff: User) -> None:
    shop, clean = add_units(dengfeng, 2)
    add_complaints(dengfeng, 3, on=TODAY - dt.timedelta(days=30), unit=shop)
    add_complaints(dengfeng, 2, on=TODAY - dt.timedelta(days=400), unit=shop)  # too old
    record_batch(
        street_staff,
        dengfeng,
        sampled_on=dt.date(2026, 5, 1),
        sampled_unit_name=shop.name,
        sampled_unit_credit_code=shop.credit_code,
        result="fail",
    )
    OnSiteCheck.objects.create(
        unit=clean,
        checked_on=dt.date(2026, 6, 1),
        check_type="price_marking",
        inspectors="张三",
        staff=street_staff,
    )

    factors = risk.risk_factors(dengfeng.units.filter(pk__in=[shop.pk, clean.pk]), TODAY)

    assert factors[shop.pk] == risk.Factors("", 3, 1, 0, "retail", None)
    assert factors[clean.pk] == risk.Factors("", 0, 0, 0, "retail", 6)
    assert factors[shop.pk].weight() > factors[clean.pk].weight()


@pytest.mark.django_db
def test_a_registered_grade_source_sets_the_grade(dengfeng: Jurisdiction) -> None:
    (unit,) = add_units(dengfeng, 1)

    def grades(units: object, as_of: dt.date) -> dict[int, str]:
        return {unit.pk: "D"}

    risk.register_grade_source(grades)
    try:
        factor = risk.risk_factors(dengfeng.units.all(), TODAY)[unit.pk]
    finally:
        risk._GRADE_SOURCES.remove(grades)
    assert factor.grade == "D"


# --- Plans through the service ---------------------------------------------------------------


@pytest.fixture
def district(db: None) -> Jurisdiction:
    for street in streets():
        add_units(street, 30)
    return Jurisdiction.objects.get(kind="district")


def entries(plan: InspectionPlan) -> list[tuple[int, int, int]]:
    return list(
        plan.entries.order_by("jurisdiction_id", "draw").values_list(
            "jurisdiction_id", "draw", "unit_id"
        )
    )


def draw_plan(by: User, scope: Jurisdiction, seed: int | None = 2026, **extra: object) -> Any:
    return services_plans.plan_draw(
        by=by,
        period=parse("2027"),
        scope=scope,
        ratio=Decimal("10"),
        seed=seed,
        today=TODAY,
        **extra,  # type: ignore[arg-type]
    )


def test_a_plan_drawn_twice_from_the_same_seed_is_identical(
    district: Jurisdiction, district_staff: User
) -> None:
    first = draw_plan(district_staff, district)
    second = draw_plan(district_staff, district)

    assert entries(first) == entries(second)
    assert len(entries(first)) == 11 * 3  # 10% of 30 in each of the 11 streets
    assert first.candidates == second.candidates


def test_a_plan_replays_from_its_seed_after_the_records_changed(
    district: Jurisdiction, district_staff: User, dengfeng: Jurisdiction
) -> None:
    plan = draw_plan(district_staff, district, seed=None)
    assert plan.seed > 0
    add_complaints(dengfeng, 9, on=TODAY, units=list(dengfeng.units.all()[:3]))

    assert services_plans.plan_is_reproduced(plan)
    PlanEntry.objects.filter(plan=plan, draw=1).first().delete()  # type: ignore[union-attr]
    assert not services_plans.plan_is_reproduced(plan)


def test_street_staff_draw_for_their_street(
    district: Jurisdiction, street_staff: User, dengfeng: Jurisdiction
) -> None:
    plan = draw_plan(street_staff, dengfeng)

    assert set(plan.entries.values_list("jurisdiction_id", flat=True)) == {dengfeng.pk}
    assert list(plan.candidates) == [dengfeng.code]


def test_unverified_and_closed_units_are_not_drawn(
    db: None, district_staff: User, dengfeng: Jurisdiction
) -> None:
    units = add_units(dengfeng, 3)
    dengfeng.units.filter(pk=units[0].pk).update(verified_at=None)
    dengfeng.units.filter(pk=units[1].pk).update(business_status="deregistered")

    plan = draw_plan(district_staff, dengfeng)

    assert plan.candidates == {dengfeng.code: [[units[2].pk, pytest.approx(1.2 * 2.0)]]}


def test_a_month_is_refused_naming_the_period(district: Jurisdiction, district_staff: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services_plans.plan_draw(
            by=district_staff, period=parse("2027-01"), scope=district, ratio=Decimal("5")
        )
    assert "period" in refused.value.message_dict


def test_publishing_is_claimed_once_and_one_plan_per_period_and_scope(
    district: Jurisdiction, district_staff: User
) -> None:
    plan, rival = draw_plan(district_staff, district), draw_plan(district_staff, district)

    services_plans.plan_publish(plan=plan, by=district_staff)
    with pytest.raises(StaleObject):
        services_plans.plan_publish(plan=plan, by=district_staff)
    with pytest.raises(ValidationError, match="已经公开"):
        services_plans.plan_publish(plan=rival, by=district_staff)

    plan.refresh_from_db()
    assert (plan.state, plan.published_by) == (PlanState.PUBLISHED, district_staff)


def test_only_a_draft_is_discarded(district: Jurisdiction, district_staff: User) -> None:
    draft, published = draw_plan(district_staff, district), draw_plan(district_staff, district)
    services_plans.plan_publish(plan=published, by=district_staff)

    services_plans.plan_discard(plan=draft, by=district_staff)
    with pytest.raises(StaleObject):
        services_plans.plan_discard(plan=published, by=district_staff)

    assert list(InspectionPlan.objects.all()) == [published]
