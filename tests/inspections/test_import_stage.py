"""The optional 抽样环节 column (DESIGN.md §6-7): imported, defaulted, exported, templated."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from inspections.exports import COLUMNS
from inspections.imports import import_sampling
from inspections.models import SamplingBatch
from lyushunkou.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]
GOOD = {
    "抽样单编号": "SC2025000101",
    "抽样日期": "2025/6/8",
    "抽检类型": "监督抽检",
    "产品类别": "食品",
    "产品名称": "花生油",
    "被抽样单位": "旅顺口区示例超市",
    "所属街道": "登峰街道",
    "检验机构": "大连市产品质量检验检测研究院",
    "检验结论": "合格",
}


def csv_file(*rows: dict[str, str], headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(header, "") for header in headers])
    return buffer.getvalue().encode("utf-8-sig")


def row(number: int = 101, **changes: str) -> dict[str, str]:
    return {**GOOD, "抽样单编号": f"SC2025{number:06d}", **changes}


def run(content: bytes, by: User):
    with translation.override("en"):
        return import_sampling(content=content, filename="抽检.csv", by=by)


def stage_of(number: int) -> str:
    return SamplingBatch.objects.get(sample_no=f"SC2025{number:06d}").stage


def test_the_stage_column_is_listed_after_disposal_and_optional() -> None:
    assert HEADERS[-2:] == ["核查处置", "抽样环节"]
    assert not COLUMNS[-1].required


@pytest.mark.parametrize(
    ("text", "stage"),
    [("生产", "production"), ("流通", "circulation"), ("餐饮服务", "catering")],
)
def test_a_stage_given_in_the_file_is_recorded(district_staff: User, text: str, stage: str) -> None:
    result = run(csv_file(row(抽样环节=text)), district_staff)
    assert result.ok, result.messages
    assert stage_of(101) == stage


def test_the_stage_may_be_written_with_its_suffix(district_staff: User) -> None:
    result = run(csv_file(row(抽样环节="生产环节")), district_staff)
    assert result.ok, result.messages
    assert stage_of(101) == "production"


def test_a_blank_stage_is_the_product_categorys_default(district_staff: User) -> None:
    rows = (row(101), row(102, 产品类别="重点消费品"), row(103, 产品类别="其他消费品"))
    result = run(csv_file(*rows), district_staff)
    assert result.ok, result.messages
    assert [stage_of(n) for n in (101, 102, 103)] == ["circulation", "production", "circulation"]


def test_a_file_without_the_stage_column_still_imports_with_defaults(
    district_staff: User,
) -> None:
    headers = [header for header in HEADERS if header != "抽样环节"]
    result = run(csv_file(row(102, 产品类别="重点消费品"), headers=headers), district_staff)
    assert result.ok, result.messages
    assert stage_of(102) == "production"


def test_an_unknown_stage_is_refused_naming_row_and_column_and_nothing_is_written(
    district_staff: User,
) -> None:
    result = run(csv_file(row(101), row(102, 抽样环节="批发")), district_staff)
    assert [(e.row, e.column) for e in result.errors] == [(3, "抽样环节")]
    with translation.override("en"):
        message = str(result.errors[0])
    assert message.startswith("row 3, 抽样环节: Unknown value “批发”")
    assert "生产、流通、餐饮服务" in message
    assert not SamplingBatch.objects.exists()


def test_catering_service_is_refused_for_goods_that_are_not_food(district_staff: User) -> None:
    result = run(csv_file(row(102, 产品类别="重点消费品", 抽样环节="餐饮服务")), district_staff)
    assert [(e.row, e.column) for e in result.errors] == [(2, "抽样环节")]
    assert not SamplingBatch.objects.exists()


def test_reimport_with_a_blank_stage_keeps_the_recorded_stage(district_staff: User) -> None:
    assert run(csv_file(row(抽样环节="生产")), district_staff).ok
    again = run(csv_file(row(产品名称="大豆油")), district_staff)
    assert again.ok, again.messages
    assert stage_of(101) == "production"


def test_reimport_changing_the_category_with_a_blank_stage_takes_the_new_default(
    district_staff: User,
) -> None:
    assert run(csv_file(row()), district_staff).ok
    again = run(csv_file(row(产品类别="重点消费品")), district_staff)
    assert again.ok
    assert again.updated == 1
    assert stage_of(101) == "production"


def test_reimport_with_a_new_stage_updates_it(district_staff: User) -> None:
    assert run(csv_file(row()), district_staff).ok
    again = run(csv_file(row(抽样环节="餐饮服务")), district_staff)
    assert again.ok
    assert again.updated == 1
    assert stage_of(101) == "catering"


def _export(user: User) -> list[dict[str, str]]:
    response = client_for(user).get(reverse("sampling-export", args=["csv"]))
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(content)))


def test_the_export_shows_each_batchs_stage(district_staff: User) -> None:
    assert run(
        csv_file(row(101, 抽样环节="餐饮服务"), row(102, 产品类别="重点消费品")), district_staff
    ).ok
    stages = {line["抽样单编号"]: line["抽样环节"] for line in _export(district_staff)}
    assert stages == {"SC2025000101": "餐饮服务", "SC2025000102": "生产"}


def test_the_export_shows_the_default_of_a_batch_loaded_without_a_stage(
    district_staff: User,
) -> None:
    assert run(csv_file(row(102, 产品类别="重点消费品")), district_staff).ok
    SamplingBatch.objects.update(stage="")  # as a bulk load leaves it
    assert [line["抽样环节"] for line in _export(district_staff)] == ["生产"]


def test_an_exported_file_imports_back_unchanged(district_staff: User) -> None:
    assert run(csv_file(row(101, 抽样环节="生产"), row(102)), district_staff).ok
    lines = _export(district_staff)
    again = run(csv_file(*lines, headers=list(lines[0])), district_staff)
    assert again.ok, again.messages
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_template_offers_the_stage_column_with_its_choices(district_staff: User) -> None:
    content = client_for(district_staff).get(reverse("sampling-import-template")).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == HEADERS
    letter = chr(ord("A") + headers.index("抽样环节"))
    formulas = {
        str(validation.sqref): validation.formula1
        for validation in sheet.data_validations.dataValidation
    }
    assert formulas[f"{letter}2:{letter}10000"] == '"生产,流通,餐饮服务"'
    assert sheet[f"{letter}2"].value == "流通"
    instructions = [str(cell.value) for cell in workbook.worksheets[1]["A"]]
    assert "抽样环节" in instructions


def test_the_templates_example_row_stays_marked(district_staff: User) -> None:
    content = client_for(district_staff).get(reverse("sampling-import-template")).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert any(str(cell.value or "").startswith("【示例】") for cell in sheet[2])
    assert sheet.cell(row=2, column=1).comment is not None
