"""The rights-protection network on the public home page (issue 21 item 2): a block of the active
points per street with each street's coverage, linked to the public list of points, and a map of
the points with coordinates on the streets' uploaded outlines, with the same points as a table; no
contact person or phone; registered through the core's home-page registry."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from areas import extensions
from areas.models import NetworkPoint
from lyushunkou.home_blocks import BLOCKS
from lyushunkou.models import Jurisdiction, User
from tests.areas.helpers import community, point
from tests.helpers import english

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
    client = english(Client())
    html = block(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    start = html.index(f'data-street="{dengfeng.code}"')
    row = html[start : html.index("</li>", start)]
    assert "2 points" in row
    assert "coverage 50.0%" in row
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
    assert "13912345678" not in html
    assert "1391234" not in html


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


# --- The map --------------------------------------------------------------------------------------

SQUARE = [[121.2, 38.8], [121.3, 38.8], [121.3, 38.9], [121.2, 38.9], [121.2, 38.8]]


def placed(where: Any, staff: User, n: int = 1, **extra: Any) -> NetworkPoint:
    return point(
        where,
        staff,
        name=extra.pop("name", f"{where.name}联络站{n}"),
        latitude=Decimal("38.812345") + n,
        longitude=Decimal("121.261234"),
        **extra,
    )


def map_data(html: str) -> dict[str, Any]:
    start = html.index('<script id="network-map-data" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)  # type: ignore[no-any-return]


def test_points_with_coordinates_are_drawn_by_kind(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    where = community(dengfeng, "黄河路社区")
    placed(where, district_staff, name="黄河路社区联络站")
    placed(where, district_staff, 2, name="区消协", kind=NetworkPoint.Kind.ASSOCIATION)
    data = map_data(front())
    layers = {layer["kind"]: layer["points"] for layer in data["layers"]}
    assert layers["liaison"] == [[121.261234, 39.812345, "黄河路社区联络站", "黄河路社区"]]
    assert layers["association"] == [[121.261234, 40.812345, "区消协", "黄河路社区"]]
    assert layers["station"] == []


def test_a_point_without_coordinates_is_counted_not_drawn(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    where = community(dengfeng)
    placed(where, district_staff)
    point(where, district_staff, name="无坐标联络站")
    html = front()
    assert "无坐标联络站" not in json.dumps(map_data(html), ensure_ascii=False)
    assert 'data-testid="front-network-map-note"' in html
    with translation.override("en"):
        context = extensions.home_network(RequestFactory().get("/"))
    assert context is not None
    assert context["map_unplaced"] == 1


def test_without_coordinates_there_is_no_map_but_the_list(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    point(community(dengfeng), district_staff)
    html = block(front())
    assert 'data-testid="front-network-map"' not in html
    assert "network-map-data" not in html
    assert f'data-street="{dengfeng.code}"' in html


def test_the_map_is_labelled_and_listed_as_a_table(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    placed(community(dengfeng, "太阳沟社区"), district_staff, name="太阳沟联络站")
    html = front()
    start = html.index('data-testid="front-network-map-block"')
    map_block = html[start : html.index("</details>", start)]
    assert 'role="img" aria-labelledby="network-map-title"' in map_block
    assert 'id="network-map-title"' in map_block
    table = map_block[map_block.index('data-testid="front-network-map-table"') :]
    assert "<td>太阳沟联络站</td>" in table
    assert "<td>太阳沟社区</td>" in table


def test_the_map_shows_no_contact_person_or_phone(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    placed(community(dengfeng), district_staff)
    text = json.dumps(map_data(front()), ensure_ascii=False)
    assert "王联络" not in text
    assert "1391234" not in text


def test_the_map_scripts_are_static_files_with_no_inline_script(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    placed(community(dengfeng), district_staff)
    html = block(front())
    assert '<script src="/static/areas/network_map.js" defer></script>' in html
    assert html.count("<script") == 3  # the data (JSON), ECharts, the map's script


def test_uploaded_outlines_are_drawn_and_their_absence_said(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    placed(community(dengfeng), district_staff)
    with translation.override("en"):
        context = extensions.home_network(RequestFactory().get("/"))
    assert context is not None
    assert context["map"]["outlines"]["features"] == []
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(
        boundary={"type": "Polygon", "coordinates": [SQUARE]}
    )
    features = map_data(front())["outlines"]["features"]
    assert [f["properties"]["code"] for f in features] == [dengfeng.code]
    assert features[0]["geometry"] == {"type": "Polygon", "coordinates": [SQUARE]}


def test_the_map_draws_at_most_its_limit_and_says_how_many_more(
    district_staff: User, dengfeng: Jurisdiction, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extensions, "MAP_LIMIT", 2)
    where = community(dengfeng)
    for n in range(3):
        placed(where, district_staff, n)
    placed(where, district_staff, 9, name="区消协", kind=NetworkPoint.Kind.ASSOCIATION)
    data = map_data(front())
    layers = {layer["kind"]: layer["points"] for layer in data["layers"]}
    assert [p[2] for p in layers["association"]] == ["区消协"]  # the offices first
    assert len(layers["liaison"]) == 1
    with translation.override("en"):
        context = extensions.home_network(RequestFactory().get("/"))
    assert context is not None
    assert context["map_more"] == 2


def test_the_block_reads_four_queries_with_the_map(
    district_staff: User,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    django_assert_num_queries: Any,
) -> None:
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(
        boundary={"type": "Polygon", "coordinates": [SQUARE]}
    )
    for street in (dengfeng, desheng):
        for n in range(3):
            placed(community(street), district_staff, n)
    request = RequestFactory().get("/")
    # Points per street; coverage per street; the streets with their outlines; the map's points.
    with django_assert_num_queries(4):
        context = extensions.home_network(request)
    assert context is not None
    assert len(context["map_points"]) == 6
