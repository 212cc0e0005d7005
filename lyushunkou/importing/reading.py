"""Reading an uploaded file: .xlsx or .csv (UTF-8 or GB18030) into rows of text, and counting its
rows cheaply to decide whether it runs in the background."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from lyushunkou.importing.xlsx import sheet_values
from lyushunkou.sanitise import strip_controls
from lyushunkou.spreadsheets import UnsafeSpreadsheet, too_many_rows

MAX_FILE_BYTES = 20 * 1024 * 1024
_DECODE_CHUNK = 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, no header)."""


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (what Excel on Chinese Windows writes)."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file starts as UTF-8 but is not valid UTF-8.")) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GB18030 (GBK); save it again as UTF-8 CSV.")
        ) from None


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed into Excel (phones, all-digit codes) lose no digits.
    Control characters are stripped, by the rule web forms follow (``lyushunkou.sanitise``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return strip_controls(str(value)).strip()


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet (or the CSV) as text, the header row first; a blank row is
    an empty list. Refused past ``IMPORT_MAX_SHEET_ROWS`` rows, blank ones included."""
    return list(iter_table(content, filename))


def iter_table(content: bytes, filename: str) -> Iterator[list[str]]:
    """The rows of ``read_table`` one at a time, so that a big file is never whole in memory
    as rows: the workbook is streamed read-only, the CSV decoded line by line. Raises
    ``ImportFileError`` (possibly after some rows) when the file cannot be read."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _iter_xlsx(content)
    if name.endswith(".csv"):
        return _iter_csv(content)
    if name.endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as .xlsx."))
    raise ImportFileError(_("Upload an .xlsx or .csv file."))


def csv_encoding(content: bytes) -> tuple[str, int]:
    """The encoding of a CSV upload and where its text starts (after a BOM), checked the way
    ``decode_csv`` decodes, without holding the decoded text."""
    if content.startswith(b"\xef\xbb\xbf"):
        if not _decodes(content, "utf-8", 3):
            raise ImportFileError(_("The file starts as UTF-8 but is not valid UTF-8."))
        return "utf-8", 3
    for encoding in ("utf-8", "gb18030"):
        if _decodes(content, encoding, 0):
            return encoding, 0
    raise ImportFileError(
        _("The CSV file is neither UTF-8 nor GB18030 (GBK); save it again as UTF-8 CSV.")
    )


def _decodes(content: bytes, encoding: str, start: int) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for at in range(start, len(content), _DECODE_CHUNK):
            decoder.decode(view[at : at + _DECODE_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_lines(content: bytes) -> Iterator[str]:
    encoding, start = csv_encoding(content)
    text = io.TextIOWrapper(io.BytesIO(memoryview(content)[start:]), encoding, newline="")
    # Control characters go before the CSV is parsed: a NUL is then nobody's problem. None of
    # them is a line break, so stripping line by line is stripping the whole text.
    for line in text:
        yield strip_controls(line)


def _iter_csv(content: bytes) -> Iterator[list[str]]:
    lines = _csv_lines(content)  # the encoding is checked here, before the first row
    count = 0
    try:
        for row in csv.reader(lines):
            if count >= settings.IMPORT_MAX_SHEET_ROWS:
                raise ImportFileError(too_many_rows())
            count += 1
            yield [cell.strip() for cell in row]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s") % {"error": error}
        ) from None


def _iter_xlsx(content: bytes) -> Iterator[list[str]]:
    try:
        for row in sheet_values(content):
            # row.count runs in C: the many blank rows of a formatted sheet cost next to nothing
            yield [cell_text(value) for value in row] if row.count(None) != len(row) else []
    except UnsafeSpreadsheet as refusal:
        raise ImportFileError(str(refusal)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError, SyntaxError):
        # SyntaxError: XML that is not well-formed (ElementTree's ParseError), e.g. a raw NUL
        raise ImportFileError(_("The file could not be read as an .xlsx workbook.")) from None


_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(content: bytes, filename: str) -> int:
    """About how many data rows the file has, for a progress bar only, at next to no cost: the
    line breaks of a CSV, the size a worksheet claims for itself (untrusted, and never used as
    a limit); 0 when unknown."""
    name = filename.lower()
    if name.endswith(".csv"):
        return max(content.count(b"\n") - 1, 0)
    if not name.endswith(".xlsx"):
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not sheets:
                return 0
            with archive.open(sheets[0]) as sheet:
                match = _DIMENSION.search(sheet.read(4096))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error):
        return 0
    return max(int(match.group(1)) - 1, 0) if match else 0


def count_rows(content: bytes, filename: str, *, limit: int) -> int:
    """The non-blank rows below the header, counted up to ``limit + 1`` only (so a huge file
    costs no more than a small one). 0 for a file that cannot be read: the importer then runs
    in the request and reports why."""
    try:
        if filename.lower().endswith(".csv"):
            rows: Any = csv.reader(io.StringIO(decode_csv(content)))
        elif filename.lower().endswith(".xlsx"):
            rows = sheet_values(content)  # the limits of lyushunkou.spreadsheets apply here too
        else:
            return 0
        count = 0
        for number, row in enumerate(rows):
            if number >= settings.IMPORT_MAX_SHEET_ROWS:
                break  # the importer then refuses the file in the request, saying why
            if number and any(cell not in (None, "") and str(cell).strip() for cell in row):
                count += 1
                if count > limit:
                    break
        return count
    except (
        ImportFileError,
        UnsafeSpreadsheet,
        csv.Error,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        IndexError,
        SyntaxError,
    ):
        return 0
