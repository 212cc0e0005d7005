"""Opening an uploaded .xlsx without letting it exhaust the server (issue 16, item 6).

An .xlsx is a zip archive of XML. A 2 MB upload can hold a sheet that inflates to gigabytes (a
zip bomb), claim in its ``<dimension>`` that it spans A1:XFD1048576 (openpyxl then pads every
row to 16 384 cells and invents a million rows), or hold a million empty styled rows. So:

1. ``check_archive`` reads only the archive's directory, before anything is inflated: too many
   members, a declared total size over ``IMPORT_XLSX_MAX_UNCOMPRESSED_MB``, or a large member
   compressed more than ``IMPORT_XLSX_MAX_RATIO`` to 1 (ordinary sheets compress 5–20 to 1)
   refuse the file. A member that lies about its size is safe: ``zipfile`` never inflates more
   than the declared size, and the CRC check then fails.
2. It then counts the row and cell elements of every part, inflating one megabyte at a time
   and keeping nothing: a part of more than ``IMPORT_MAX_SHEET_ROWS`` rows (blank ones
   included) or ``MAX_CELLS`` cells is refused before openpyxl parses anything. This has to
   come first: openpyxl keeps an object for every row it has parsed, and parses a whole sheet
   that has no ``<dimension>`` just to open the workbook.
3. ``sheet_rows`` ignores the sheet's dimension claim, reads no column past the header's last
   (at most ``IMPORT_MAX_COLUMNS``) and stops after ``IMPORT_MAX_SHEET_ROWS`` rows all the same,
   so neither the time nor the memory grows with the file's claims.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MAX_MEMBERS = 2_000  # a workbook has a few dozen parts; a few hundred with many pictures
RATIO_APPLIES_FROM = 1024 * 1024  # a small part cannot hurt however well it compresses
MAX_CELLS = 5_000_000  # twice a full 100 000-row unit file of 25 columns
CHUNK = 1024 * 1024
# A row or cell element, with or without a namespace prefix (<row r="2">, <x:c r="B2"/>).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_OVERLAP = 64  # longer than any element name matched above, prefix included

_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_OF_DIRECTORY = b"PK\x06\x06"


class UnsafeSpreadsheet(Exception):
    """The workbook is refused for its size or shape; the message says why, for the user."""


def check_archive(content: bytes) -> None:
    """Refuse an archive that would inflate past the limits (its directory, then its elements
    counted in a stream), before openpyxl opens it."""
    members = _declared_members(content)
    if members is not None and members > MAX_MEMBERS:
        raise UnsafeSpreadsheet(
            _("The workbook holds %(count)d parts; an .xlsx file has at most %(max)d.")
            % {"count": members, "max": MAX_MEMBERS}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return  # not a zip at all: openpyxl says so in the usual words
    with archive:
        _check_sizes(archive.infolist())
        try:
            for info in archive.infolist():
                _check_elements(archive, info)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            return  # a damaged or encrypted part: openpyxl refuses the file in the usual words


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    max_bytes = settings.IMPORT_XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        raise UnsafeSpreadsheet(
            _(
                "The workbook would unpack to %(size)d MB, more than the %(max)d MB allowed; "
                "split it or save it again from Excel."
            )
            % {
                "size": total // (1024 * 1024),
                "max": settings.IMPORT_XLSX_MAX_UNCOMPRESSED_MB,
            }
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_APPLIES_FROM and ratio > settings.IMPORT_XLSX_MAX_RATIO:
            raise UnsafeSpreadsheet(
                _(
                    "The workbook is compressed %(ratio)d to 1, more than any spreadsheet is "
                    "(at most %(max)d to 1): it is refused as a possible zip bomb."
                )
                % {"ratio": ratio, "max": settings.IMPORT_XLSX_MAX_RATIO}
            )


def _check_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part of too many rows or cells, counted while inflating it chunk by chunk. A
    match cut by a chunk's end is counted with the next chunk, which starts with the last
    ``_OVERLAP`` bytes of this one."""
    rows = cells = 0
    data = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(CHUNK)
            data = data[-_OVERLAP:] + chunk
            end = len(data) - _OVERLAP if chunk else len(data)  # the last bytes at the end
            rows += len(_ROW.findall(data, 0, end))
            cells += len(_CELL.findall(data, 0, end))
            if rows > settings.IMPORT_MAX_SHEET_ROWS:
                raise UnsafeSpreadsheet(too_many_rows())
            if cells > MAX_CELLS:
                raise UnsafeSpreadsheet(
                    _("The sheet has more than %(max)d cells; split the file.") % {"max": MAX_CELLS}
                )
            if not chunk:
                return


def _declared_members(content: bytes) -> int | None:
    """The member count of the end-of-directory record (zip64 too), before ``zipfile`` builds an
    object per member; None when there is no such record (``zipfile`` then refuses the file)."""
    at = content.rfind(_END_OF_DIRECTORY, max(0, len(content) - 65_557))
    if at < 0 or at + 22 > len(content):
        return None
    (count,) = struct.unpack_from("<H", content, at + 10)
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and content[locator : locator + 4] == _ZIP64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", content, locator + 8)
        if offset + 56 <= len(content) and content[offset : offset + 4] == (
            _ZIP64_END_OF_DIRECTORY
        ):
            (count,) = struct.unpack_from("<Q", content, offset + 32)
    return int(count)


def sheet_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The cell values of the first sheet's rows, the header row first, each as wide as the
    header. Raises ``UnsafeSpreadsheet`` as described above, and openpyxl's own errors
    (``zipfile.BadZipFile``, ``KeyError``, ``OSError``, ``ValueError``) for an unreadable file."""
    from openpyxl import load_workbook

    check_archive(content)
    max_rows = settings.IMPORT_MAX_SHEET_ROWS
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the file's own claim of its size is not trusted
        header = next(
            sheet.iter_rows(
                min_row=1, max_row=1, max_col=settings.IMPORT_MAX_COLUMNS, values_only=True
            ),
            (),
        )
        width = max((i + 1 for i, value in enumerate(header) if value is not None), default=1)
        yield header[:width]
        for number, row in enumerate(
            sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
        ):
            if number > max_rows:
                raise UnsafeSpreadsheet(too_many_rows())
            yield row
    finally:
        workbook.close()


def too_many_rows() -> str:
    return _(
        "The sheet has more than %(max)d rows, blank ones included; delete the empty rows "
        "below the data or split the file."
    ) % {"max": settings.IMPORT_MAX_SHEET_ROWS}
