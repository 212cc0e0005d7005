"""Exporting the complaint list: the import's columns, personal data masked, filters applied."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from complaints import services
from complaints.exports import HEADERS
from complaints.imports import import_complaints
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.complaints.helpers import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CSV = reverse("complaint-export", args=["csv"])
XLSX = reverse("complaint-export", args=["xlsx"])


@pytest.fixture
def complaints(dengfeng: Jurisdiction, desheng: Jurisdiction, street_staff: User) -> None:
    concluded = register(dengfeng, on=dt.date(2026, 10, 8), record_no="A001")
    concluded = services.complaint_accept(
        complaint=concluded, by=street_staff, version=concluded.version, on=dt.date(2026, 10, 9)
    )
    services.complaint_conclude(
        complaint=concluded,
        by=street_staff,
        version=concluded.version,
        outcome="mediated",
        on=dt.date(2026, 10, 20),
        amount_recovered=Decimal("300"),
    )
    register(
        desheng,
        on=dt.date(2026, 10, 9),
        record_no="B002",
        respondent_name='=HYPERLINK("http://evil")',
        complainant_phone="0411-86123456",
    )


def csv_text(client: Client, url: str = CSV) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    assert client.get(CSV).status_code == 302


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_only_staff_and_leaders_export(persona: str, request: pytest.FixtureRequest) -> None:
    assert client_for(request.getfixturevalue(persona)).get(CSV).status_code == 403


def test_an_unknown_format_is_not_found(district_staff: User) -> None:
    assert client_for(district_staff).get("/complaints/export.pdf").status_code == 404


def test_csv_has_the_bom_the_import_columns_and_masks_the_complainant(
    leader: User, complaints: None
) -> None:
    text = csv_text(client_for(leader))
    assert text.startswith("\ufeff登记编号,登记时间,来源,投诉人,联系电话")
    lines = text.splitlines()
    assert lines[0].lstrip("\ufeff").split(",")[: len(HEADERS)] == HEADERS
    assert "欧阳**" in text
    assert "138****5678" in text
    assert "0411****3456" in text
    assert "欧阳娜娜" not in text
    assert "13812345678" not in text
    assert "调解成功" in text
    assert "300.00" in text
    assert "'=HYPERLINK" in text  # neutralised: Excel shows it as text
    event = AuditEvent.objects.get(action="complaint.exported")
    assert event.actor == leader
    assert event.detail["rows"] == 2


def test_xlsx_export_is_masked_and_text_only(district_staff: User, complaints: None) -> None:
    response = client_for(district_staff).get(XLSX)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][: len(HEADERS)] == HEADERS
    names = {row[3] for row in rows[1:]}
    assert names == {"欧阳**"}
    assert any(row[5] == '=HYPERLINK("http://evil")' for row in rows[1:])  # a string cell


def test_street_staff_export_only_their_street(street_staff: User, complaints: None) -> None:
    text = csv_text(client_for(street_staff))
    assert "A001" in text
    assert "B002" not in text


def test_the_lists_filters_apply(district_staff: User, complaints: None) -> None:
    text = csv_text(client_for(district_staff), CSV + "?status=concluded")
    assert "A001" in text
    assert "B002" not in text
    event = AuditEvent.objects.get(action="complaint.exported")
    assert event.detail["filters"] == {"status": "concluded"}


def test_an_export_imported_again_is_refused_as_masked(
    district_staff: User, complaints: None
) -> None:
    content = csv_text(client_for(district_staff)).encode("utf-8")
    result = import_complaints(content=content, filename="export.csv", by=district_staff)
    assert not result.ok
    assert any("masked" in message or "掩" in message for message in result.messages) or any(
        error.column in ("投诉人", "联系电话") for error in result.errors
    )
