"""The first worksheet of an .xlsx, streamed: the values ``lyushunkou.spreadsheets.sheet_rows``
gives (openpyxl read-only, ``data_only``), at a fifth of its cost.

openpyxl's read-only reader spends most of its time in Python for every cell (a dict, a
coordinate parse, type checks); a year's 12315 file has two million cells. Here the sheet's XML
is parsed by the standard library's ``iterparse`` (expat, in C), each row's cells are turned into
the same Python values openpyxl gives — shared and inline strings, numbers as ``int`` or
``float``, dates through the workbook's date styles and epoch (openpyxl's own ``from_excel``),
booleans, error codes — and each row is dropped once read, so memory does not grow with the
sheet. The limits of ``lyushunkou.spreadsheets`` apply unchanged: ``check_archive`` runs first,
no column past the header's last is kept, and the row limit stops the sheet. The test
``tests/test_import_xlsx.py`` holds both readers to the same values.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, iterparse

from django.conf import settings
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from lyushunkou.spreadsheets import UnsafeSpreadsheet, check_archive, too_many_rows

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, INLINE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}is"
TEXT, RUN = f"{MAIN}t", f"{MAIN}r"
_COLUMN = re.compile(r"[A-Z]+")
_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the first element: the prolog ends there
_PROLOG_LIMIT = 64 * 1024


class _Guarded:
    """A part's bytes, refused when its prolog declares a DTD. Without a DTD there is no
    entity to expand, so the standard library's parser is safe here (expat resolves no external
    entity, and a document type is all "billion laughs" needs). A part whose root does not start
    within the first 64 KB is refused too: no real worksheet has such a prolog."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        head = b""
        while not _ROOT_START.search(head):
            chunk = stream.read(4096)
            head += chunk
            if not chunk or len(head) > _PROLOG_LIMIT:
                break
        root = _ROOT_START.search(head)
        prolog = head[: root.start()] if root is not None else b"<!DOCTYPE"
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            raise ValueError("The part declares a document type or has no root element.")
        self.head = head

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size)


