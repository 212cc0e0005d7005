"""The exports of the appeal list (the demonstration-area checklist's went with its page, issue
21): the list's rows with its filters, headers in the interface language, who may export (street
staff their scope), the audit events, no personal data, the rate limit, and query counts that do
not grow with the rows."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.ratelimit import EXPORTS_PER_HOUR
from scoring.grading.exports import appeal_headers
from scoring.models import Appeal
from tests.conftest import client_for, make_user
from tests.factories import UnitFactory
from tests.helpers import english
from tests.scoring.matrix_scores import make_appeal, make_score
from units.models import Unit

pytestmark = pytest.mark.django_db

APPEALS = reverse("appeal-list")


def export_url(name: str, fmt: str = "csv") -> str:
    return reverse(name, kwargs={"fmt": fmt})


def csv_rows(client: Client, url: str) -> list[list[str]]:
    response: Any = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def xlsx_rows(client: Client, url: str) -> list[list[str]]:
    from openpyxl import load_workbook

    response: Any = client.get(url)
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    return [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response: Any = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(captured)


@pytest.fixture
def desheng_staff(desheng: Jurisdiction) -> User:
    return make_user("ivan", "staff", desheng, full_name="得胜所人员壬")


# --- Appeals ----------------------------------------------------------------------------------


@pytest.fixture
def appeals(
    unit: Unit, other_unit: Unit, operator: User, other_operator: User, district_staff: User
) -> dict[str, Appeal]:
    score = make_score(unit, "2026-10")
    other = make_score(other_unit, "2026-10")
    earlier = make_score(unit, "2026-09")
    decided = make_appeal(earlier, operator, guarantee="quality")
    Appeal.objects.filter(pk=decided.pk).update(
        status=Appeal.Status.DISMISSED,
        decided_by=district_staff,
        decided_at=timezone.now(),
        decision_reason="价签问题经复核属实，维持原等级。",
    )
    return {
        "pending": make_appeal(score, operator),
        "reply": make_appeal(
            score, operator, kind=Appeal.Kind.REPLY, guarantee="", status=Appeal.Status.NOTED
        ),
        "desheng": make_appeal(other, other_operator),
        "decided": Appeal.objects.get(pk=decided.pk),
    }


def listed_appeals(client: Client, query: str) -> list[list[str]]:
    response: Any = client.get(f"{APPEALS}?{query}")
    assert response.status_code == 200
    return [[a.unit.credit_code, a.unit.name, a.period] for a in response.context["page"]]


def test_the_appeal_export_has_the_lists_rows_for_the_same_filters(
    district_staff: User, dengfeng: Jurisdiction, appeals: dict[str, Appeal]
) -> None:
    client = client_for(district_staff)
    url = export_url("appeal-export")
    for query in (
        "",  # without a status: those awaiting a decision, as the list
        "status=",
        "status=dismissed",
        "kind=reply&status=",
        "period=2026-10&status=",
        f"jurisdiction={dengfeng.pk}&status=",
        "period=not-a-period&status=",
    ):
        exported = [row[:2] + row[3:4] for row in csv_rows(client, f"{url}?{query}")[1:]]
        assert exported == listed_appeals(client, query), query
    assert len(csv_rows(client, f"{url}?status=")) == 1 + 4
    assert len(csv_rows(client, url)) == 1 + 2


def test_the_appeal_cells_in_english_without_the_submitter_or_the_grounds(
    district_staff: User, operator: User, unit: Unit, appeals: dict[str, Appeal]
) -> None:
    url = export_url("appeal-export")
    rows = csv_rows(english(client_for(district_staff)), f"{url}?status=dismissed")
    assert rows[0] == [
        "Unified social credit code",
        "Unit name",
        "Street or park",
        "Grading period",
        "Kind",
        "Guarantee concerned",
        "Grade appealed",
        "Status",
        "Submitted at",
        "Appeal due",
        "Decided at",
        "Reasons for the decision",
    ]
    decided = appeals["decided"]
    assert rows[1][:8] == [
        unit.credit_code,
        unit.name,
        unit.jurisdiction.name,
        "2026-09",
        "Appeal",
        "Quality",
        decided.grade,
        "Dismissed",
    ]
    assert rows[1][9] == decided.due.isoformat()
    assert rows[1][10] == f"{timezone.localtime(decided.decided_at):%Y-%m-%d %H:%M}"
    assert rows[1][11] == "价签问题经复核属实，维持原等级。"
    text = "\n".join(
        ",".join(row) for row in csv_rows(client_for(district_staff), f"{url}?status=")
    )
    for value in (operator.username, operator.full_name, decided.text):
        assert value
        assert value not in text


def test_the_appeal_headers_follow_the_interface_language(
    district_staff: User, appeals: dict[str, Appeal]
) -> None:
    rows = csv_rows(client_for(district_staff), export_url("appeal-export"))
    with translation.override("zh-hans"):
        assert rows[0] == appeal_headers()
    with translation.override("en"):
        assert rows[0] != appeal_headers()


def test_the_appeal_xlsx_export_has_the_same_rows(
    district_staff: User, appeals: dict[str, Appeal]
) -> None:
    client = client_for(district_staff)
    rows = xlsx_rows(client, f"{export_url('appeal-export', 'xlsx')}?status=")
    assert rows[1:] == csv_rows(client, f"{export_url('appeal-export')}?status=")[1:]


def test_street_staff_export_the_appeals_of_their_scope(
    street_staff: User, desheng_staff: User, appeals: dict[str, Appeal], other_unit: Unit
) -> None:
    url = f"{export_url('appeal-export')}?status="
    mine = csv_rows(client_for(street_staff), url)
    assert len(mine) == 1 + 3
    assert other_unit.name not in {row[1] for row in mine}
    theirs = csv_rows(client_for(desheng_staff), url)
    assert [row[1] for row in theirs[1:]] == [other_unit.name]


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "auditor"])
def test_the_appeal_export_is_for_staff_only(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(export_url("appeal-export")).status_code == 403
    assert not AuditEvent.objects.filter(action="appeal.exported").exists()


def test_the_appeal_export_is_audited_with_its_filters(
    district_staff: User, appeals: dict[str, Appeal]
) -> None:
    client = client_for(district_staff)
    csv_rows(client, f"{export_url('appeal-export')}?period=2026-10&page=2")
    xlsx_rows(client, f"{export_url('appeal-export', 'xlsx')}?status=")
    first, second = AuditEvent.objects.filter(action="appeal.exported").order_by("id")
    assert first.actor == district_staff
    assert first.detail["filters"] == {"status": "pending", "period": "2026-10"}
    assert first.detail["rows"] == 2
    assert first.detail["format"] == "csv"
    assert second.detail["filters"] == {}
    assert second.detail["rows"] == 4
    assert second.detail["format"] == "xlsx"


def test_the_appeal_list_links_to_the_export_with_its_filters(
    district_staff: User, appeals: dict[str, Appeal]
) -> None:
    html = client_for(district_staff).get(f"{APPEALS}?status=upheld").content.decode()
    assert f'href="{export_url("appeal-export")}?status=upheld"' in html
    assert f'href="{export_url("appeal-export", "xlsx")}?status=upheld"' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_appeal_export_query_count_does_not_grow(
    fmt: str, district_staff: User, operator: User, unit: Unit, desheng: Jurisdiction
) -> None:
    client = client_for(district_staff)
    url = f"{export_url('appeal-export', fmt)}?status="
    make_appeal(make_score(unit, "2026-10"), operator)
    one = queries(client, url)
    for other in UnitFactory.create_batch(15, jurisdiction=desheng):
        make_appeal(make_score(other, "2026-10"), operator)
    assert queries(client, url) == one


def test_exports_share_the_hourly_limit(district_staff: User) -> None:
    client = client_for(district_staff)
    for index in range(EXPORTS_PER_HOUR):
        name = "score-export" if index % 2 else "appeal-export"
        assert client.get(export_url(name)).status_code == 200
    assert client.get(export_url("score-export")).status_code == 429
    assert client.get(export_url("appeal-export", "xlsx")).status_code == 429
