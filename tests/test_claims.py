"""lyushunkou.claims.claim: the one conditional update every service claims a transition with."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone, translation

from lyushunkou.claims import StaleObject, claim
from lyushunkou.models import Jurisdiction, User
from supervision.models_plans import InspectionPlan, PlanState
from units.models import DemonstrationStatus, Unit

pytestmark = pytest.mark.django_db


def test_a_claim_at_the_current_version_writes_and_bumps_the_version(unit: Unit) -> None:
    claim(Unit.objects.filter(pk=unit.pk), version=unit.version, contact_person="钱七")
    unit.refresh_from_db()
    assert unit.contact_person == "钱七"
    assert unit.version == 2


def test_a_claim_at_an_older_version_writes_nothing(unit: Unit) -> None:
    with pytest.raises(StaleObject):
        claim(Unit.objects.filter(pk=unit.pk), version=unit.version - 1, contact_person="钱七")
    unit.refresh_from_db()
    assert unit.contact_person != "钱七"
    assert unit.version == 1


def test_a_claim_from_another_state_is_refused(unit: Unit) -> None:
    with pytest.raises(StaleObject):
        claim(
            Unit.objects.filter(pk=unit.pk),
            sources=[DemonstrationStatus.WARNING],
            state_field="demonstration_status",
            status_reason="—",
        )
    unit.refresh_from_db()
    assert unit.status_reason == ""


def test_only_one_of_two_claims_from_the_same_state_wins(unit: Unit) -> None:
    def warn() -> None:
        claim(
            Unit.objects.filter(pk=unit.pk),
            sources=[DemonstrationStatus.NONE],
            state_field="demonstration_status",
            version=unit.version,
            status_reason="first",
        )

    warn()
    with pytest.raises(StaleObject):
        warn()
    unit.refresh_from_db()
    assert unit.version == 2


def test_a_refusal_of_the_callers_own_is_raised(unit: Unit) -> None:
    refusal = StaleObject("gone", code="gone")
    with pytest.raises(StaleObject) as raised:
        claim(Unit.objects.filter(pk=unit.pk), version=99, refusal=refusal)
    assert raised.value is refusal


def test_the_default_refusal_asks_to_reload(unit: Unit) -> None:
    with translation.override("en"), pytest.raises(StaleObject) as raised:
        claim(Unit.objects.filter(pk=unit.pk), version=99)
    assert raised.value.code == "stale"
    assert "reload the page" in raised.value.messages[0]


def test_a_model_without_a_version_is_claimed_on_its_state(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    plan = InspectionPlan.objects.create(
        jurisdiction=dengfeng, period="2026", ratio=10, seed=1, created_by=street_staff
    )
    claim(
        InspectionPlan.objects.filter(pk=plan.pk),
        sources=[PlanState.DRAFT],
        state_field="state",
        state=PlanState.PUBLISHED,
        published_by=street_staff,
        published_at=timezone.now(),
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED


def test_a_claim_on_several_rows_is_refused_whole_when_one_has_changed(unit: Unit) -> None:
    other = Unit.objects.create(
        credit_code="91210212MA0000002X",
        name="旅顺口区另一家超市",
        jurisdiction=unit.jurisdiction,
        contact_person="原联系人",
    )
    Unit.objects.filter(pk=other.pk).update(contact_person="别人改过")  # no longer as read
    with pytest.raises(StaleObject), transaction.atomic():
        claim(
            Unit.objects.filter(pk__in=[unit.pk, other.pk], contact_person=unit.contact_person),
            rows=2,
            contact_person="钱七",
        )
    unit.refresh_from_db()
    assert unit.contact_person != "钱七"
    assert unit.version == 1
