"""Loading the communities and villages (issue 21 item 2): all or nothing, ``row N, column:
reason`` for an unknown street, a code twice and a missing name; who may load; the template."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from areas.imports import import_communities
from areas.models import Community
from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from tests.helpers import workbook_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("areas-community-import")
TEMPLATE = reverse("areas-community-template")
HEADER = ["社区（村）代码", "社区（村）名称", "所属街道"]
GOOD = [
    ["210212001001", "黄河路社区", "登峰街道"],
    ["210212001002", "长江路社区", "210212001000"],
    ["210212003201", "得胜村", "得胜街道"],
]


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def xlsx_file(rows: list[list[str]]) -> bytes:
    return workbook_bytes(HEADER, rows)


def lines(result: object) -> list[str]:
    """The errors as the page's text lists them (in English)."""
    with translation.override("en"):
        return list(result.messages)  # type: ignore[attr-defined]


def load(rows: list[list[str]], by: User, *, dry_run: bool = False) -> object:
    with translation.override("en"):
        return import_communities(
            content=csv_file(rows), filename="社区.csv", by=by, dry_run=dry_run
        )


def test_a_valid_file_loads_every_community_under_its_street(district_staff: User) -> None:
    result = load(GOOD, district_staff)

    assert result.ok  # type: ignore[attr-defined]
    assert result.created == 3  # type: ignore[attr-defined]
    loaded = {c.code: (c.name, c.street.name) for c in Community.objects.select_related("street")}
    assert loaded["210212001002"] == ("长江路社区", "登峰街道")
    assert loaded["210212003201"] == ("得胜村", "得胜街道")


def test_an_xlsx_file_loads_too(district_staff: User) -> None:
    result = import_communities(
        content=xlsx_file(GOOD), filename="社区.xlsx", by=district_staff, dry_run=False
    )
    assert result.ok
    assert Community.objects.count() == 3


def test_loading_again_updates_by_code_and_never_duplicates(district_staff: User) -> None:
    load(GOOD, district_staff)
    result = load([["210212001001", "黄河路新社区", "登峰街道"], *GOOD[1:]], district_staff)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)  # type: ignore[attr-defined]
    assert Community.objects.count() == 3
    assert Community.objects.get(code="210212001001").name == "黄河路新社区"


def test_an_unknown_street_refuses_the_whole_file(district_staff: User) -> None:
    result = load([*GOOD, ["210212099001", "某社区", "不存在街道"]], district_staff)

    assert not result.ok  # type: ignore[attr-defined]
    assert lines(result) == [
        "row 5, 所属街道: Unknown street “不存在街道”; give its name or 12-digit division code."
    ]
    assert not Community.objects.exists()


def test_a_code_twice_in_the_file_refuses_it(district_staff: User) -> None:
    result = load([*GOOD, ["210212001001", "重复社区", "登峰街道"]], district_staff)

    assert lines(result) == ["row 5, 社区（村）代码: This code already appears on row 2."]
    assert not Community.objects.exists()


def test_a_missing_name_refuses_the_file(district_staff: User) -> None:
    result = load([["210212001001", "", "登峰街道"]], district_staff)

    assert lines(result) == ["row 2, 社区（村）名称: The name is missing."]


def test_every_bad_row_is_listed_at_once(district_staff: User) -> None:
    result = load([["", "甲社区", "登峰街道"], ["210212001009", "", "无此街道"]], district_staff)
    assert [line.split(":")[0] for line in lines(result)] == [
        "row 2, 社区（村）代码",
        "row 3, 社区（村）名称",
        "row 3, 所属街道",
    ]


def test_the_district_itself_is_not_a_street(district_staff: User) -> None:
    result = load([["210212000001", "区直社区", "旅顺口区"]], district_staff)
    assert "not the district" in lines(result)[0]


def test_a_dry_run_checks_and_writes_nothing(district_staff: User) -> None:
    result = load(GOOD, district_staff, dry_run=True)
    assert result.ok  # type: ignore[attr-defined]
    assert result.created == 3  # type: ignore[attr-defined]
    assert not Community.objects.exists()


def test_street_staff_cannot_load_the_list(street_staff: User) -> None:
    result = load(GOOD, street_staff)
    assert not result.ok  # type: ignore[attr-defined]
    assert not Community.objects.exists()


def test_the_system_administrator_may_load_the_list(sysadmin: User) -> None:
    assert load(GOOD, sysadmin).ok  # type: ignore[attr-defined]


def test_every_load_is_audited(district_staff: User) -> None:
    load(GOOD, district_staff)
    event = AuditEvent.objects.get(action="areas.communities_imported")
    assert event.actor == district_staff
    assert event.detail["created"] == 3


# --- The page, the template and the command ------------------------------------------------------


def upload(client: Client, content: bytes, name: str = "社区.csv") -> object:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_district_staff_load_the_list_from_the_page(district_staff: User) -> None:
    response = upload(client_for(district_staff), csv_file(GOOD))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert Community.objects.count() == 3


def test_the_page_lists_the_errors_by_row_and_column(district_staff: User) -> None:
    response = upload(client_for(district_staff), csv_file([["210212001001", "", "登峰街道"]]))
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert b'data-testid="import-errors"' in response.content  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", ["street_staff", "leader", "operator", "auditor", "secadmin"])
def test_others_cannot_reach_the_import_page(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    assert client.get(IMPORT)["Location"].startswith(reverse("login"))


def test_the_template_has_the_headers_and_a_marked_example_row(sysadmin: User) -> None:
    response = client_for(sysadmin).get(TEMPLATE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == HEADER
    assert str(sheet["B2"].value).startswith("【示例】")


def test_a_filled_in_template_with_its_example_row_is_refused(district_staff: User) -> None:
    content = client_for(district_staff).get(TEMPLATE).content
    result = import_communities(
        content=content, filename="社区.xlsx", by=district_staff, dry_run=True
    )
    assert not result.ok


def test_the_command_loads_the_file(district_staff: User, tmp_path: object) -> None:
    path = tmp_path / "社区.csv"  # type: ignore[operator]
    path.write_bytes(csv_file(GOOD))
    call_command("import_communities", str(path), "--user", district_staff.username)
    assert Community.objects.count() == 3


def test_the_command_refuses_street_staff(street_staff: User, tmp_path: object) -> None:
    path = tmp_path / "社区.csv"  # type: ignore[operator]
    path.write_bytes(csv_file(GOOD))
    with pytest.raises(CommandError):
        call_command("import_communities", str(path), "--user", street_staff.username)
