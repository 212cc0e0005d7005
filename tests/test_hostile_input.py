"""Control characters never reach the database (issue 16, item 4): one rule, at the edges.

The penetration test's finding was ``/dashboard/?scope=%00``: a 500 on PostgreSQL, where the NUL
reached the audit record. These tests run on SQLite and PostgreSQL; on PostgreSQL the first
three failed before ``ControlCharactersMiddleware``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections.models import DishonestListing
from lyushunkou import audit
from lyushunkou.importing import ImportFileError, read_table
from lyushunkou.models import AuditEvent, User
from lyushunkou.sanitise import strip_controls
from tests.conftest import PASSWORD, client_for
from tests.test_zip_bomb import SHEET_START, cell, header_row, workbook
from tests.units.test_staff_import import csv_bytes
from tests.units.test_staff_import import row as unit_row
from units.imports import import_units
from units.models import EvidenceFile, Unit

pytestmark = pytest.mark.django_db


def test_the_dashboard_with_a_nul_scope_shows_the_default_scope(leader: User) -> None:
    response = client_for(leader).get("/dashboard/?scope=%00")
    assert response.status_code == 200


def test_a_session_cookie_with_a_nul_is_only_a_stale_session(client: Client) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_failed_login_with_a_nul_in_the_browser_name_is_still_counted(
    district_staff: User,
) -> None:
    client = Client(HTTP_USER_AGENT="Mozilla\x00/5.0")
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().user_agent == "Mozilla/5.0"


def test_a_search_with_control_characters_still_finds_the_unit(
    district_staff: User, unit: Unit
) -> None:
    response = client_for(district_staff).get(reverse("unit-list"), {"q": "海鲜\x00\x07馆"})
    assert response.status_code == 200
    assert "旅顺老街海鲜馆" in response.content.decode()


def test_a_url_path_with_a_control_character_is_a_bad_request(district_staff: User) -> None:
    response = client_for(district_staff).get("/dashboard/%00/")
    assert response.status_code == 400


def test_a_form_saves_typed_text_without_control_characters(street_staff: User, unit: Unit) -> None:
    response = client_for(street_staff).post(
        reverse("record-list", kwargs={"kind": "listings"}),
        {
            "unit_code": unit.credit_code,
            "listed_on": "2025-09-12",
            "authority": "旅顺口区市场\x07监督管理局",  # a table cell pasted from Word
            "reason": "价格\x00欺诈",  # Django's forms would refuse the NUL: it is gone first
        },
    )
    assert response.status_code == 302
    listing = DishonestListing.objects.get()
    assert (listing.authority, listing.reason) == ("旅顺口区市场监督管理局", "价格欺诈")
    assert listing.listed_on == dt.date(2025, 9, 12)


def test_an_uploaded_files_name_loses_its_control_characters(operator: User, unit: Unit) -> None:
    pdf = SimpleUploadedFile("承诺\x01书.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    client_for(operator).post(reverse("evidence-upload", kwargs={"pk": unit.pk}), {"file": pdf})
    assert EvidenceFile.objects.get().original_name == "承诺书.pdf"


def test_an_audit_event_strips_control_characters_from_its_detail(leader: User) -> None:
    event = audit.record(
        "access.denied", actor=leader, requested="21\x000212", nested={"k\x00": ["a\x1bb", 3]}
    )
    event.refresh_from_db()
    assert event.detail == {"requested": "210212", "nested": {"k": ["ab", 3]}}
    assert AuditEvent.objects.filter(action="access.denied").count() == 1


def test_imported_cells_lose_their_control_characters(district_staff: User) -> None:
    content = csv_bytes([unit_row(1, 名称="导入\x00商店\x071")], "utf-8")
    result = import_units(content=content, filename="商户.csv", by=district_staff, dry_run=False)
    assert result.ok, result.messages
    assert Unit.objects.get().name == "导入商店1"


def test_a_workbook_with_a_raw_control_byte_is_refused_as_unreadable() -> None:
    # XML cannot hold it: the sheet is not well-formed, which is the file's fault, not a 500.
    sheet = (
        SHEET_START
        + b"<sheetData>"
        + header_row()
        + b'<row r="2">'
        + cell("A2", "海鲜\x00馆")
        + b"</row></sheetData></worksheet>"
    )
    with pytest.raises(ImportFileError):
        read_table(workbook([sheet]), "商户.xlsx")


def test_the_rule_keeps_tabs_line_breaks_and_joiners() -> None:
    text = "第一行\r\n第二行\t备注\u200d"
    assert strip_controls(text) == text
    assert strip_controls("a\x00b\x0bc\x7fd\x85e\x9bf") == "abcdef"


def test_logging_in_works_with_the_form_read_by_the_middleware_first(district_staff: User) -> None:
    response = Client().post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
