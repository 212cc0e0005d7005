"""The public side of the programme: plaque pages, printable plaques, QR codes and the directory.

Units are made demonstration units by driving the real services, as staff would.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from typing import Any

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import Jurisdiction, User
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.units.helpers import certify, meet_standard
from units import services
from units.models import Unit

pytestmark = pytest.mark.django_db

STATION_PHONE = "0411-86612315"


def approve(
    unit: Unit,
    *,
    operator: User,
    staff: User,
    valid_from: dt.date | None = None,
    valid_days: int = services.CERTIFICATE_VALIDITY_DAYS,
    station: bool = True,
) -> Unit:
    """Take ``unit`` through the whole application workflow to an approved certificate."""
    services.commitment_save(
        unit=unit,
        by=operator,
        kind="return",
        content="七日无理由退货",
        return_days=7,
        return_scope="除生鲜食品外的商品",
    )
    services.commitment_save(unit=unit, by=operator, kind="first_ask", content="首问负责，不推诿")
    if station:
        services.station_save(
            unit=unit,
            by=operator,
            contact_person="赵站长",
            phone=STATION_PHONE,
            hours="9:00-17:00",
            location="一楼服务台",
        )
    app = services.application_create(
        unit=unit,
        by=operator,
        year=2026,
        statement="五放心自评",
        commitments_confirmed=True,
    )
    app = services.application_submit(application=app, by=operator, version=app.version)
    meet_standard(unit, staff, operator)  # the standard asks for a station to approve
    app = services.application_start_review(application=app, by=staff, version=app.version)
    app = services.application_to_onsite_check(application=app, by=staff, version=app.version)
    app = services.application_approve(
        application=app,
        by=staff,
        version=app.version,
        valid_from=valid_from,
        valid_days=valid_days,
    )
    certify(app, staff)  # after the public notice, with no objection
    if not station:  # a unit whose station closed after approval
        services.station_save(unit=unit, by=operator, active=False)
    unit.refresh_from_db()
    return unit


@pytest.fixture
def approved(unit: Unit, operator: User, district_staff: User) -> Unit:
    return approve(unit, operator=operator, staff=district_staff)


def plaque_path(unit: Unit) -> str:
    return reverse("plaque", args=[unit.public_id])


def status_on_page(html: str) -> str:
    match = re.search(r'<article[^>]*data-plaque-status="([a-z]+)"', html)
    assert match, "plaque page has no status"
    return match.group(1)


# --- The plaque page ---------------------------------------------------------------------------


def test_it_shows_an_approved_unit_as_valid_to_anyone(approved: Unit, client: Client) -> None:
    response = client.get(plaque_path(approved))
    assert response.status_code == 200
    html = response.content.decode()
    assert status_on_page(html) == "valid"
    assert approved.certificate_no.startswith("LSK-FXXF-2026-")
    assert approved.certificate_no in html
    assert approved.name in html
    assert approved.credit_code in html
    assert approved.jurisdiction.name in html
    assert approved.address in html
    assert approved.certified_until is not None
    assert approved.certified_until.isoformat() in html


def test_it_shows_commitments_and_the_station(approved: Unit, client: Client) -> None:
    html = client.get(plaque_path(approved)).content.decode()
    assert "七日无理由退货" in html
    assert "除生鲜食品外的商品" in html
    assert "首问负责，不推诿" in html
    # The station is a business contact that consumers need to call: shown in full.
    assert "赵站长" in html
    assert STATION_PHONE in html
    assert 'href="tel:12315"' in html


def test_it_never_shows_the_operators_personal_data(approved: Unit, client: Client) -> None:
    html = client.get(plaque_path(approved)).content.decode()
    assert approved.legal_representative not in html
    assert approved.contact_phone not in html


def test_inactive_commitments_are_not_published(
    approved: Unit, operator: User, client: Client
) -> None:
    services.commitment_save(unit=approved, by=operator, kind="first_ask", active=False)
    html = client.get(plaque_path(approved)).content.decode()
    assert "首问负责，不推诿" not in html
    assert "七日无理由退货" in html


def test_the_plaque_page_is_never_cached_stale(approved: Unit, client: Client) -> None:
    response = client.get(plaque_path(approved))
    assert "no-cache" in response["Cache-Control"]


def test_a_warned_unit_shows_a_warning(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_warn(unit=approved, by=district_staff, reason="抽检不合格")
    html = client.get(plaque_path(approved)).content.decode()
    assert status_on_page(html) == "warning"
    assert 'data-testid="plaque-alert"' in html
    assert "七日无理由退货" in html  # a warned unit keeps its plaque and its commitments


def test_a_revoked_unit_says_so_at_the_top(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_revoke(unit=approved, by=district_staff, reason="整改不到位")
    html = client.get(plaque_path(approved)).content.decode()
    assert status_on_page(html) == "revoked"
    main = html[html.index('<main id="main"') :]
    # The alert is the first thing in the page, before the unit's name heading.
    assert main.index('data-testid="plaque-alert"') < main.index('id="unit-name"')
    assert 'class="alert alert-danger' in html
    # Still recognisable, but it no longer advertises the programme's commitments.
    assert approved.name in html
    assert approved.credit_code in html
    assert "七日无理由退货" not in html
    # Issue 12: the public page says why (DESIGN.md §5, every move shown on the plaque page).
    assert "整改不到位" in html


def test_a_unit_whose_certificate_ran_out_shows_expired(
    unit: Unit, operator: User, district_staff: User, client: Client
) -> None:
    approve(
        unit,
        operator=operator,
        staff=district_staff,
        valid_from=timezone.localdate() - dt.timedelta(days=400),
    )
    assert unit.certified_until is not None
    assert unit.certified_until < timezone.localdate()
    html = client.get(plaque_path(unit)).content.decode()
    assert status_on_page(html) == "expired"
    assert 'class="alert alert-danger' in html
    assert f'<time datetime="{unit.certified_until.isoformat()}">' in html
    assert unit.name in html


def test_the_status_is_computed_when_the_page_is_opened(approved: Unit, client: Client) -> None:
    assert status_on_page(client.get(plaque_path(approved)).content.decode()) == "valid"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Unit.objects.filter(pk=approved.pk).update(certified_until=yesterday)
    assert status_on_page(client.get(plaque_path(approved)).content.decode()) == "expired"


def test_a_unit_never_approved_has_no_plaque(unit: Unit, client: Client) -> None:
    for name in ("plaque", "plaque-print"):
        assert client.get(reverse(name, args=[unit.public_id])).status_code == 404
    assert client.get(reverse("plaque-qr", args=[unit.public_id, "png"])).status_code == 404


def test_an_unknown_public_id_is_not_found(approved: Unit, client: Client) -> None:
    assert client.get(reverse("plaque", args=["nosuchunit00"])).status_code == 404
    assert client.get(reverse("plaque-print", args=["nosuchunit00"])).status_code == 404
    assert client.get(reverse("plaque-qr", args=["nosuchunit00", "svg"])).status_code == 404


def test_logged_in_users_see_the_same_plaque(
    approved: Unit, other_operator: User, street_staff: User
) -> None:
    for user in (other_operator, street_staff):
        response = client_for(user).get(plaque_path(approved))
        assert response.status_code == 200
        assert status_on_page(response.content.decode()) == "valid"


# --- The printable plaque ------------------------------------------------------------------------


def test_the_printable_plaque_has_title_number_validity_qr_and_issuer(
    approved: Unit, client: Client
) -> None:
    response = client.get(reverse("plaque-print", args=[approved.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plaque-title"' in html
    assert approved.name in html
    assert approved.certificate_no in html
    assert approved.certified_until is not None
    assert approved.certified_until.isoformat() in html
    assert "<svg" in html
    assert 'role="img" aria-label=' in html
    assert "http://testserver" + plaque_path(approved) in html
    assert "css/plaque.css" in html
    assert "<script" not in html  # printing needs no script; a strict CSP is coming
    assert " onclick" not in html


def test_the_inline_qr_on_the_printable_plaque_encodes_the_plaque_url(
    approved: Unit, client: Client
) -> None:
    html = client.get(reverse("plaque-print", args=[approved.public_id])).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg
    url = "http://testserver" + plaque_path(approved)
    assert svg_matrix(svg.group(0)) == expected_matrix(url)


def test_the_printable_plaque_comes_in_a5(approved: Unit, client: Client) -> None:
    html = client.get(reverse("plaque-print", args=[approved.public_id]) + "?size=a5").content
    assert b"plaque--a5" in html


def test_a_revoked_unit_cannot_print_a_plaque(
    approved: Unit, district_staff: User, client: Client
) -> None:
    services.unit_revoke(unit=approved, by=district_staff, reason="整改不到位")
    response = client.get(reverse("plaque-print", args=[approved.public_id]))
    assert response.status_code == 302
    assert response["Location"] == plaque_path(approved)


# --- QR codes ------------------------------------------------------------------------------------


def expected_matrix(url: str) -> list[list[int]]:
    return [list(row) for row in segno.make(url, error="m").matrix]


def svg_matrix(svg: str) -> list[list[int]]:
    """Read the modules back out of segno's SVG path: ``M x y`` / ``m dx dy`` / ``h n``."""
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    width = re.search(r'width="(\d+)"', svg)
    scale_attr = re.search(r'transform="scale\((\d+)\)"', svg)
    scale = int(scale_attr.group(1)) if scale_attr else 1
    size = int(viewbox.group(1)) if viewbox else int(width.group(1)) // scale  # type: ignore[union-attr]
    path = re.search(r' d="([^"]+)"', svg)
    assert path
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([-\d. ]+)", path.group(1)):
        numbers = [float(a) for a in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            length = numbers[0] if command == "h" else numbers[0] - x
            for column in range(int(x), int(x + length)):
                grid[int(y)][column] = 1
            x += length
    return strip_quiet_zone(grid)


def png_matrix(data: bytes) -> list[list[int]]:
    """Decode segno's PNG (no imaging library needed) and sample the centre of every module."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) in {(1, 0), (1, 3)}, "expected a 1-bit image"
    raw = zlib.decompress(chunks)
    stride = (width + 7) // 8
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for r in range(height):
        filter_type = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - 1] if i else 0
            up, up_left = previous[i], previous[i - 1] if i else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line

    def bit(x: int, y: int) -> int:
        return (rows[y][x // 8] >> (7 - x % 8)) & 1

    # segno writes dark as 0 in greyscale (black) and index 0 in a palette: dark = bit 0.
    dark_value = 0
    modules = width // 10  # QR_PNG_SCALE
    scale = width // modules
    grid = [
        [
            int(bit(c * scale + scale // 2, r * scale + scale // 2) == dark_value)
            for c in range(modules)
        ]
        for r in range(modules)
    ]
    return strip_quiet_zone(grid)


def strip_quiet_zone(grid: list[list[int]], border: int = 4) -> list[list[int]]:
    assert all(not any(row) for row in grid[:border] + grid[-border:])
    assert all(not any(row[:border]) and not any(row[-border:]) for row in grid)
    return [row[border:-border] for row in grid[border:-border]]


def test_the_svg_qr_code_encodes_the_plaque_url(approved: Unit, client: Client) -> None:
    response = client.get(reverse("plaque-qr", args=[approved.public_id, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        f'inline; filename="plaque-{approved.public_id}.svg"'
    )
    assert "max-age" in response["Cache-Control"]
    url = "http://testserver" + plaque_path(approved)
    assert svg_matrix(response.content.decode()) == expected_matrix(url)


def test_the_png_qr_code_encodes_the_plaque_url(approved: Unit, client: Client) -> None:
    response = client.get(reverse("plaque-qr", args=[approved.public_id, "png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'inline; filename="plaque-{approved.public_id}.png"'
    )
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    url = "http://testserver" + plaque_path(approved)
    assert png_matrix(response.content) == expected_matrix(url)


def test_an_unknown_qr_format_is_not_found(approved: Unit, client: Client) -> None:
    assert client.get(reverse("plaque-qr", args=[approved.public_id, "gif"])).status_code == 404


def test_the_public_base_url_is_what_the_qr_code_points_to(
    approved: Unit, client: Client, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://fxxf.lvshun.gov.cn"
    url = "https://fxxf.lvshun.gov.cn" + plaque_path(approved)
    png = client.get(reverse("plaque-qr", args=[approved.public_id, "png"])).content
    assert png_matrix(png) == expected_matrix(url)
    html = client.get(reverse("plaque-print", args=[approved.public_id])).content.decode()
    assert url in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg
    assert svg_matrix(svg.group(0)) == expected_matrix(url)


# --- The directory -------------------------------------------------------------------------------


DIRECTORY = reverse("directory")


@pytest.fixture
def programme(
    unit: Unit,
    other_unit: Unit,
    operator: User,
    other_operator: User,
    district_staff: User,
    dengfeng: Jurisdiction,
) -> dict[str, Unit]:
    """A valid restaurant in 登峰 (``unit``), a valid shop in 得胜 (``other_unit``), a warned, a
    revoked, an expired and a never-approved unit."""
    approve(unit, operator=operator, staff=district_staff)
    approve(other_unit, operator=other_operator, staff=district_staff, station=False)
    warned = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="预警超市"),
        operator=operator,
        staff=district_staff,
    )
    services.unit_warn(unit=warned, by=district_staff, reason="价格标示不规范")
    revoked = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="撤销商店"),
        operator=operator,
        staff=district_staff,
    )
    services.unit_revoke(unit=revoked, by=district_staff, reason="整改不到位")
    expired = approve(
        UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="过期商店"),
        operator=operator,
        staff=district_staff,
        valid_from=timezone.localdate() - dt.timedelta(days=366),
    )
    never = UnitFactory.create(jurisdiction=dengfeng, owner=operator, name="普通商店")
    return {
        "valid": unit,
        "other": other_unit,
        "warned": warned,
        "revoked": revoked,
        "expired": expired,
        "never": never,
    }


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/u/([^/"]+)/"', html))


def test_the_directory_lists_only_units_valid_today(
    programme: dict[str, Unit], client: Client
) -> None:
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    ids = listed(response.content.decode())
    assert ids == {programme[k].public_id for k in ("valid", "other", "warned")}


def test_the_directory_shows_a_warned_unit_with_its_badge(
    programme: dict[str, Unit], client: Client
) -> None:
    html = client.get(DIRECTORY).content.decode()
    assert html.count('data-plaque-status="warning"') == 1
    assert html.count('data-plaque-status="valid"') == 2


def test_the_directory_filters_by_jurisdiction(
    programme: dict[str, Unit], client: Client, desheng: Jurisdiction
) -> None:
    html = client.get(DIRECTORY, {"jurisdiction": desheng.code}).content.decode()
    assert listed(html) == {programme["other"].public_id}


def test_the_directory_filters_by_industry(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY, {"industry": "catering"}).content.decode()
    assert listed(html) == {programme["valid"].public_id}


def test_the_directory_searches_names(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY, {"q": " 海鲜 "}).content.decode()
    assert listed(html) == {programme["valid"].public_id}


def test_the_directory_ignores_an_unknown_jurisdiction_with_an_error(
    programme: dict[str, Unit], client: Client
) -> None:
    response = client.get(DIRECTORY, {"jurisdiction": "999999999999"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_the_directory_shows_no_personal_data(programme: dict[str, Unit], client: Client) -> None:
    html = client.get(DIRECTORY).content.decode()
    assert not re.search(r"1[3-9]\d{9}", html), "a mobile number leaked into the directory"
    assert STATION_PHONE not in html
    for unit in programme.values():
        assert unit.legal_representative not in html
        if unit.contact_person:
            assert unit.contact_person not in html


@pytest.mark.slow
def test_the_directory_query_count_does_not_grow_with_the_data(
    operator: User,
    district_staff: User,
    dengfeng: Jurisdiction,
    client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(40):
        approve(
            UnitFactory.create(jurisdiction=dengfeng, owner=operator, industry="retail"),
            operator=operator,
            staff=district_staff,
            station=n % 2 == 0,
        )
    with django_assert_max_num_queries(4):
        response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(listed(html)) == 30
    assert "page=2" in html
    with django_assert_max_num_queries(5):
        response = client.get(DIRECTORY, {"jurisdiction": dengfeng.code, "page": "2"})
    assert len(listed(response.content.decode())) == 10


# --- Access --------------------------------------------------------------------------------------


def test_anonymous_visitors_reach_all_four_public_pages(approved: Unit, client: Client) -> None:
    pid = approved.public_id
    for url in (
        reverse("plaque", args=[pid]),
        reverse("plaque-print", args=[pid]),
        reverse("plaque-qr", args=[pid, "svg"]),
        reverse("plaque-qr", args=[pid, "png"]),
        DIRECTORY,
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_public_pages_refuse_writes(approved: Unit, client: Client) -> None:
    assert client.post(plaque_path(approved)).status_code == 405
    assert client.post(DIRECTORY).status_code == 405
