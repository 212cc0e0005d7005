"""The import templates every app offers for download: the columns of a file format
(``Column``), the one builder of a template's workbook (``template_workbook``) and its example row.

An example row left in a filled-in template once imported as a real complaint (旅顺口区示例海鲜馆).
So each template marks its example row: its name cell starts with ``EXAMPLE_MARK`` and the row is
shaded with a note; ``read_rows`` refuses any file with a marked row, naming the row to delete.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

EXAMPLE_MARK = "【示例】"
# A pale amber that keeps black text at a contrast above 15:1.
EXAMPLE_FILL = "FFF4CC"


def example_value(text: str) -> str:
    """The text of an example row's marked cell: the mark, then a plausible value."""
    return f"{EXAMPLE_MARK}{text}"


def is_example_row(values: Mapping[str, str]) -> bool:
    return any(value.startswith(EXAMPLE_MARK) for value in values.values())


def example_row_problem(row: int) -> str:
    return _("Row %(row)d is the template's example row: delete it.") % {"row": row}


def mark_example_row(sheet: Any, row: int) -> None:
    """Shade the example row and note on its first cell that it must be deleted."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fill = PatternFill(start_color=EXAMPLE_FILL, end_color=EXAMPLE_FILL, fill_type="solid")
    for cell in sheet[row]:
        cell.fill = fill
    sheet.cell(row=row, column=1).comment = Comment(
        _("Example row: shows how to fill in the columns. Delete it before importing."), "旅顺口区"
    )


# --- The columns and the workbook ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an app's file format: its header in the file (the format's word, the same in
    every interface language), the key the import reads it by, what it holds in the interface
    language, and whether a row must fill it in."""

    header: str
    key: str
    label: Promise
    required: bool = True


# Rows formatted as text and offered drop-down lists: far more than a file is expected to hold.
TEXT_ROWS = 1000
LIST_ROWS = 9999
# Excel refuses an inline list (a data validation's formula) longer than this.
INLINE_LIST_LIMIT = 255


def template_workbook(
    *,
    title: str,
    columns: Sequence[Column],
    example: Mapping[str, str],
    choices: Mapping[str, Sequence[str]] | None = None,
    instructions: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    width: int = 20,
    widths: Mapping[str, int] | None = None,
    text: Collection[str] | None = None,
) -> bytes:
    """An import template as .xlsx bytes: a sheet ``title`` with the columns' headers in bold and
    one marked example row (``example`` by column key), and an "Instructions" sheet that says of
    each column whether it is required and what to enter (``instructions`` by key, by default the
    column's label), followed by the general ``notes``.

    Columns are ``width`` wide unless ``widths`` says otherwise; those in ``text`` (by default
    all) are formatted as text, so that Excel keeps codes, phone numbers and leading zeros as
    typed. A column with ``choices`` offers them as a drop-down list, unless there are none or
    they are too long for an inline list (then the column is left free).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = widths or {}
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([example.get(column.key, "") for column in columns])
    mark_example_row(sheet, 2)
    letters = {column.key: get_column_letter(index) for index, column in enumerate(columns, 1)}
    for column in columns:
        letter = letters[column.key]
        sheet.column_dimensions[letter].width = widths.get(column.key, width)
        if text is None or column.key in text:
            for row in range(2, TEXT_ROWS + 2):
                sheet[f"{letter}{row}"].number_format = "@"

    for key, values in (choices or {}).items():
        formula = '"' + ",".join(values) + '"'
        if not values or len(formula) > INLINE_LIST_LIMIT:
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{letters[key]}2:{letters[key]}{LIST_ROWS + 1}")
        sheet.add_data_validation(validation)

    instructions = instructions or {}
    explained = workbook.create_sheet(_("Instructions"))
    explained.append([_("Column"), _("Required"), _("What to enter")])
    for column in columns:
        explained.append(
            [
                column.header,
                _("Yes") if column.required else _("No"),
                str(instructions.get(column.key, column.label)),
            ]
        )
    if notes:
        explained.append([])
    for note in notes:
        explained.append([note])
    explained.column_dimensions["A"].width = 20
    explained.column_dimensions["C"].width = 90

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
