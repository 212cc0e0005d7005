"""Plain helpers of the public side's tests (tests/units/test_public*.py): a unit made a
demonstration unit by driving the real services, as staff would, readers of its plaque and of
its QR codes."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib

import segno
from django.urls import reverse

from lyushunkou.models import User
from tests.units.helpers import certify, meet_standard
from units import services
from units.models import Unit

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


def plaque_path(unit: Unit) -> str:
    return reverse("plaque", args=[unit.public_id])


def status_on_page(html: str) -> str:
    match = re.search(r'<article[^>]*data-plaque-status="([a-z]+)"', html)
    assert match, "plaque page has no status"
    return match.group(1)


DIRECTORY = reverse("directory")


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
