"""The rights-protection network on the public home page (issue 21 item 4; the page has no map):
a block of the active points per street with each street's coverage, linked to the public list of
points; no contact person or phone; registered through the core's home-page registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from lyushunkou.home_blocks import BLOCKS
from lyushunkou.models import Jurisdiction, User
from tests.areas.helpers import community, point

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def front() -> str:
    return Client().get(reverse("home")).content.decode()


def block(html: str) -> str:
    start = html.index('data-testid="front-network"')
    return html[start : html.index("</section>", start)]


def test_areas_registers_one_home_block() -> None:
    assert [b.key for b in BLOCKS].count("areas-network") == 1


def test_the_core_names_no_app_above_it_in_the_block_registry() -> None:
    for name in ("lyushunkou/home_blocks.py", "lyushunkou/templatetags/home_blocks.py"):
        assert "areas" not in (ROOT / name).read_text(encoding="utf-8")


def test_without_points_the_home_page_has_no_network_block() -> None:
    assert 'data-testid="front-network"' not in front()


def test_the_block_lists_each_streets_points_and_links_to_the_public_list(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    first, second = community(dengfeng), community(dengfeng)
    point(first, district_staff)
    point(first, district_staff, name="第二联络点")
    community(desheng)
    html = block(front())
    url = reverse("areas-network-public")
    assert f'href="{url}" data-testid="front-network-link"' in html
    assert f'href="{url}?street={dengfeng.code}"' in html
    assert f'data-street="{desheng.code}"' in html  # communities, no point yet
    assert second.street_id == dengfeng.pk


def test_the_block_counts_points_and_coverage_in_english(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    first = community(dengfeng)
    community(dengfeng)
    point(first, district_staff)
    point(first, district_staff, name="第二联络点")
    community(desheng)
    client = Client()
    client.cookies["django_language"] = "en"
    html = block(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    start = html.index(f'data-street="{dengfeng.code}"')
    row = html[start : html.index("</li>", start)]
    assert "2 points" in row and "coverage 50.0%" in row
    assert "1 of 3 communities and villages have one." in html


def test_inactive_points_are_not_counted(district_staff: User, dengfeng: Jurisdiction) -> None:
    gone = point(community(dengfeng), district_staff)
    gone.active = False
    gone.save(update_fields=["active"])
    assert 'data-testid="front-network"' not in front()


def test_the_block_shows_no_contact_person_or_phone(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    point(community(dengfeng), district_staff)
    html = block(front())
    assert "王联络" not in html
    assert "13912345678" not in html and "1391234" not in html


def test_the_block_takes_the_same_queries_however_many_points(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    point(community(dengfeng), district_staff)
    front()
    with CaptureQueriesContext(connection) as before:
        front()
    for street in (dengfeng, desheng):
        for _n in range(3):
            point(community(street), district_staff)
    with CaptureQueriesContext(connection) as after:
        front()
    assert len(after) == len(before)
