"""Import templates mark their example row, an import refuses a file that still has it, and the
import page is a standards-mode page with no developer comment showing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lyushunkou.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

IMPORTS = [
    ("unit-import-template", "unit-import"),
    ("complaint-import-template", "complaint-import"),
    ("sampling-import-template", "sampling-import"),
]


@pytest.mark.parametrize(("template", "page"), IMPORTS)
def test_a_template_left_with_its_example_row_is_refused_naming_the_row(
    district_staff: User, template: str, page: str
) -> None:
    client = client_for(district_staff)
    content = client.get(reverse(template)).content
    response = client.post(
        reverse(page),
        {"file": SimpleUploadedFile("模板.xlsx", content), "dry_run": "on"},
    )
    assert "第2行是模板示例行：请删除" in response.content.decode()


@pytest.mark.parametrize("template", [name for name, _ in IMPORTS])
def test_the_example_row_is_marked_in_the_workbook(district_staff: User, template: str) -> None:
    content = client_for(district_staff).get(reverse(template)).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [str(cell.value or "") for cell in sheet[2]]
    assert any(value.startswith("【示例】") for value in values)
    assert sheet.cell(row=2, column=1).comment is not None


@pytest.mark.parametrize("page", [name for _, name in IMPORTS])
def test_the_import_page_starts_with_the_doctype(district_staff: User, page: str) -> None:
    html = client_for(district_staff).get(reverse(page)).content.decode()
    assert html.lower().startswith("<!doctype html>")
