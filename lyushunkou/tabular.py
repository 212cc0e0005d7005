"""Helpers shared by the spreadsheet imports and exports of the apps (DESIGN.md §7 formats).

Reading a file (encoding detection, .xlsx cells as text) lives in ``lyushunkou.importing``
(``read_table``, ``decode_csv``, ``read_rows``) with the error type (``RowError``); this module
holds what the files add on top: dates and amounts as the 12315 and sampling systems write them,
phone numbers, header matching, and writing CSV / .xlsx downloads safely (``download``: the
response every list export returns, named, audited).

Keep the functions additive and independent: several apps import them.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from lyushunkou import audit

# --- Text ---------------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header or vocabulary word as compared: full-width folded (NFKC), no whitespace."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def clean_text(text: str | None) -> str:
    """Trimmed text, with full-width spaces (U+3000) trimmed too."""
    return (text or "").strip().strip("\u3000").strip()


def column_positions(header: Sequence[str], known: Iterable[str]) -> dict[str, int]:
    """Header text → position for the headers in ``known`` (compared with ``header_key``); the
    first occurrence of a header wins."""
    wanted = {header_key(name): name for name in known}
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        name = wanted.get(header_key(text))
        if name is not None and name not in positions:
            positions[name] = index
    return positions


def data_rows(
    table: Sequence[Sequence[str]], positions: dict[str, int]
) -> list[tuple[int, dict[str, str]]]:
    """The rows below the header as ``(spreadsheet row number, {header: trimmed text})``; blank
    rows are skipped but keep their numbers counted, so row N is row N in Excel."""
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(clean_text(cell) for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    name: clean_text(cells[index]) if index < len(cells) else ""
                    for name, index in positions.items()
                },
            )
        )
    return rows


# --- Dates ----------------------------------------------------------------------------------------

_DATE_TIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
# Excel's serial day numbers (1900 date system) between 1990 and 2100: what a date cell becomes
# when a CSV was saved from a column formatted as a number.
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (32874, 73051)


def parse_date_time(text: str) -> tuple[dt.date, dt.time | None] | None:
    """``2026-10-08``, ``2026/10/8``, ``2026-10-08 14:30[:00]``, ``2026年10月8日``, the ISO text of
    an Excel date cell (``2026-10-08T14:30:00``) or an Excel serial number.

    Returns the date and the time of day when one was given (None for a plain date), or None when
    the text is not a date.
    """
    value = unicodedata.normalize("NFKC", text or "").strip()
    match = _DATE_TIME.match(value)
    if match:
        year, month, day, hour, minute, second = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
            time = dt.time(int(hour), int(minute), int(second or 0)) if hour is not None else None
        except ValueError:
            return None
        # An Excel date cell without a time reads as midnight: a plain date.
        if time == dt.time(0, 0) and "T" in value:
            time = None
        return date, time
    serial = _EXCEL_SERIAL.match(value)
    if serial and _SERIAL_RANGE[0] <= int(serial.group(1)) <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1))), None
    return None


def parse_date(text: str) -> dt.date | None:
    """The date of ``parse_date_time`` (a time of day, if any, is dropped)."""
    parsed = parse_date_time(text)
    return parsed[0] if parsed else None


# --- Amounts --------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(text: str) -> Decimal | None:
    """An amount in yuan: full-width digits, thousands separators (``,`` ``，`` ``、`` and spaces),
    a leading ¥/￥ and a trailing 元 are accepted. Returns None when the text is not a number;
    the sign is kept (the caller decides whether negative amounts are allowed)."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = re.sub(r"^[¥￥]|元$", "", value).strip()
    value = re.sub(r"[,，、\s']", "", value)
    if not _AMOUNT.match(value):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


# --- Phones ---------------------------------------------------------------------------------------

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# Area codes: 010 and 02x have three digits, every other one four (0411 for Dalian).
_LANDLINE = re.compile(r"^(0[12]\d|0[3-9]\d{2})(\d{7,8})$")
_LANDLINE_PARTS = re.compile(r"^\(?(0\d{2,3})\)?[-\s]?(\d{7,8})(?:(?:转|-|#|ext\.?)\d{1,6})?$")


def normalize_phone(text: str) -> str | None:
    """An 11-digit mobile number (``13812345678``) or a landline with its area code
    (``0411-86123456``) in a standard form; None when the text is neither."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    compact = re.sub(r"[\s\-()]", "", value)
    mobile = _MOBILE.match(compact)
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE_PARTS.match(value) or _LANDLINE.match(compact)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    return None


# --- Writing downloads ------------------------------------------------------------------------

EXPORT_FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text that Excel would run as a formula (``=HYPERLINK(...)``) gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV lines for a StreamingHttpResponse: a BOM first (so Excel on Chinese Windows reads
    UTF-8 rather than GBK), every cell formula-neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(headers))
    for row in rows:
        yield writer.writerow([neutralise_formula(value) for value in row])


def xlsx_file(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Any:
    """A write-only workbook of text cells (never formulas) in a spooled temporary file, rewound:
    kept in memory up to 20 MB, then spilled to disk."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula, whatever was typed
            cells.append(cell)
        sheet.append(cells)
    output = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII name for old clients and the UTF-8 name for the rest."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(
    *,
    request: HttpRequest,
    action: str,
    fmt: str,
    stem: str,
    ascii_stem: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    count: int,
    filters: dict[str, str],
    sheet: str = "",
) -> HttpResponseBase:
    """A list export: the rows as a CSV attachment (streamed, with a BOM) or an .xlsx one (spooled,
    on a sheet named ``sheet``, by default ``stem``), named ``<stem>_<YYYYMMDD>.<fmt>`` with
    ``ascii_stem`` as the ASCII fallback, and audited as ``action`` with its format, filters and
    row count. The rows are the caller's, personal data already masked; a CSV's rows are read
    after the view returned, so words in them are translated by the caller beforehand."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    stamp = f"{timezone.localdate():%Y%m%d}"
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(xlsx_file(sheet or stem, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        f"{stem}_{stamp}.{fmt}", f"{ascii_stem}_{stamp}.{fmt}"
    )
    audit.record(action, request=request, format=fmt, filters=filters, rows=count)
    return response
