"""Hostile spreadsheets are refused before they cost memory or time (issue 16, item 6).

The files are built here, at test time, as raw sheet XML zipped by hand: openpyxl would take
minutes to write a million rows, and could not write a lying ``<dimension>`` at all. Peak memory
is measured with tracemalloc; nothing here looks at the clock.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lyushunkou import spreadsheets
from lyushunkou.importing import ImportFileError, count_rows, read_table
from lyushunkou.models import User
from tests.conftest import client_for
from units.models import Unit

MB = 1024 * 1024
MEMORY_LIMIT = 100 * MB

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
PARTS = {
    "[Content_Types].xml": _CONTENT_TYPES,
    "_rels/.rels": _ROOT_RELS,
    "xl/workbook.xml": _WORKBOOK,
    "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
}
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + cell("A1", "名称") + cell("B1", "地址") + b"</row>"


def workbook(sheet: Iterable[bytes]) -> bytes:
    """An .xlsx whose first sheet's XML is the concatenation of ``sheet``, streamed into the
    archive so that a large sheet is never whole in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in PARTS.items():
            archive.writestr(name, data)
        with archive.open(SHEET, "w") as stream:
            for piece in sheet:
                stream.write(piece)
    return buffer.getvalue()


def empty_styled_rows(count: int) -> Iterator[bytes]:
    """A header, then ``count`` rows with a style and a height but no cell, in 10 000s."""
    yield SHEET_START + b'<dimension ref="A1:B1"/><sheetData>' + header_row()
    for start in range(2, count + 2, 10_000):
        stop = min(start + 10_000, count + 2)
        yield b"".join(
            b'<row r="%d" s="1" customFormat="1" ht="15"/>' % number
            for number in range(start, stop)
        )
    yield b"</sheetData></worksheet>"


def bomb(inflated_mb: int) -> bytes:
    """A sheet of ``inflated_mb`` megabytes of spaces deflated ~1000:1, zipped by hand: a
    deflate stream flushed after each identical megabyte repeats the same bytes, so the
    gigabyte is compressed once and never held."""
    block = b" " * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(SHEET_START + b"<sheetData><row><c><v>")
    head += compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(b"</v></c></row></sheetData></worksheet>") + compressor.flush()
    size = len(SHEET_START) + 22 + inflated_mb * MB + 38
    crc = zlib.crc32(SHEET_START + b"<sheetData><row><c><v>")
    for _ in range(inflated_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b"</v></c></row></sheetData></worksheet>", crc)
    members = [
        (name, zlib.compress(data)[2:-4], zlib.crc32(data), len(data))
        for name, data in PARTS.items()
    ]
    members.append((SHEET, head + repeated * (inflated_mb - 1) + tail, crc, size))
    return raw_zip(members)


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members: (name, deflated bytes, CRC-32, inflated size)."""
    out = io.BytesIO()
    directory = b""
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + encoded + data)
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, *fields[:-1], 0, 0, 0, 0, 0, offset
        )
        directory += encoded
    start = out.tell()
    count = len(members)
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def peak_memory(action: Callable[[], Any]) -> tuple[Any, int]:
    """What ``action`` returned or raised, and the peak of Python's allocations meanwhile."""
    tracemalloc.start()
    try:
        try:
            outcome: Any = action()
        except Exception as error:  # the refusal is what is measured
            outcome = error
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- A zip bomb ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    return bomb(1100)


def test_the_bomb_is_small_and_claims_more_than_a_gigabyte(gigabyte_bomb: bytes) -> None:
    assert len(gigabyte_bomb) < 5 * MB
    with zipfile.ZipFile(io.BytesIO(gigabyte_bomb)) as archive:
        assert archive.getinfo(SHEET).file_size > 1024 * MB


def test_a_zip_bomb_is_refused_without_inflating_it(gigabyte_bomb: bytes) -> None:
    with translation.override("zh-hans"):
        refusal, peak = peak_memory(lambda: read_table(gigabyte_bomb, "商户.xlsx"))
    assert isinstance(refusal, ImportFileError)
    assert "解压后" in str(refusal)
    assert "200 MB" in str(refusal)
    assert peak < MEMORY_LIMIT


