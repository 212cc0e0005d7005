"""The fast worksheet reader (``lyushunkou.importing.xlsx``) gives exactly the values openpyxl's
read-only reader gives (``lyushunkou.spreadsheets.sheet_rows``), and refuses a part with a DTD."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from lyushunkou import spreadsheets
from lyushunkou.importing import ImportFileError, read_table
from lyushunkou.importing.xlsx import sheet_values


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def mixed(epoch: dt.datetime | None = None) -> bytes:
    """Shared strings, numbers, dates and times with their styles, booleans, formulas, gaps,
    cells past the header and a second sheet."""
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    assert sheet is not None
    sheet.append(["登记编号", "金额", "日期", "时间", "是否", "公式", None, "备注"])
    cell_time = dt.datetime(2026, 10, 8, 14, 30)  # noqa: DTZ001 (an Excel cell has no zone)
    sheet.append(["A1", 12, cell_time, dt.date(2026, 10, 9), True])
    sheet.append(["A2", 12.5, "2026-10-08", dt.time(9, 5), False, "=1+1", "x", "末列"])
    sheet.append([None, Decimal("1234.50"), None, None, None, None, None, None, "past the header"])
    sheet.cell(row=7, column=1, value="after a gap")
    sheet.cell(row=7, column=8, value=" 空格 ")
    sheet.cell(row=8, column=2, value=10**15)
    sheet.cell(row=9, column=3, value=dt.timedelta(hours=30)).number_format = "[h]:mm:ss"
    book.create_sheet("second").append(["not read"])
    return saved(book)


def write_only_file() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["登记编号", "登记时间", "诉求内容"])
    for number in range(50):
        sheet.append([f"B{number:07d}", f"2026-10-{number % 28 + 1:02d} 10:30", "要求退款"])
    return saved(book)


@pytest.mark.parametrize(
    "content",
    [mixed(), mixed(CALENDAR_MAC_1904), write_only_file()],
    ids=["shared-strings", "date1904", "write-only"],
)
def test_the_values_are_openpyxls(content: bytes) -> None:
    assert list(sheet_values(content)) == list(spreadsheets.sheet_rows(content))


def test_an_empty_sheet_reads_as_openpyxl_reads_it() -> None:
    content = saved(Workbook())
    assert list(sheet_values(content)) == list(spreadsheets.sheet_rows(content))


def test_a_sheet_that_starts_below_row_1() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=3, column=2, value="late")
    content = saved(book)
    assert list(sheet_values(content)) == list(spreadsheets.sheet_rows(content))


def test_the_row_limit_applies(settings: object) -> None:
    settings.IMPORT_MAX_SHEET_ROWS = 1000  # type: ignore[attr-defined]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for number in range(1001):
        sheet.append([f"r{number}"])
    content = saved(book)
    with pytest.raises(spreadsheets.UnsafeSpreadsheet):
        list(sheet_values(content))


def test_a_part_with_a_document_type_is_refused() -> None:
    content = write_only_file()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
                    + data[data.index(b"<worksheet") :]
                )
            target.writestr(info, data)
    with pytest.raises(ImportFileError):
        read_table(out.getvalue(), "12315.xlsx")


def test_an_inline_string_of_runs_reads_as_openpyxl_reads_it() -> None:
    """The usual inline string (one <t>) is read directly; one of runs, with a phonetic run,
    takes the general reading."""
    source = zipfile.ZipFile(io.BytesIO(write_only_file()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(
                    "<is><t>要求退款</t></is>".encode(),
                    (
                        "<is><r><t>要求</t></r><r><t>退款</t></r>"
                        '<rPh sb="0" eb="2"><t>yaoqiu</t></rPh></is>'
                    ).encode(),
                    1,
                ).replace(b"<is><t>B0000002</t></is>", b"<is><t></t></is>", 1)
            target.writestr(info, data)
    content = out.getvalue()
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<rPh" in sheet
    assert b"<is><t></t></is>" in sheet
    values = list(sheet_values(content))
    assert values == list(spreadsheets.sheet_rows(content))
    assert values[1][2] == "要求退款"
