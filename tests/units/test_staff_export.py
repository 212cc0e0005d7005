"""Exports of the filtered unit list: masked, in Chinese, complete, audited."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

XLSX = reverse("unit-export", args=["xlsx"])
CSV = reverse("unit-export", args=["csv"])


def xlsx_rows(response: object) -> list[list[object]]:
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def csv_text(response: object) -> str:
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    assert client.get(XLSX).status_code == 302
    assert client.get(CSV).status_code == 302


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(XLSX).status_code == 403
    assert client.get(CSV).status_code == 403


def test_an_unknown_format_is_not_found(district_staff: User) -> None:
    assert client_for(district_staff).get("/units/export.pdf").status_code == 404


@pytest.mark.parametrize("persona", ["district_staff", "leader"])
def test_xlsx_has_chinese_headers_and_masked_personal_data(
    persona: str, request: pytest.FixtureRequest, unit: Unit, other_unit: Unit
) -> None:
    response = client_for(request.getfixturevalue(persona)).get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    header = rows[0]
    assert header[:3] == ["统一社会信用代码", "名称", "主体类型"]
    assert "联系电话" in header
    assert "法定代表人" in header
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_code) == {unit.credit_code, other_unit.credit_code}
    exported = by_code[unit.credit_code]
    assert exported["联系电话"] == "138****5678"
    assert exported["法定代表人"] == "张*"
    assert exported["联系人"] == "李*"
    assert exported["所属街道"] == "登峰街道"
    assert exported["行业"] == "餐饮"
    assert exported["示范状态"] == "非示范单位"
    assert b"13812345678" not in b"".join(str(cell).encode() for row in rows for cell in row)


def test_csv_starts_with_a_bom_and_masks_the_phone(district_staff: User, unit: Unit) -> None:
    response = client_for(district_staff).get(CSV)
    assert response.status_code == 200
    text = csv_text(response)
    assert text.startswith("\ufeff统一社会信用代码,名称")
    assert "138****5678" in text
    assert "13812345678" not in text
    assert "张三" not in text


def test_export_follows_the_filters_and_the_scope(
    district_staff: User, street_staff: User, unit: Unit, other_unit: Unit
) -> None:
    filtered = csv_text(client_for(district_staff).get(f"{CSV}?industry=retail"))
    assert other_unit.credit_code in filtered
    assert unit.credit_code not in filtered
    scoped = csv_text(client_for(street_staff).get(CSV))
    assert unit.credit_code in scoped
    assert other_unit.credit_code not in scoped


def test_the_filename_is_chinese_with_an_ascii_fallback(district_staff: User, unit: Unit) -> None:
    disposition = client_for(district_staff).get(XLSX)["Content-Disposition"]
    assert disposition.startswith('attachment; filename="units_')
    assert f"filename*=UTF-8''{quote('经营主体_')}" in disposition
    assert disposition.endswith(".xlsx")


def test_an_export_is_audited_with_its_filters_and_row_count(
    leader: User, unit: Unit, other_unit: Unit
) -> None:
    csv_text(client_for(leader).get(f"{CSV}?industry=catering&page=3"))
    event = AuditEvent.objects.get(action="unit.exported")
    assert event.actor == leader
    assert event.detail == {"format": "csv", "filters": {"industry": "catering"}, "rows": 1}


def test_a_formula_typed_as_a_name_stays_text(district_staff: User, unit: Unit) -> None:
    Unit.objects.filter(pk=unit.pk).update(name='=HYPERLINK("http://evil","x")')
    assert "'=HYPERLINK" in csv_text(client_for(district_staff).get(CSV))
    content = b"".join(client_for(district_staff).get(XLSX).streaming_content)  # type: ignore[attr-defined]
    workbook = load_workbook(io.BytesIO(content))
    cell = workbook.worksheets[0]["B2"]
    assert cell.value == '=HYPERLINK("http://evil","x")'
    assert cell.data_type == "s"


def test_export_query_count_does_not_grow_with_rows(
    district_staff: User, unit: Unit, other_unit: Unit, django_assert_max_num_queries: object
) -> None:
    client = client_for(district_staff)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        xlsx_rows(client.get(XLSX))
