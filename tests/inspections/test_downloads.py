"""Downloads of rectification evidence and checklist photos, per role, through access helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections import services_checks as checks
from inspections.models import CheckItem, Finding, OnSiteCheck
from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.fixture
def check(unit: Unit, street_staff: User) -> OnSiteCheck:
    return checks.check_record(
        unit=unit,
        by=street_staff,
        checked_on=dt.date(2025, 9, 1),
        check_type="price_marking",
        inspectors="张三",
        items=[
            {
                "item": "明码标价",
                "passed": False,
                "photo": SimpleUploadedFile("价签.png", PNG, "image/png"),
            }
        ],
        findings=[{"guarantee": "price", "severity": "general", "description": "价签不全"}],
    )


@pytest.fixture
def finding(check: OnSiteCheck, operator: User) -> Finding:
    return checks.finding_rectify(
        finding=check.findings.get(),
        by=operator,
        rectified_on=dt.date(2025, 9, 5),
        note="已补齐价签",
        evidence=SimpleUploadedFile("整改.pdf", PDF, "application/pdf"),
    )


@pytest.fixture
def item(check: OnSiteCheck) -> CheckItem:
    return check.items.get()


@pytest.fixture
def other_check(other_unit: Unit, district_staff: User) -> OnSiteCheck:
    return checks.check_record(
        unit=other_unit,
        by=district_staff,
        checked_on=dt.date(2025, 9, 2),
        check_type="safety",
        inspectors="王五",
        items=[{"item": "消防", "passed": True, "photo": SimpleUploadedFile("a.png", PNG)}],
    )


def _assert_attachment(response: object, content_type: str, body: bytes) -> None:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"] == content_type  # type: ignore[index]
    assert response["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert response["Content-Disposition"].startswith("attachment")  # type: ignore[index]
    assert b"".join(response.streaming_content) == body  # type: ignore[attr-defined]


def evidence_url(finding: Finding) -> str:
    return reverse("finding-evidence", args=[finding.pk])


def photo_url(item: CheckItem) -> str:
    return reverse("check-item-photo", args=[item.pk])


# --- Finding evidence, per role ------------------------------------------------------------


def test_the_operator_downloads_their_own_evidence(operator: User, finding: Finding) -> None:
    response = client_for(operator).get(evidence_url(finding))
    _assert_attachment(response, "application/pdf", PDF)


def test_another_operator_gets_404_and_it_is_audited(
    other_operator: User, finding: Finding
) -> None:
    assert client_for(other_operator).get(evidence_url(finding)).status_code == 404
    assert AuditEvent.objects.filter(actor=other_operator, action="access.denied").exists()


def test_street_staff_download_evidence_of_their_street(
    street_staff: User, finding: Finding
) -> None:
    _assert_attachment(client_for(street_staff).get(evidence_url(finding)), "application/pdf", PDF)


def test_district_staff_download_any_evidence(district_staff: User, finding: Finding) -> None:
    _assert_attachment(
        client_for(district_staff).get(evidence_url(finding)), "application/pdf", PDF
    )


def test_leaders_download_evidence(leader: User, finding: Finding) -> None:
    _assert_attachment(client_for(leader).get(evidence_url(finding)), "application/pdf", PDF)


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_get_404_for_evidence_and_it_is_audited(
    persona: str, request: pytest.FixtureRequest, finding: Finding
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(evidence_url(finding)).status_code == 404
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


def test_anonymous_visitors_are_sent_to_login(finding: Finding) -> None:
    response = Client().get(evidence_url(finding))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_finding_without_evidence_is_404(street_staff: User, check: OnSiteCheck) -> None:
    assert client_for(street_staff).get(evidence_url(check.findings.get())).status_code == 404


# --- Checklist photos, per role ------------------------------------------------------------


def test_the_operator_downloads_photos_of_their_units_checks(
    operator: User, item: CheckItem
) -> None:
    _assert_attachment(client_for(operator).get(photo_url(item)), "image/png", PNG)


def test_street_staff_download_photos_of_their_street_only(
    street_staff: User, item: CheckItem, other_check: OnSiteCheck
) -> None:
    client = client_for(street_staff)
    _assert_attachment(client.get(photo_url(item)), "image/png", PNG)
    assert client.get(photo_url(other_check.items.get())).status_code == 404
    assert AuditEvent.objects.filter(
        actor=street_staff, action="access.denied", outcome=AuditEvent.Outcome.DENIED
    ).exists()


def test_district_staff_and_leaders_download_photos(
    district_staff: User, leader: User, item: CheckItem
) -> None:
    _assert_attachment(client_for(district_staff).get(photo_url(item)), "image/png", PNG)
    _assert_attachment(client_for(leader).get(photo_url(item)), "image/png", PNG)


@pytest.mark.parametrize("persona", ["other_operator", "sysadmin", "auditor"])
def test_others_get_404_for_photos(
    persona: str, request: pytest.FixtureRequest, item: CheckItem
) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(photo_url(item)).status_code == 404
    assert AuditEvent.objects.filter(actor=user, action="access.denied").exists()


def test_anonymous_visitors_get_no_photo(item: CheckItem) -> None:
    assert Client().get(photo_url(item)).status_code == 302


# --- The links -------------------------------------------------------------------------------


def test_check_detail_and_finding_list_link_the_files(
    street_staff: User, finding: Finding, item: CheckItem
) -> None:
    client = client_for(street_staff)
    detail = client.get(reverse("check-detail", args=[finding.check_record_id])).content.decode()
    assert evidence_url(finding) in detail
    assert photo_url(item) in detail
    listing = client.get(reverse("finding-list")).content.decode()
    assert evidence_url(finding) in listing


def test_unit_pages_link_the_evidence(
    operator: User, street_staff: User, unit: Unit, finding: Finding
) -> None:
    staff_page = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk]))
    assert evidence_url(finding) in staff_page.content.decode()
    operator_page = client_for(operator).get(reverse("workspace-unit", args=[unit.pk]))
    assert evidence_url(finding) in operator_page.content.decode()
