"""The example rows of the import templates every app offers for download.

An example row left in a filled-in template once imported as a real complaint (旅顺口区示例海鲜馆).
So each template marks its example row: its name cell starts with ``EXAMPLE_MARK`` and the row is
shaded with a note; ``read_rows`` refuses any file with a marked row, naming the row to delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