def _iterparse(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    # S314: the DTD that XML attacks need is refused by _Guarded before expat parses anything.
    return iterparse(_Guarded(stream), events=("end",))  # noqa: S314


def sheet_values(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The first worksheet's rows as ``sheet_rows`` yields them: the header row (as wide as its
    last filled cell, at most ``IMPORT_MAX_COLUMNS``), then every later row as wide as the
    header, a row missing from the file as a row of None. Raises ``UnsafeSpreadsheet`` past
    ``IMPORT_MAX_SHEET_ROWS`` rows, and ``zipfile``'s, ``KeyError``, ``ValueError`` or
    ``SyntaxError`` (XML that is not well-formed) for a file that cannot be read."""
    check_archive(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        book = _Workbook(archive)
        with archive.open(book.sheet) as sheet:
            yield from _rows(sheet, book)


class _Workbook:
    """Where the first worksheet is, and what its cells need: shared strings, date styles."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        path = _relations(archive, "_rels/.rels", "").get("officeDocument", ["xl/workbook.xml"])
        workbook = path[0]
        relations = _relations(archive, _rels_of(workbook), posixpath.dirname(workbook))
        by_id = _targets(archive, _rels_of(workbook), posixpath.dirname(workbook))
        root = _parse(archive, workbook)
        properties = root.find(f"{MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        worksheets = [
            by_id[sheet.get(R_ID, "")]
            for sheet in root.iter(f"{MAIN}sheet")
            if by_id.get(sheet.get(R_ID, ""), ("", ""))[1] == "worksheet"
        ]
        self.sheet = worksheets[0][0]  # IndexError: no worksheet, like openpyxl's
        strings = relations.get("sharedStrings")
        self.strings = _shared_strings(archive, strings[0]) if strings else []
        styles = relations.get("styles")
        self.dates, self.durations = _date_styles(archive, styles[0]) if styles else (set(), set())


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (part path, type's last word)."""
    if rels not in archive.namelist():
        return {}
    found: dict[str, tuple[str, str]] = {}
    for relation in _parse(archive, rels).iter(f"{RELS}Relationship"):
        target = relation.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        kind = relation.get("Type", "").rsplit("/", 1)[-1]
        found[relation.get("Id", "")] = (posixpath.normpath(path), kind)
    return found


def _relations(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, list[str]]:
    """Relationship type's last word → the parts of that type."""
    kinds: dict[str, list[str]] = {}
    for path, kind in _targets(archive, rels, base).values():
        kinds.setdefault(kind, []).append(path)
    return kinds


def _parse(archive: zipfile.ZipFile, part: str) -> Element:
    with archive.open(part) as stream:
        root = None
        for _event, element in _iterparse(stream):
            root = element
        assert root is not None
        return root


def _text(element: Element) -> str:
    """A string item's text as openpyxl's ``Text.content``: its own ``t`` and its runs' ``t``,
    not the phonetic runs."""
    parts = [t.text or "" for t in element.findall(TEXT)]
    parts.extend(t.text or "" for run in element.findall(RUN) for t in run.findall(TEXT))
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    strings: list[str] = []
    with archive.open(part) as stream:
        for _event, element in _iterparse(stream):
            if element.tag == f"{MAIN}si":
                strings.append(_text(element).replace("x005F_", ""))
                element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile, part: str) -> tuple[set[int], set[int]]:
    """The cell styles (indexes into ``cellXfs``) whose number format is a date, and those of
    them that are durations, as openpyxl's stylesheet finds them."""
    root = _parse(archive, part)
    custom = {
        int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
        for fmt in root.iter(f"{MAIN}numFmt")
    }
    dates: set[int] = set()
    durations: set[int] = set()
    xfs = root.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        number = int(xf.get("numFmtId", "0"))
        code = custom[number] if number in custom else builtin_format_code(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _column(reference: str) -> int:
    letters = reference.rstrip("0123456789")  # "AB12" → "AB": a sheet has few columns
    number = _COLUMNS.get(letters)
    if number is not None:
        return number
    match = _COLUMN.match(reference)
    if match is None:
        raise ValueError(f"Not a cell reference: {reference}")
    number = 0
    for letter in match.group():
        number = number * 26 + ord(letter) - 64
    if match.group() == letters and len(_COLUMNS) < 16384:  # Excel's widest: a small cache
        _COLUMNS[letters] = number
    return number


_COLUMNS: dict[str, int] = {}


def _value(cell: Element, book: _Workbook) -> Any:
    """A cell's value as openpyxl's read-only ``data_only`` reader gives it."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(INLINE)
        if inline is None:
            return None
        if len(inline) == 1 and inline[0].tag == TEXT:  # the usual <is><t>…</t></is>
            return inline[0].text or ""
        return _text(inline)
    value = cell.findtext(VALUE) or None
    if value is None:
        return None
    if kind == "n":
        number: int | float = float(value) if ("." in value or "e" in value.lower()) else int(value)
        style = int(cell.get("s") or 0)
        if style in book.dates:
            try:
                return from_excel(number, book.epoch, timedelta=style in book.durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return book.strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text), "e" (an error code)


def _rows(sheet: IO[bytes], book: _Workbook) -> Iterator[tuple[Any, ...]]:
    max_rows = settings.IMPORT_MAX_SHEET_ROWS
    width = 0
    expected = 1  # the next row number the sheet should have
    for _event, element in _iterparse(sheet):
        if element.tag != ROW:
            continue
        number = int(float(element.get("r") or expected))
        cells: dict[int, Any] = {}
        column = 0
        for cell in element:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column = _column(reference) if reference else column + 1
            if column <= (width or settings.IMPORT_MAX_COLUMNS):
                cells[column] = _value(cell, book)
        element.clear()
        if number < expected:
            continue  # a row out of order: openpyxl does not yield it either
        if not width:  # the header is row 1; a sheet without one has a header of one blank
            header = cells if number == 1 else {}
            width = max((c for c, v in header.items() if v is not None), default=1)
            yield tuple(header.get(c) for c in range(1, width + 1))
            expected = 2
            if number == 1:
                continue
        for missing in range(expected, number):
            if missing > max_rows:
                raise UnsafeSpreadsheet(too_many_rows())
            yield (None,) * width
        if number > max_rows:
            raise UnsafeSpreadsheet(too_many_rows())
        expected = number + 1
        yield tuple(cells.get(c) for c in range(1, width + 1))
    if not width:  # no row at all: openpyxl's header is empty
        yield ()
