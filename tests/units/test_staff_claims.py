"""Staff review of claims: an operator asking to take over a unit that already has one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.models import User
from tests.conftest import client_for
from tests.helpers import english
from units.models import Unit, UnitClaim

pytestmark = pytest.mark.django_db

LIST = reverse("claim-list")


def decide(claim: UnitClaim) -> str:
    return reverse("claim-decide", args=[claim.pk])


@pytest.fixture
def claim(unit: Unit, other_operator: User) -> UnitClaim:
    """``other_operator`` claims the 登峰 restaurant that ``operator`` runs."""
    return UnitClaim.objects.create(unit=unit, claimant=other_operator)


@pytest.fixture
def other_claim(other_unit: Unit, operator: User) -> UnitClaim:
    return UnitClaim.objects.create(unit=other_unit, claimant=operator)


def test_anonymous_visitor_is_sent_to_login(client: Client, claim: UnitClaim) -> None:
    assert client.get(LIST).status_code == 302
    assert client.post(decide(claim), {"decision": "approve"}).status_code == 302


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "secadmin", "auditor"])
def test_only_staff_review_claims(
    persona: str, request: pytest.FixtureRequest, claim: UnitClaim
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.post(decide(claim), {"decision": "approve"}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == "pending"


def test_street_staff_see_and_decide_only_their_streets_claims(
    street_staff: User, claim: UnitClaim, other_claim: UnitClaim
) -> None:
    client = client_for(street_staff)
    assert list(client.get(LIST).context["page"]) == [claim]
    response = client.post(decide(other_claim), {"decision": "approve"})
    assert response.status_code == 404
    other_claim.refresh_from_db()
    assert other_claim.status == "pending"


def test_pending_claims_come_first(
    district_staff: User, claim: UnitClaim, other_claim: UnitClaim, operator: User
) -> None:
    UnitClaim.objects.filter(pk=other_claim.pk).update(status="rejected", note="材料不全")
    newer = UnitClaim.objects.create(unit=other_claim.unit, claimant=operator)
    claims = list(client_for(district_staff).get(LIST).context["page"])
    assert claims == [newer, claim, other_claim]


def test_approving_makes_the_claimant_the_operator(
    district_staff: User, claim: UnitClaim, other_operator: User
) -> None:
    response = english(district_staff).post(
        decide(claim), {"decision": "approve", "note": "核验营业执照"}, follow=True
    )
    assert "The claim was approved" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.note) == (
        "approved",
        district_staff,
        "核验营业执照",
    )
    assert Unit.objects.get(pk=claim.unit_id).owner == other_operator


def test_rejecting_needs_a_note(district_staff: User, claim: UnitClaim, operator: User) -> None:
    client = english(district_staff)
    response = client.post(decide(claim), {"decision": "reject", "note": ""}, follow=True)
    assert "Give the reason for rejecting the claim." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "pending"
    client.post(decide(claim), {"decision": "reject", "note": "非本单位人员"})
    claim.refresh_from_db()
    assert claim.status == "rejected"
    assert Unit.objects.get(pk=claim.unit_id).owner == operator


def test_a_claim_decided_twice_fails_cleanly(
    district_staff: User, street_staff: User, claim: UnitClaim, other_operator: User
) -> None:
    english(district_staff).post(decide(claim), {"decision": "approve"})
    response = english(street_staff).post(
        decide(claim), {"decision": "reject", "note": "晚了一步"}, follow=True
    )
    assert "Someone else changed this record" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "approved"
    assert Unit.objects.get(pk=claim.unit_id).owner == other_operator


def test_the_claim_list_is_decidable_without_javascript(
    district_staff: User, claim: UnitClaim
) -> None:
    content = client_for(district_staff).get(LIST).content.decode()
    assert f'action="{decide(claim)}"' in content
    assert 'name="decision" value="approve"' in content
    assert "onclick" not in content
