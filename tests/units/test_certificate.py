"""The electronic certificate (issue 12 item 4): a one-page PDF with the certificate number, the
unit's name and credit code, the validity and a QR code to the live plaque page, downloaded by the
unit's operator and staff in scope, rendered from the current records on every download."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from lyushunkou.models import AuditEvent, Jurisdiction, Role, User
from tests.conftest import client_for, make_user
from tests.units.helpers import approved_application, meet_standard, submitted_application
from units import services
from units.models import DemonstrationApplication, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(unit: Unit, operator: User, street_staff: User) -> DemonstrationApplication:
    return approved_application(unit, operator, street_staff)


def download(client: Client, application: DemonstrationApplication) -> Any:
    return client.get(reverse("certificate-download", args=[application.pk]))


def read(response: Any) -> tuple[str, list[str], int]:
    """The PDF's text, the QR codes decoded from its images, and its page count."""
    pdf = PdfReader(io.BytesIO(response.content))
    page = pdf.pages[0]
    codes = [r.text for image in page.images for r in zxingcpp.read_barcodes(image.image)]
    return page.extract_text(), codes, len(pdf.pages)


def test_the_operator_downloads_a_one_page_certificate_with_number_and_qr(
    certified: DemonstrationApplication, unit: Unit, operator: User
) -> None:
    response = download(client_for(operator), certified)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, codes, pages = read(response)
    assert pages == 1
    assert certified.certificate_no in text
    assert unit.credit_code in text
    assert certified.valid_until.isoformat() in text  # type: ignore[union-attr]
    assert codes == [f"http://testserver/u/{unit.public_id}/"]


def test_the_qr_code_points_at_the_public_site_when_it_is_configured(
    settings: Any, certified: DemonstrationApplication, unit: Unit, operator: User
) -> None:
    settings.PUBLIC_BASE_URL = "https://fxxf.lvshun.gov.cn"
    _text, codes, _pages = read(download(client_for(operator), certified))
    assert codes == [f"https://fxxf.lvshun.gov.cn/u/{unit.public_id}/"]


def test_a_download_is_audited(certified: DemonstrationApplication, street_staff: User) -> None:
    assert download(client_for(street_staff), certified).status_code == 200
    event = AuditEvent.objects.get(action="application.certificate_downloaded")
    assert event.actor == street_staff
    assert event.detail["certificate_no"] == certified.certificate_no


def test_the_certificate_is_rendered_from_the_current_records(
    certified: DemonstrationApplication, unit: Unit, operator: User, street_staff: User
) -> None:
    unit.refresh_from_db()
    services.unit_update_profile(
        unit=unit, by=street_staff, name="旅顺老街海鲜酒楼", version=unit.version
    )
    text, _codes, _pages = read(download(client_for(operator), certified))
    assert "旅顺老街海鲜酒楼" in text


@pytest.mark.parametrize("persona", ["district_staff", "street_staff"])
def test_staff_in_scope_download_it(
    request: pytest.FixtureRequest, certified: DemonstrationApplication, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert download(client_for(user), certified).status_code == 200


def test_staff_of_another_street_and_another_operator_get_a_404(
    certified: DemonstrationApplication, desheng: Jurisdiction, other_operator: User
) -> None:
    outsider = make_user("olga", Role.STAFF, desheng)
    assert download(client_for(outsider), certified).status_code == 404
    assert download(client_for(other_operator), certified).status_code == 404


def test_leaders_and_anonymous_visitors_cannot_download_it(
    client: Client, certified: DemonstrationApplication, leader: User
) -> None:
    assert download(client_for(leader), certified).status_code == 403
    response = download(client, certified)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_there_is_no_certificate_during_the_notice(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    for step in (
        services.application_start_review,
        services.application_to_onsite_check,
        services.application_approve,
    ):
        application = step(application=application, by=street_staff, version=application.version)
    assert download(client_for(operator), application).status_code == 404
    page = client_for(operator).get(reverse("workspace-application", args=[application.pk]))
    assert reverse("certificate-download", args=[application.pk]) not in page.content.decode()


def test_a_revoked_unit_has_no_certificate_to_download(
    certified: DemonstrationApplication, unit: Unit, operator: User, street_staff: User
) -> None:
    page = client_for(operator).get(reverse("workspace-application", args=[certified.pk]))
    assert reverse("certificate-download", args=[certified.pk]) in page.content.decode()
    unit.refresh_from_db()
    services.unit_revoke(unit=unit, by=street_staff, reason="虚假宣传，摘牌")
    assert download(client_for(operator), certified).status_code == 404
