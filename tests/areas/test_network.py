"""The rights-protection network's pages (issue 21 item 2): points listed and edited by staff of
their scope, coverage per street, and the public list without personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from areas.models import Community, NetworkPoint
from areas.network import coverage_by_street
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.areas.helpers import community, point
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

POINTS = reverse("areas-points")
NEW = reverse("areas-point-new")
COMMUNITIES = reverse("areas-communities")
PUBLIC = reverse("areas-network-public")


def edit(pk: int) -> str:
    return reverse("areas-point-edit", kwargs={"pk": pk})


def form(where: Community, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "liaison",
        "name": "黄河路社区消费维权联络站",
        "community": where.pk,
        "contact_person": "王联络",
        "contact_phone": "13912345678",
        "opening_hours": "周一至周五 8:30-17:00",
        "active": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def huanghe(dengfeng: Jurisdiction) -> Community:
    return community(dengfeng, "黄河路社区")


@pytest.fixture
def desheng_village(desheng: Jurisdiction) -> Community:
    return community(desheng, "得胜村")


# --- Coverage -------------------------------------------------------------------------------------


def test_coverage_counts_communities_with_an_active_point(
    dengfeng: Jurisdiction, huanghe: Community, street_staff: User
) -> None:
    point(huanghe, street_staff)
    point(huanghe, street_staff, name="第二个联络点")
    community(dengfeng)
    coverage = coverage_by_street()[dengfeng.pk]
    assert (coverage.covered, coverage.communities) == (1, 2)
    assert coverage.percent == "50.0%"


def test_an_inactive_community_is_not_in_the_denominator(
    dengfeng: Jurisdiction, huanghe: Community, street_staff: User
) -> None:
    point(huanghe, street_staff)
    Community.objects.filter(pk=community(dengfeng).pk).update(active=False)
    assert coverage_by_street()[dengfeng.pk].value == 1


# --- Staff pages ----------------------------------------------------------------------------------


def test_street_staff_add_a_point_in_their_street(street_staff: User, huanghe: Community) -> None:
    response = client_for(street_staff).post(NEW, form(huanghe))
    assert response.status_code == 302
    added = NetworkPoint.objects.get()
    assert added.community == huanghe
    assert added.created_by == street_staff
    assert AuditEvent.objects.filter(action="areas.point_created", actor=street_staff).exists()


def test_street_staff_cannot_add_a_point_in_another_street(
    street_staff: User, desheng_village: Community
) -> None:
    response = client_for(street_staff).post(NEW, form(desheng_village))
    assert response.status_code == 400
    assert not NetworkPoint.objects.exists()


def test_a_station_names_its_unit_by_credit_code(
    street_staff: User, huanghe: Community, unit: Unit
) -> None:
    client = client_for(street_staff)
    response = client.post(NEW, form(huanghe, kind="station", unit_credit_code=unit.credit_code))
    assert response.status_code == 302
    assert NetworkPoint.objects.get().unit == unit


def test_a_unit_outside_the_staff_members_street_is_refused(
    street_staff: User, huanghe: Community, other_unit: Unit
) -> None:
    response = client_for(street_staff).post(
        NEW, form(huanghe, kind="station", unit_credit_code=other_unit.credit_code)
    )
    assert response.status_code == 400
    assert "unit_credit_code" in response.context["form"].errors


def test_only_a_station_names_a_unit(street_staff: User, huanghe: Community, unit: Unit) -> None:
    response = client_for(street_staff).post(
        NEW, form(huanghe, kind="liaison", unit_credit_code=unit.credit_code)
    )
    assert response.status_code == 400
    assert "unit_credit_code" in response.context["form"].errors


def test_coordinates_come_in_pairs(street_staff: User, huanghe: Community) -> None:
    response = client_for(street_staff).post(NEW, form(huanghe, latitude="38.81"))
    assert response.status_code == 400
    assert not NetworkPoint.objects.exists()


def test_staff_change_a_point_and_a_stale_form_is_refused(
    street_staff: User, district_staff: User, huanghe: Community
) -> None:
    found = point(huanghe, street_staff)
    first = client_for(street_staff).post(
        edit(found.pk), form(huanghe, opening_hours="每天 9:00-18:00", version=1)
    )
    assert first.status_code == 302
    stale = client_for(district_staff).post(edit(found.pk), form(huanghe, version=1))
    assert stale.status_code == 409
    found.refresh_from_db()
    assert found.opening_hours == "每天 9:00-18:00"
    assert found.version == 2


def test_staff_of_another_street_get_a_404_for_the_point(
    desheng_staff: User, street_staff: User, huanghe: Community
) -> None:
    found = point(huanghe, street_staff)
    assert client_for(desheng_staff).get(edit(found.pk)).status_code == 404


def test_leaders_read_the_list_but_cannot_edit(
    leader: User, street_staff: User, huanghe: Community
) -> None:
    found = point(huanghe, street_staff)
    client = client_for(leader)
    response = client.get(POINTS)
    assert response.status_code == 200
    assert found.name in response.content.decode()
    assert b'data-testid="point-new"' not in response.content
    assert client.get(edit(found.pk)).status_code == 403
    assert client.get(NEW).status_code == 403


def test_street_staff_list_only_their_streets_points(
    street_staff: User, district_staff: User, huanghe: Community, desheng_village: Community
) -> None:
    point(huanghe, street_staff)
    point(desheng_village, district_staff)
    response = client_for(street_staff).get(POINTS)
    assert [p.community for p in response.context["page"]] == [huanghe]
    assert [row.place.name for row in response.context["coverage_rows"]] == ["登峰街道"]


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "auditor"])
def test_other_roles_are_refused_the_staff_pages(
    persona: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url in (POINTS, NEW, COMMUNITIES):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    for url in (POINTS, NEW, COMMUNITIES):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_points_list_takes_the_same_queries_however_many_points(
    district_staff: User, dengfeng: Jurisdiction, django_assert_max_num_queries: Any
) -> None:
    client = client_for(district_staff)
    client.get(POINTS)
    for _n in range(12):
        point(community(dengfeng), district_staff)
    with django_assert_max_num_queries(10):
        response = client.get(POINTS)
    assert len(response.context["page"]) == 12


def test_the_communities_list_shows_which_lack_a_point(
    district_staff: User,
    dengfeng: Jurisdiction,
    huanghe: Community,
    django_assert_max_num_queries: Any,
) -> None:
    point(huanghe, district_staff)
    bare = community(dengfeng, "长江路社区")
    client = client_for(district_staff)
    with django_assert_max_num_queries(10):
        response = client.get(COMMUNITIES, {"uncovered": "1"})
    assert [c.code for c in response.context["page"]] == [bare.code]
    assert b'data-testid="community-import"' in response.content


def test_street_staff_see_no_import_link(street_staff: User) -> None:
    response = client_for(street_staff).get(COMMUNITIES)
    assert b'data-testid="community-import"' not in response.content


# --- The public list ------------------------------------------------------------------------------


def test_the_public_list_shows_no_contact_person_and_a_masked_phone(
    client: Client, street_staff: User, huanghe: Community
) -> None:
    point(huanghe, street_staff)
    content = client.get(PUBLIC).content.decode()
    assert "黄河路社区消费维权联络站" in content
    assert "王联络" not in content
    assert "13912345678" not in content
    assert "139****5678" in content


def test_the_public_list_leaves_out_inactive_points(
    client: Client, street_staff: User, huanghe: Community
) -> None:
    point(huanghe, street_staff, name="已撤销联络点", active=False)
    assert "已撤销联络点" not in client.get(PUBLIC).content.decode()


def test_the_public_list_filters_by_street(
    client: Client, street_staff: User, huanghe: Community, desheng_village: Community
) -> None:
    point(huanghe, street_staff)
    point(desheng_village, street_staff)
    response = client.get(PUBLIC, {"street": "210212003000"})
    assert [p.community for p in response.context["points"]] == ["得胜村"]


def test_the_public_directory_links_to_the_network(client: Client) -> None:
    content = client.get(reverse("directory")).content.decode()
    assert f'href="{PUBLIC}"' in content
