"""Reading an uploaded file: .xlsx or .csv (UTF-8 or GB18030) into rows of text, and counting its
rows cheaply to decide whether it runs in the background."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from lyushunkou.sanitise import strip_controls
from lyushunkou.spreadsheets import UnsafeSpreadsheet, sheet_rows, too_many_rows

MAX_FILE_BYTES = 20 * 1024 * 1024


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
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        # Control characters go before the CSV is parsed: a NUL is then nobody's problem.
        text = strip_controls(decode_csv(content))
        table: list[list[str]] = []
        try:
            for row in csv.reader(io.StringIO(text)):
                if len(table) >= settings.IMPORT_MAX_SHEET_ROWS:
                    raise ImportFileError(too_many_rows())
                table.append([cell.strip() for cell in row])
            return table
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file is malformed: %(error)s") % {"error": error}
            ) from None
    if name.endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as .xlsx."))
    raise ImportFileError(_("Upload an .xlsx or .csv file."))


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        return [
            # row.count runs in C: the many blank rows of a formatted sheet cost next to nothing
            [cell_text(value) for value in row] if row.count(None) != len(row) else []
            for row in sheet_rows(content)
        ]
    except UnsafeSpreadsheet as refusal:
        raise ImportFileError(str(refusal)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError, SyntaxError):
        # SyntaxError: XML that is not well-formed (ElementTree's ParseError), e.g. a raw NUL
        raise ImportFileError(_("The file could not be read as an .xlsx workbook.")) from None


def count_rows(content: bytes, filename: str, *, limit: int) -> int:
    """The non-blank rows below the header, counted up to ``limit + 1`` only (so a huge file
    costs no more than a small one). 0 for a file that cannot be read: the importer then runs
    in the request and reports why."""
    try:
        if filename.lower().endswith(".csv"):
            rows: Any = csv.reader(io.StringIO(decode_csv(content)))
        elif filename.lower().endswith(".xlsx"):
            rows = sheet_rows(content)  # the limits of lyushunkou.spreadsheets apply here too
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
