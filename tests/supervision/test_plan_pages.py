"""The inspection-plan pages: draw, read coverage, publish (双随机一公开), discard, export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import OnSiteCheck
from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.periods import parse
from supervision import services_plans
from supervision.models import InspectionPlan, PlanState
from tests.conftest import DENGFENG, DESHENG, client_for
from tests.factories import UnitScoreFactory
from tests.supervision.helpers import add_units, streets

pytestmark = pytest.mark.django_db
LIST, DRAW = reverse("plan-list"), reverse("plan-draw")


@pytest.fixture
def district(db: None) -> Jurisdiction:
    for street in streets():
        add_units(street, 20)
    return Jurisdiction.objects.get(kind="district")


def year() -> str:
    return str(timezone.localdate().year)


def district_plan(by: User, scope: Jurisdiction, period: str = "") -> InspectionPlan:
    return services_plans.plan_draw(
        by=by, period=parse(period or year()), scope=scope, ratio=Decimal(10), seed=77
    )


def act(plan: InspectionPlan, action: str) -> str:
    return reverse("plan-action", kwargs={"pk": plan.pk, "action": action})


def test_district_staff_draw_a_plan_for_the_district(
    district: Jurisdiction, district_staff: User
) -> None:
    response = client_for(district_staff).post(
        DRAW,
        {"period": "2027", "scope": district.code, "ratio": "10", "minimum": "1", "seed": "5"},
    )

    plan = InspectionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert (plan.period, plan.seed, plan.state) == ("2027", 5, PlanState.DRAFT)
    assert plan.entries.count() == 11 * 2
    assert AuditEvent.objects.get(action="supervision.plan_drawn").detail["drawn"] == 22


def test_without_a_seed_a_random_one_is_stored(
    district: Jurisdiction, district_staff: User
) -> None:
    client_for(district_staff).post(
        DRAW, {"period": "2027-Q1", "scope": district.code, "ratio": "5", "minimum": "1"}
    )
    assert InspectionPlan.objects.get().seed > 0


@pytest.mark.parametrize(("period", "words"), [("2027-13", "期间格式错误"), ("2027-01", "2026-Q3")])
def test_a_bad_period_answers_400_naming_it(
    district: Jurisdiction, district_staff: User, period: str, words: str
) -> None:
    response = client_for(district_staff).post(
        DRAW, {"period": period, "scope": district.code, "ratio": "5", "minimum": "1"}
    )

    assert response.status_code == 400
    assert response.context["draw_form"].errors["period"]
    assert words in response.content.decode()
    assert not InspectionPlan.objects.exists()


def test_street_staff_draw_only_for_their_street(
    district: Jurisdiction, street_staff: User
) -> None:
    client = client_for(street_staff)
    refused = client.post(DRAW, {"period": "2027", "scope": DESHENG, "ratio": "5", "minimum": "1"})
    drawn = client.post(DRAW, {"period": "2027", "scope": DENGFENG, "ratio": "5", "minimum": "1"})

    assert refused.status_code == 400
    assert drawn.status_code == 302
    assert list(InspectionPlan.objects.values_list("jurisdiction__code", flat=True)) == [DENGFENG]


def test_leaders_read_plans_but_cannot_draw(district: Jurisdiction, leader: User) -> None:
    client = client_for(leader)
    assert client.get(LIST).status_code == 200
    assert client.post(DRAW, {"period": "2027"}).status_code == 403


def test_the_plan_shows_each_streets_check_coverage(
    district: Jurisdiction, district_staff: User, dengfeng: Jurisdiction
) -> None:
    plan = district_plan(district_staff, district)
    drawn = plan.entries.filter(jurisdiction=dengfeng).order_by("draw").first()
    assert drawn is not None
    undrawn = dengfeng.units.exclude(pk__in=plan.entries.values("unit_id")).first()
    assert undrawn is not None
    for unit in (drawn.unit, undrawn):
        OnSiteCheck.objects.create(
            unit=unit,
            checked_on=timezone.localdate(),
            check_type="price_marking",
            inspectors="张三",
            staff=district_staff,
        )

    response = client_for(district_staff).get(reverse("plan-detail", args=[plan.pk]))

    rows = {row.street.code: row for row in response.context["coverage"]}
    assert (rows[DENGFENG].candidates, rows[DENGFENG].drawn) == (20, 2)
    assert rows[DENGFENG].drawn_checked["numerator"] == 1
    assert rows[DENGFENG].coverage == {"numerator": 2, "denominator": 20, "value": 0.1}
    assert rows[DESHENG].coverage["numerator"] == 0
    assert response.context["reproduced"] is True
    assert "10.0%" in response.content.decode()


def test_the_plans_page_query_count_does_not_grow_with_the_units(
    district: Jurisdiction, district_staff: User, django_assert_max_num_queries: Any
) -> None:
    plan = district_plan(district_staff, district)
    client = client_for(district_staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("plan-detail", args=[plan.pk]))
    assert len(response.context["entries"]) == 22


def test_street_staff_read_the_district_plan_for_their_street_only_and_cannot_publish_it(
    district: Jurisdiction, district_staff: User, street_staff: User
) -> None:
    plan = district_plan(district_staff, district)
    client = client_for(street_staff)

    response = client.get(reverse("plan-detail", args=[plan.pk]))
    publish = client.post(act(plan, "publish"), {"publish-confirm": "on"})

    assert [row.street.code for row in response.context["coverage"]] == [DENGFENG]
    assert {e.jurisdiction.code for e in response.context["entries"]} == {DENGFENG}
    assert publish.status_code == 403
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_staff_of_another_street_do_not_see_a_streets_plan(
    district: Jurisdiction, street_staff: User, desheng_staff: User, dengfeng: Jurisdiction
) -> None:
    plan = district_plan(street_staff, dengfeng)
    assert client_for(desheng_staff).get(reverse("plan-detail", args=[plan.pk])).status_code == 404


def test_publishing_needs_confirmation_then_the_public_sees_the_plan(
    district: Jurisdiction, district_staff: User, client: Any
) -> None:
    plan = district_plan(district_staff, district)
    public = reverse("public-plan-detail", args=[plan.pk])
    staff = client_for(district_staff)

    unconfirmed = staff.post(act(plan, "publish"), {})
    assert unconfirmed.status_code == 400
    assert client.get(public).status_code == 404  # a draft is not public

    assert staff.post(act(plan, "publish"), {"publish-confirm": "on"}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    page = client.get(public)
    assert page.status_code == 200
    assert len(page.context["entries"]) == 22
    assert "weight" not in page.content.decode().lower()  # the risk factors stay internal
    assert plan.period in client.get(reverse("public-plan-list")).content.decode()


def test_a_second_plan_for_the_same_period_and_scope_cannot_be_published(
    district: Jurisdiction, district_staff: User
) -> None:
    first, second = district_plan(district_staff, district), district_plan(district_staff, district)
    staff = client_for(district_staff)
    staff.post(act(first, "publish"), {"publish-confirm": "on"})

    response = staff.post(act(second, "publish"), {"publish-confirm": "on"})

    assert response.status_code == 400
    second.refresh_from_db()
    assert second.state == PlanState.DRAFT


def test_a_draft_is_discarded_and_a_published_plan_is_not(
    district: Jurisdiction, district_staff: User
) -> None:
    draft, published = (
        district_plan(district_staff, district),
        district_plan(district_staff, district, period="2027"),
    )
    staff = client_for(district_staff)
    staff.post(act(published, "publish"), {"publish-confirm": "on"})

    assert staff.post(act(draft, "discard"), {"discard-confirm": "on"})["Location"] == LIST
    staff.post(act(published, "discard"), {"discard-confirm": "on"})

    assert list(InspectionPlan.objects.all()) == [published]
    assert AuditEvent.objects.filter(action="supervision.plan_discarded").count() == 1


def test_the_export_lists_the_units_drawn(
    district: Jurisdiction, district_staff: User, dengfeng: Jurisdiction
) -> None:
    plan = district_plan(district_staff, dengfeng)
    response = client_for(district_staff).get(
        reverse("plan-export", kwargs={"pk": plan.pk, "fmt": "csv"})
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    first = plan.entries.order_by("draw").first()
    assert first is not None
    assert first.unit.credit_code in text
    assert "从未检查" in text
    assert AuditEvent.objects.filter(action="supervision.plan_exported").exists()


def test_the_draw_uses_the_grades_scoring_registered(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    from scoring.models import Rubric

    graded, _ungraded = add_units(dengfeng, 2)
    rubric = Rubric.objects.order_by("pk").first()
    assert rubric is not None
    UnitScoreFactory.create(
        unit=graded,
        period="2026-10",
        rubric=rubric,
        **dict.fromkeys(("quality", "safety", "price", "service", "rights"), 10),
    )

    plan = district_plan(district_staff, dengfeng)

    weights = dict(plan.candidates[DENGFENG])
    assert weights[graded.pk] == pytest.approx(2.5 * 2.0)  # grade D, never checked
    assert weights[_ungraded.pk] == pytest.approx(1.2 * 2.0)
