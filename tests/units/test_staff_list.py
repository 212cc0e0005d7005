"""The staff unit list: who reaches it, what each role sees, the filters, and its query count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.helpers import english, make_unit
from units.models import Commitment, ServiceStation, Unit

pytestmark = pytest.mark.django_db

LIST = reverse("unit-list")


def names(client: Client, query: str = "") -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {unit.name for unit in response.context["page"]}


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(LIST).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


@pytest.mark.parametrize("persona", ["district_staff", "leader"])
def test_district_wide_users_see_every_street(
    persona: str, request: pytest.FixtureRequest, unit: Unit, other_unit: Unit
) -> None:
    assert names(client_for(request.getfixturevalue(persona))) == {unit.name, other_unit.name}


def test_street_staff_see_only_their_street(
    street_staff: User, unit: Unit, other_unit: Unit
) -> None:
    assert names(client_for(street_staff)) == {unit.name}


def test_street_staff_cannot_widen_the_scope_with_the_jurisdiction_filter(
    street_staff: User, unit: Unit, other_unit: Unit
) -> None:
    client = client_for(street_staff)
    assert other_unit.name not in names(client, f"jurisdiction={other_unit.jurisdiction_id}")


def test_the_phone_is_masked_and_the_name_links_to_the_detail(
    district_staff: User, unit: Unit
) -> None:
    content = client_for(district_staff).get(LIST).content.decode()
    assert "138****5678" in content
    assert "13812345678" not in content
    assert reverse("unit-detail", args=[unit.pk]) in content


def test_only_staff_get_the_import_button(district_staff: User, leader: User) -> None:
    staff_page = client_for(district_staff).get(LIST).content.decode()
    leader_page = client_for(leader).get(LIST).content.decode()
    assert reverse("unit-import") in staff_page
    assert reverse("unit-import") not in leader_page
    assert reverse("unit-export", args=["xlsx"]) in leader_page


def test_filters_by_jurisdiction_industry_and_statuses(
    district_staff: User, unit: Unit, other_unit: Unit
) -> None:
    client = client_for(district_staff)
    assert names(client, f"jurisdiction={unit.jurisdiction_id}") == {unit.name}
    assert names(client, "industry=retail") == {other_unit.name}
    Unit.objects.filter(pk=other_unit.pk).update(business_status="suspended")
    assert names(client, "business_status=suspended") == {other_unit.name}
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status="approved", certificate_no="LSK-1", certified_until="2030-01-01"
    )
    assert names(client, "demonstration_status=approved") == {unit.name}
    assert names(client, "demonstration_status=none") == {other_unit.name}


def test_filters_by_commitment_in_force_and_station(
    district_staff: User, unit: Unit, other_unit: Unit
) -> None:
    Commitment.objects.create(unit=unit, kind="first_ask", content="首问负责")
    Commitment.objects.create(unit=other_unit, kind="first_ask", content="首问负责", active=False)
    ServiceStation.objects.create(
        unit=other_unit, contact_person="王五", phone="13900002222", hours="9-17", location="前台"
    )
    client = client_for(district_staff)
    assert names(client, "commitment=first_ask") == {unit.name}
    assert names(client, "commitment=return") == set()
    assert names(client, "has_station=yes") == {other_unit.name}
    assert names(client, "has_station=no") == {unit.name}


def test_text_search_on_name_and_normalised_credit_code_prefix(
    district_staff: User, unit: Unit, other_unit: Unit
) -> None:
    client = client_for(district_staff)
    assert names(client, "q=海鲜") == {unit.name}
    # A lower-case, spaced, full-width prefix of the code still finds the unit.
    prefix = other_unit.credit_code[:10].lower()
    pasted = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in prefix)
    assert names(client, f"q={pasted[:4]} {pasted[4:]}") == {other_unit.name}


def test_empty_state_is_explained(district_staff: User) -> None:
    response = english(district_staff).get(f"{LIST}?q=不存在的单位")
    assert "No units match these filters" in response.content.decode()


def test_pagination_keeps_the_filters(district_staff: User, dengfeng: Jurisdiction) -> None:
    for seed in range(55):
        make_unit(dengfeng, seed)
    response = client_for(district_staff).get(f"{LIST}?industry=retail")
    assert len(response.context["page"]) == 50
    next_query = response.context["page"].next_query  # keyset: ?industry=retail&after=<cursor>
    assert next_query.startswith("industry=retail&after=")
    assert f'href="?{escape(next_query)}"' in response.content.decode()
    second = client_for(district_staff).get(f"{LIST}?{next_query}")
    assert len(second.context["page"]) == 5


def test_the_list_costs_the_same_queries_however_many_units(
    district_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    django_assert_max_num_queries: object,
) -> None:
    for seed in range(60):
        unit = make_unit(dengfeng if seed % 2 else desheng, seed)
        if seed % 3 == 0:
            ServiceStation.objects.create(
                unit=unit, contact_person="甲", phone="13900003333", hours="全天", location="门口"
            )
    client = client_for(district_staff)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(f"{LIST}?has_station=no&q=测试")
    assert response.status_code == 200
    assert len(response.context["page"]) == 40