def test_a_part_compressed_like_a_bomb_is_refused_under_the_size_limit() -> None:
    small_bomb = bomb(20)  # 20 MB: under the 200 MB total, but ~1000:1
    with translation.override("zh-hans"):
        refusal, peak = peak_memory(lambda: read_table(small_bomb, "商户.xlsx"))
    assert isinstance(refusal, ImportFileError)
    assert "压缩比" in str(refusal)
    assert peak < MEMORY_LIMIT


def test_the_import_page_refuses_a_bomb_with_the_reason(
    district_staff: User, gigabyte_bomb: bytes
) -> None:
    upload = SimpleUploadedFile("商户.xlsx", gigabyte_bomb)
    response = client_for(district_staff).post(reverse("unit-import"), {"file": upload})
    assert response.status_code == 400
    assert "解压后" in response.content.decode()
    assert not Unit.objects.exists()


def test_the_background_row_count_gives_up_on_a_bomb(gigabyte_bomb: bytes) -> None:
    # 0 rows: the page then runs the importer in the request, which refuses the file.
    assert count_rows(gigabyte_bomb, "商户.xlsx", limit=200) == 0


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    members = [(f"xl/media/{n}.xml", zlib.compress(b"")[2:-4], 0, 0) for n in range(2_001)]
    with translation.override("zh-hans"), pytest.raises(spreadsheets.UnsafeSpreadsheet) as refusal:
        spreadsheets.check_archive(raw_zip(members))
    assert "2001" in str(refusal.value)


# --- A million empty styled rows ------------------------------------------------------------------


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return workbook(empty_styled_rows(1_000_000))


def test_a_million_empty_styled_rows_are_refused_with_little_memory(million_rows: bytes) -> None:
    with translation.override("zh-hans"):
        refusal, peak = peak_memory(lambda: read_table(million_rows, "商户.xlsx"))
    assert isinstance(refusal, ImportFileError)
    assert "200000" in str(refusal)
    assert "空行" in str(refusal)
    assert peak < MEMORY_LIMIT


def test_the_import_page_refuses_a_million_empty_rows(
    district_staff: User, million_rows: bytes
) -> None:
    upload = SimpleUploadedFile("商户.xlsx", million_rows)
    response = client_for(district_staff).post(reverse("unit-import"), {"file": upload})
    assert response.status_code == 400
    assert "200000" in response.content.decode()


def test_the_row_limit_counts_rows_cut_by_the_reading_chunks(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_MAX_SHEET_ROWS = 1000
    monkeypatch.setattr(spreadsheets, "CHUNK", 7)  # every row element cut somewhere
    at_limit = workbook(empty_styled_rows(999))  # with the header: 1000 rows
    assert len(read_table(at_limit, "商户.xlsx")) == 1000
    with pytest.raises(ImportFileError):
        read_table(workbook(empty_styled_rows(1000)), "商户.xlsx")


def test_a_csv_of_blank_lines_is_refused_at_the_row_limit(settings: Any) -> None:
    settings.IMPORT_MAX_SHEET_ROWS = 1000
    content = "名称,地址\r\n".encode() + b"\r\n" * 1000
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as refusal:
        read_table(content, "商户.csv")
    assert "1000" in str(refusal.value)


# --- A dimension that claims the whole grid -----------------------------------------------------


def test_a_dimension_claiming_the_whole_grid_is_not_believed() -> None:
    # openpyxl would pad every row to 16 384 cells and invent rows down to 1 048 576.
    sheet = (
        SHEET_START
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + header_row()
        + b'<row r="2">'
        + cell("A2", "海鲜馆")
        + cell("B2", "黄河路1号")
        + cell("XFD2", "远处")
        + b"</row></sheetData></worksheet>"
    )
    table = read_table(workbook([sheet]), "商户.xlsx")
    assert table == [["名称", "地址"], ["海鲜馆", "黄河路1号"]]
