"""Helpers shared by the spreadsheet imports and exports of the apps (DESIGN.md §7 formats).

Reading a file (encoding detection, .xlsx cells as text) lives in ``lyushunkou.importing``
(``read_table``, ``decode_csv``, ``read_rows``) with the error type (``RowError``); this module
holds what the files add on top: dates and amounts as the 12315 and sampling systems write them,
phone numbers, header matching, and writing CSV / .xlsx files safely (``write_table``, with
flat memory) and downloads (``download``: the response every list export returns, written before
it starts, named, audited with the rows written; ``xlsx_download`` for an import template).

Keep the functions additive and independent: several apps import them.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
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
CSV_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's rows per sheet, the header included: a longer export continues on a second sheet.
XLSX_ROWS_PER_SHEET = 1_048_576
# How often (in rows) a writer reports its progress.
PROGRESS_ROWS = 1000
# A file is written in memory up to this size, then spilled to a temporary file on disk.
SPOOL_BYTES = 20 * 1024 * 1024


def neutralise_formula(value: str) -> str:
    """Text that Excel would run as a formula (``=HYPERLINK(...)``) gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV lines: a BOM first (so Excel on Chinese Windows reads UTF-8 rather than GBK), every
    cell formula-neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(headers))
    for row in rows:
        yield writer.writerow([neutralise_formula(value) for value in row])


class _Counted:
    """The rows, counted as they are read, with ``progress(count)`` every ``PROGRESS_ROWS``."""

    def __init__(self, rows: Iterable[Sequence[str]], progress: Callable[[int], None] | None):
        self.rows = rows
        self.progress = progress
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[str]]:
        for row in self.rows:
            yield row
            self.count += 1
            if self.progress is not None and self.count % PROGRESS_ROWS == 0:
                self.progress(self.count)


def write_csv(
    output: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The rows as CSV (UTF-8 with a BOM) into ``output``; returns the rows written."""
    counted = _Counted(rows, progress)
    for line in csv_lines(headers, counted):
        output.write(line.encode("utf-8"))
    return counted.count


def _text_cell(sheet: Any, value: Any) -> Any:
    """A value as a text cell: openpyxl would take ``=…`` for a formula and ``#N/A`` for an error,
    so those get a cell typed as text; every other string is text already (and cheaper)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, never a formula, whatever was typed
        return cell
    return value


def write_xlsx(
    output: IO[bytes],
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The rows as a write-only workbook of text cells (never formulas) into ``output``; memory
    stays flat whatever the row count (openpyxl writes each sheet to a temporary file). Rows past
    Excel's limit continue on sheets "<title> (2)", … with the header repeated. Returns the rows
    written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def new_sheet(number: int) -> Any:
        sheet = workbook.create_sheet(sheet_title if number == 1 else f"{sheet_title} ({number})")
        header = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    sheets = 1
    sheet = new_sheet(sheets)
    on_sheet = 1
    counted = _Counted(rows, progress)
    for row in counted:
        if on_sheet == XLSX_ROWS_PER_SHEET:
            sheets += 1
            sheet, on_sheet = new_sheet(sheets), 1
        sheet.append([_text_cell(sheet, value) for value in row])
        on_sheet += 1
    workbook.save(output)
    return counted.count


def write_table(
    output: IO[bytes],
    *,
    fmt: str,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    progress: Callable[[int], None] | None = None,
) -> int:
    """The rows in ``fmt`` (``EXPORT_FORMATS``) into ``output``; returns the rows written."""
    if fmt == "csv":
        return write_csv(output, headers, rows, progress=progress)
    if fmt == "xlsx":
        return write_xlsx(output, sheet, headers, rows, progress=progress)
    raise ValueError(f"Unknown export format {fmt!r}.")


def content_type(fmt: str) -> str:
    return CSV_TYPE if fmt == "csv" else XLSX_TYPE


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII name for old clients and the UTF-8 name for the rest."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_download(content: bytes, filename: str, ascii_filename: str) -> HttpResponse:
    """An .xlsx file written in memory (an import template) as an attachment."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename, ascii_filename)
    return response


def export_names(stem: str, ascii_stem: str, fmt: str, day: dt.date) -> tuple[str, str]:
    """A download's name, ``<stem>_<YYYYMMDD>.<fmt>``, and its ASCII fallback."""
    return f"{stem}_{day:%Y%m%d}.{fmt}", f"{ascii_stem}_{day:%Y%m%d}.{fmt}"


def download(
    *,
    request: HttpRequest,
    action: str,
    fmt: str,
    stem: str,
    ascii_stem: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    filters: dict[str, str],
    sheet: str = "",
    count: int | None = None,
) -> HttpResponseBase:
    """A list export: the rows as a CSV attachment (with a BOM) or an .xlsx one (on a sheet named
    ``sheet``, by default ``stem``), named ``<stem>_<YYYYMMDD>.<fmt>`` with ``ascii_stem`` as
    the ASCII fallback, and audited as ``action`` with its format, filters and the rows written.

    The file is written completely before the response starts (in memory, spilling to a
    temporary file past ``SPOOL_BYTES``): an error while reading the rows is the request's
    error (a 500, nothing audited as exported), never a 200 cut short after its headers were
    sent. Lists that can be long send requests above ``EXPORT_BACKGROUND_ROWS`` rows to a
    background job instead (``lyushunkou.export_jobs``). ``count`` is not used: the audit event
    records the rows actually written. The rows are the caller's, personal data already masked.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        written = write_table(output, fmt=fmt, sheet=sheet or stem, headers=headers, rows=rows)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    response = FileResponse(output, content_type=content_type(fmt))
    name, ascii_name = export_names(stem, ascii_stem, fmt, timezone.localdate())
    response["Content-Disposition"] = content_disposition(name, ascii_name)
    audit.record(action, request=request, format=fmt, filters=filters, rows=written)
    return response
