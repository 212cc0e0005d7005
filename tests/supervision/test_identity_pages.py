"""The identity-match pages (issue 19 item 4): staff of the new unit's street see the match and
why and decide it; leaders read; nobody else reaches them."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.urls import reverse

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from supervision.models import IdentityMatch, MatchState
from tests.conftest import client_for, make_user
from units import services
from units.models import DemonstrationStatus, Unit

pytestmark = pytest.mark.django_db
_codes = random.Random(4190)


@pytest.fixture
def revoked(unit: Unit) -> Unit:
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status=DemonstrationStatus.REVOKED,
        certificate_no="LSK-FXXF-2025-00007",
        certified_until=dt.date(2026, 2, 28),
    )
    unit.refresh_from_db()
    return unit


def flagged(by: User, jurisdiction: Jurisdiction, **fields: Any) -> Unit:
    """A unit entered by staff with the revoked unit's legal representative."""
    return services.unit_create(
        by=by,
        **{
            "credit_code": generate_credit_code(_codes),
            "name": "新开海鲜酒家",
            "industry": "catering",
            "address": "旅顺口区某街道长城路9号",
            "jurisdiction": jurisdiction,
            "legal_representative": "张三",
            **fields,
        },
    )


@pytest.fixture
def match(revoked: Unit, dengfeng: Jurisdiction, district_staff: User) -> IdentityMatch:
    return IdentityMatch.objects.get(unit=flagged(district_staff, dengfeng))


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", Role.STAFF, desheng, full_name="得胜所人员壬")


def test_street_staff_see_the_match_and_why(match: IdentityMatch, street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("identity-list"))
    assert response.status_code == 200
    assert [m.pk for m in response.context["matches"]] == [match.pk]
    detail = client_for(street_staff).get(reverse("identity-detail", args=[match.pk]))
    assert detail.context["match"].reason_rows[0]["value"] == "张三"
    assert b'data-testid="clear-form"' in detail.content


def test_staff_of_another_street_neither_list_nor_open_the_match(
    match: IdentityMatch, desheng_staff: User
) -> None:
    client = client_for(desheng_staff)
    assert client.get(reverse("identity-list")).context["matches"] == []
    assert client.get(reverse("identity-detail", args=[match.pk])).status_code == 404


def test_leaders_read_the_match_without_deciding_it(match: IdentityMatch, leader: User) -> None:
    client = client_for(leader)
    detail = client.get(reverse("identity-detail", args=[match.pk]))
    assert detail.status_code == 200
    assert detail.context["confirm_form"] is None
    assert detail.context["clear_form"] is None
    url = reverse("identity-action", args=[match.pk, "confirm"])
    assert client.post(url, {"confirm-note": ""}).status_code == 403


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "auditor"])
def test_other_roles_are_refused(
    match: IdentityMatch, persona: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("identity-list")).status_code == 403
    assert client.get(reverse("identity-detail", args=[match.pk])).status_code == 403


def test_clearing_on_the_page_without_a_note_is_refused_naming_the_field(
    match: IdentityMatch, street_staff: User
) -> None:
    url = reverse("identity-action", args=[match.pk, "clear"])
    response = client_for(street_staff).post(url, {"clear-note": ""})
    assert response.status_code == 400
    assert "note" in response.context["clear_form"].errors
    match.refresh_from_db()
    assert match.state == MatchState.OPEN


def test_staff_confirm_a_match_on_the_page(match: IdentityMatch, street_staff: User) -> None:
    url = reverse("identity-action", args=[match.pk, "confirm"])
    response = client_for(street_staff).post(url, {"confirm-note": "同一经营者"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.state, match.decided_by, match.note) == ("confirmed", street_staff, "同一经营者")


def test_the_list_shows_decided_matches_on_request(
    match: IdentityMatch, street_staff: User
) -> None:
    client = client_for(street_staff)
    client.post(reverse("identity-action", args=[match.pk, "clear"]), {"clear-note": "同名"})
    assert client.get(reverse("identity-list")).context["matches"] == []
    cleared = client.get(reverse("identity-list"), {"state": "cleared"}).context["matches"]
    assert [m.pk for m in cleared] == [match.pk]


def test_an_unknown_state_filter_answers_400(street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("identity-list"), {"state": "maybe"})
    assert response.status_code == 400


def test_staff_record_a_previous_credit_code_and_the_unit_is_checked_again(
    revoked: Unit, dengfeng: Jurisdiction, street_staff: User
) -> None:
    fresh = flagged(street_staff, dengfeng, legal_representative="孙七")
    assert not IdentityMatch.objects.filter(unit=fresh).exists()
    response = client_for(street_staff).post(
        reverse("identity-previous-code"),
        {"code-credit_code": fresh.credit_code, "code-previous_credit_code": revoked.credit_code},
    )
    assert response.status_code == 302
    assert IdentityMatch.objects.get(unit=fresh).matched_unit == revoked


def test_a_previous_code_for_a_unit_outside_the_scope_is_refused_naming_the_field(
    other_unit: Unit, revoked: Unit, street_staff: User
) -> None:
    response = client_for(street_staff).post(
        reverse("identity-previous-code"),
        {
            "code-credit_code": other_unit.credit_code,
            "code-previous_credit_code": revoked.credit_code,
        },
    )
    assert response.status_code == 400
    assert "credit_code" in response.context["code_form"].errors


def test_the_list_costs_the_same_queries_with_more_matches(
    revoked: Unit,
    dengfeng: Jurisdiction,
    district_staff: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        flagged(district_staff, dengfeng)
    client = client_for(district_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("identity-list"))
    assert len(response.context["matches"]) == 12
