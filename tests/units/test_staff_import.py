"""Importing units: all or nothing, errors by row and column, re-import updates, encodings."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from tests.helpers import english, workbook_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db

IMPORT = reverse("unit-import")
TEMPLATE = reverse("unit-import-template")
HEADERS = [
    "统一社会信用代码",
    "名称",
    "行业",
    "地址",
    "所属街道",
    "法定代表人",
    "联系人",
    "联系电话",
    "经营状态",
]


def code(seed: int) -> str:
    return generate_credit_code(random.Random(5000 + seed))


def row(seed: int, **overrides: str) -> list[str]:
    values = {
        "统一社会信用代码": code(seed),
        "名称": f"导入商店{seed}",
        "行业": "零售",
        "地址": f"辽宁省大连市旅顺口区登峰街道导入路{seed}号",
        "所属街道": "登峰街道",
        "法定代表人": "孙七",
        "联系人": "周八",
        "联系电话": "13600001111",
        "经营状态": "在营",
    }
    values.update(overrides)
    return [values[header] for header in HEADERS]


def xlsx(rows: Sequence[Sequence[object]], headers: list[str] = HEADERS) -> bytes:
    return workbook_bytes(headers, rows)


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    lines = [",".join(HEADERS), *(",".join(values) for values in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(client: Client, content: bytes, name: str = "units.xlsx", dry_run: bool = False):
    data: dict[str, object] = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    assert client.get(IMPORT).status_code == 302
    assert client.get(TEMPLATE).status_code == 302


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "secadmin", "auditor"])
def test_only_staff_import(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx([row(1)])).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Unit.objects.exists()


# --- The web page ----------------------------------------------------------------------------


def test_staff_import_a_workbook(district_staff: User) -> None:
    response = english(district_staff).post(
        IMPORT, {"file": SimpleUploadedFile("units.xlsx", xlsx([row(1), row(2, 行业="catering")]))}
    )
    assert response.status_code == 200
    assert "2 rows: 2 new units, 0 updated" in response.content.decode()
    created = Unit.objects.get(credit_code=code(2))
    assert created.industry == "catering"
    assert created.jurisdiction.name == "登峰街道"
    assert created.kind == "enterprise"
    assert AuditEvent.objects.filter(action="unit.created", actor=district_staff).count() == 2
    event = AuditEvent.objects.get(action="unit.imported")
    assert event.detail["created"] == 2
    assert event.outcome == "success"


def test_one_bad_row_writes_nothing_and_every_error_is_listed(district_staff: User) -> None:
    bad = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    content = xlsx([row(1), row(2, 统一社会信用代码=bad), row(3, 行业="卖鱼", 所属街道="火星街道")])
    response = upload(english(district_staff), content)
    assert response.status_code == 400
    assert not Unit.objects.exists()
    lines = [str(error) for error in response.context["result"].errors]
    assert lines == [
        "row 3, 统一社会信用代码: The check digit is wrong: please check the code for a "
        "mistyped character.",
        "row 4, 行业: Unknown industry “卖鱼”; use one of: 零售、餐饮、住宿、旅游景区、农贸市场、"
        "商场超市、生活服务、教育培训、汽车销售维修、药品、其他.",
        "row 4, 所属街道: Unknown street “火星街道”; give its name or 12-digit division code.",
    ]
    content_text = response.content.decode()
    assert "Nothing was imported." in content_text
    assert "row 3, 统一社会信用代码" in content_text
    assert AuditEvent.objects.get(action="unit.imported").outcome == "failure"


def test_reimporting_a_code_updates_the_unit_instead_of_duplicating_it(
    district_staff: User,
) -> None:
    client = english(district_staff)
    upload(client, xlsx([row(1), row(2)]))
    response = upload(client, xlsx([row(1, 名称="改名后的商店", 经营状态="歇业"), row(2)]))
    assert "2 rows: 0 new units, 1 updated, 1 unchanged" in response.content.decode()
    assert Unit.objects.count() == 2
    updated = Unit.objects.get(credit_code=code(1))
    assert updated.name == "改名后的商店"
    assert updated.business_status == "suspended"
    assert updated.version == 2


def test_codes_are_normalised_before_they_are_checked(district_staff: User) -> None:
    spaced = " ".join(code(1)[i : i + 6] for i in range(0, 18, 6)).lower()
    upload(english(district_staff), xlsx([row(1, 统一社会信用代码=spaced)]))
    assert Unit.objects.filter(credit_code=code(1)).exists()


def test_a_code_twice_in_one_file_is_an_error(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1), row(1)]))
    assert [str(e) for e in response.context["result"].errors] == [
        "row 3, 统一社会信用代码: This credit code already appears on row 2."
    ]


def test_missing_required_columns_are_named(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1)[:4]], headers=HEADERS[:4]))
    errors = [str(e) for e in response.context["result"].errors]
    assert errors == [
        "row 1, 所属街道: This column is missing.",
        "row 1, 法定代表人: This column is missing.",
    ]


def test_masked_values_from_an_export_are_refused(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1, 联系电话="136****1111")]))
    assert [str(e) for e in response.context["result"].errors] == [
        "row 2, 联系电话: This looks masked (it contains *); enter the full value."
    ]


def test_numbers_typed_into_excel_cells_keep_their_digits(district_staff: User) -> None:
    values: list[object] = list(row(1))
    values[7] = 13600001111  # Excel stores a typed phone number as a number
    upload(english(district_staff), xlsx([values]))
    assert Unit.objects.get().contact_phone == "13600001111"


def test_dry_run_checks_and_writes_nothing(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1)]), dry_run=True)
    assert response.status_code == 200
    assert "nothing was written (dry run)" in response.content.decode()
    assert not Unit.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_or_gb18030(district_staff: User, encoding: str) -> None:
    content = csv_bytes([row(1), row(2, 行业="生活服务（美容美发、洗浴、家政、维修）")], encoding)
    response = upload(english(district_staff), content, name="units.csv")
    assert response.status_code == 200, response.context["result"].messages
    assert Unit.objects.get(credit_code=code(1)).name == "导入商店1"
    assert Unit.objects.get(credit_code=code(2)).industry == "life"


def test_other_file_types_are_refused(district_staff: User) -> None:
    response = upload(english(district_staff), b"\xd0\xcf\x11\xe0", name="units.xls")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_street_staff_may_import_only_their_street(street_staff: User, other_unit: Unit) -> None:
    content = xlsx(
        [
            row(1),
            row(2, 所属街道="得胜街道"),
            row(3, 统一社会信用代码=other_unit.credit_code, 所属街道="登峰街道"),
        ]
    )
    response = upload(english(street_staff), content)
    errors = [str(e) for e in response.context["result"].errors]
    assert errors == [
        "row 3, 所属街道: Outside your jurisdiction: you may import units of 登峰街道 only.",
        "row 4, 统一社会信用代码: This unit is registered in 得胜街道, outside your jurisdiction.",
    ]
    assert Unit.objects.count() == 1  # other_unit only


def test_the_street_may_be_given_by_its_division_code(street_staff: User) -> None:
    upload(english(street_staff), xlsx([row(1, 所属街道="210212001000")]))
    assert Unit.objects.get().jurisdiction.code == "210212001000"


def test_the_template_has_the_headers_and_a_marked_example_row(district_staff: User) -> None:
    client = english(district_staff)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    result = upload(client, response.content, name="template.xlsx", dry_run=True)
    # The example row is marked: left in, it is refused by name instead of imported.
    assert result.context["result"].messages == ["Row 2 is the template's example row: delete it."]


# --- The command -----------------------------------------------------------------------------


def test_command_imports_with_a_staff_account(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row(1), row(2)]))
    out = io.StringIO()
    with translation.override("en"):  # the command speaks the active language
        call_command("import_units", str(path), "--user", district_staff.username, stdout=out)
    assert Unit.objects.count() == 2
    assert "2 new" in out.getvalue()


def test_command_exits_1_and_writes_nothing_on_errors(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes([row(1), row(2, 统一社会信用代码="91210212ABC")], "gb18030"))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_units", str(path), "--user", district_staff.username, stderr=err)
    assert raised.value.returncode == 1
    assert "row 3, 统一社会信用代码: A credit code has 18 characters; this one has 11." in (
        err.getvalue()
    )
    assert not Unit.objects.exists()


def test_command_dry_run_needs_no_user(tmp_path: Path, db: None) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row(1)]))
    out = io.StringIO()
    with translation.override("en"):  # the command speaks the active language
        call_command("import_units", str(path), "--dry-run", stdout=out)
    assert "1 new" in out.getvalue()
    assert not Unit.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
