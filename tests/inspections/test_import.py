"""import_sampling: all or nothing, errors with row and column, re-import updates."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from inspections.exports import COLUMNS
from inspections.imports import import_sampling
from inspections.models import SamplingBatch
from lyushunkou.models import User
from tests.helpers import workbook_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]
GOOD = {
    "抽样单编号": "SC2025000001",
    "抽样日期": "2025/6/8",
    "抽检类型": "监督抽检",
    "产品类别": "食品",
    "产品名称": "花生油",
    "被抽样单位": "旅顺口区示例超市",
    "所属街道": "登峰街道",
    "检验机构": "大连市产品质量检验检测研究院",
    "检验结论": "合格",
}


def csv_file(*rows: dict[str, str], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return buffer.getvalue().encode(encoding)


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def run(content: bytes, by: User | None, **kwargs: Any):
    with translation.override("en"):
        return import_sampling(content=content, filename="抽检.csv", by=by, **kwargs)


def test_import_links_units_and_reimport_updates_by_sample_number(
    district_staff: User, unit: Unit
) -> None:
    failed = row(
        抽样单编号="SC2025000002",
        检验结论="不合格",
        不合格项目="酸价",
        核查处置="下架",
        被抽样单位统一社会信用代码=unit.credit_code,
    )
    result = run(csv_file(row(), failed, encoding="gb18030"), district_staff)
    assert result.ok, result.messages
    assert (result.created, result.updated) == (2, 0)
    second = SamplingBatch.objects.get(sample_no="SC2025000002")
    assert second.unit == unit
    assert second.disposals.count() == 1

    again = run(csv_file(row(产品名称="大豆油"), failed), district_staff)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert SamplingBatch.objects.count() == 2
    assert SamplingBatch.objects.get(sample_no="SC2025000001").product_name == "大豆油"
    assert second.disposals.count() == 1


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"抽检类型": "专项抽检"}, "抽检类型", "Unknown value"),
        ({"产品类别": "药品"}, "产品类别", "Unknown value"),
        ({"检验结论": "不合格"}, "不合格项目", "failed items"),
        ({"复检结论": "合格"}, "复检结论", "Only a failed batch can be re-tested"),
        ({"抽样日期": "2099-01-01"}, "抽样日期", "in the future"),
        ({"所属街道": "不存在街道"}, "所属街道", "Unknown street"),
        ({"被抽样单位统一社会信用代码": "91210212000000000X"}, "被抽样单位统一社会信用代码", ""),
        ({"检验机构": ""}, "检验机构", "required"),
    ],
)
def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_written(
    district_staff: User, changes: dict[str, str], column: str, reason: str
) -> None:
    content = csv_file(row(抽样单编号="SC2025000009"), row(**changes))
    result = run(content, district_staff)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert reason in result.errors[0].reason
    with translation.override("en"):
        assert str(result.errors[0]).startswith(f"row 3, {column}: ")
    assert not SamplingBatch.objects.exists()


def test_duplicate_sample_numbers_in_one_file_are_refused(district_staff: User) -> None:
    result = run(csv_file(row(), row()), district_staff)
    assert [(e.row, e.column) for e in result.errors] == [(3, "抽样单编号")]
    assert "row 2" in result.errors[0].reason
    assert not SamplingBatch.objects.exists()


def test_street_staff_import_only_their_street(street_staff: User) -> None:
    result = run(csv_file(row(所属街道="得胜街道")), street_staff)
    assert [e.column for e in result.errors] == ["所属街道"]


def test_an_xlsx_file_imports(district_staff: User) -> None:
    content = workbook_bytes(HEADERS, [[GOOD.get(header, "") for header in HEADERS]])
    result = import_sampling(content=content, filename="a.xlsx", by=district_staff)
    assert result.ok, result.messages


def test_the_command_exits_1_listing_every_error(tmp_path: Path, district_staff: User) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(row(抽检类型="x"), row(抽样单编号="B", 产品类别="y")))
    stderr = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_sampling", str(path), "--user", "alice", stderr=stderr)
    assert "row 2, 抽检类型" in stderr.getvalue()
    assert "row 3, 产品类别" in stderr.getvalue()
    path.write_bytes(csv_file(row()))
    call_command("import_sampling", str(path), "--dry-run", stdout=io.StringIO())
    assert not SamplingBatch.objects.exists()
    call_command("import_sampling", str(path), "--user", "alice", stdout=io.StringIO())
    assert SamplingBatch.objects.count() == 1
