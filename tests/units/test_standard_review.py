"""The demonstration-unit standard at review (DESIGN.md §5): approval refused naming every unmet
criterion; staff verification of the self-discipline systems; the checklist on the operator's and
the reviewer's pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import AuditEvent, User
from tests.conftest import client_for
from tests.units.helpers import (
    SYSTEMS,
    add_station,
    certify,
    grade,
    meet_standard,
    submitted_application,
    verified_system,
)
from tests.units.standard_helpers import at_review, status
from units import services
from units.models import (
    ApplicationStatus,
    CertificateCounter,
    Commitment,
    DemonstrationStatus,
    Unit,
)

pytestmark = pytest.mark.django_db


# --- Approval ----------------------------------------------------------------------------------


def test_approval_is_refused_naming_every_unmet_criterion_and_nothing_changes(
    unit: Unit, operator: User, street_staff: User
) -> None:
    """The test of the issue: no station and one system unverified, refused naming both."""
    application = at_review(unit, operator, street_staff)
    for kind in ("first_ask", "purchase", "return"):
        verified_system(unit, kind, operator, street_staff)
    services.commitment_save(unit=unit, by=operator, kind="advance_comp", **SYSTEMS["advance_comp"])
    grade(unit, "B")
    version = application.version
    with pytest.raises(ValidationError) as refused:
        services.application_approve(application=application, by=street_staff, version=version)
    messages = refused.value.messages
    assert len(messages) == 2
    assert any("12315" in message for message in messages)
    assert any("先行赔付" in message for message in messages)
    application.refresh_from_db()
    unit.refresh_from_db()
    assert application.status == ApplicationStatus.ONSITE_CHECK
    assert application.version == version
    assert not CertificateCounter.objects.exists()
    assert unit.demonstration_status == DemonstrationStatus.NONE

    add_station(unit, operator)
    verified_system(unit, "advance_comp", operator, street_staff)
    approved = services.application_approve(
        application=application, by=street_staff, version=version
    )
    assert approved.status == ApplicationStatus.NOTICE
    assert certify(approved, street_staff).certificate_no.endswith("-00001")


def test_the_reviewer_sees_the_refusal_on_the_page(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = at_review(unit, operator, street_staff)
    client = client_for(street_staff)
    response = client.post(
        reverse("application-action", args=[application.pk, "approve"]),
        {
            "version": application.version,
            "valid_from": timezone.localdate().isoformat(),
            "valid_days": 365,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "不符合示范单位标准" in page
    assert "12315" in page


def test_submitting_with_criteria_unmet_warns_but_submits(unit: Unit, operator: User) -> None:
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    application = services.application_create(
        unit=unit,
        by=operator,
        year=2026,
        statement="五放心自评",
        commitments_confirmed=True,
    )
    response = client_for(operator).post(
        reverse("workspace-application", args=[application.pk]),
        {
            "version": application.version,
            "statement": "五放心自评",
            "commitments_confirmed": "on",
            "action": "submit",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "不符合示范单位标准" in response.content.decode()


# --- Verification ------------------------------------------------------------------------------


def test_verifying_needs_an_evidence_file(unit: Unit, operator: User, street_staff: User) -> None:
    commitment = services.commitment_save(
        unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"]
    )
    with pytest.raises(ValidationError):
        services.commitment_verify(commitment=commitment, by=street_staff, note="看过")
    commitment.refresh_from_db()
    assert commitment.verified_at is None


def test_an_operators_edit_clears_the_verification(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "first_ask", operator, street_staff)
    services.commitment_save(
        unit=unit, by=operator, kind="first_ask", content="首问负责，改过的内容。"
    )
    commitment = Commitment.objects.get(unit=unit, kind="first_ask")
    assert commitment.verified_at is None
    assert commitment.verified_by is None
    assert status(unit, "first_ask") == "not_met"
    assert AuditEvent.objects.filter(action="unit.commitment_verification_cleared").count() == 1


def test_saving_the_same_text_keeps_the_verification(
    unit: Unit, operator: User, street_staff: User
) -> None:
    verified_system(unit, "first_ask", operator, street_staff)
    services.commitment_save(unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"])
    assert Commitment.objects.get(unit=unit, kind="first_ask").verified_at is not None


def verify_post(client: Client, unit: Unit, commitment: Commitment) -> Any:
    return client.post(
        reverse("commitment-verify", args=[unit.pk, commitment.kind]),
        {"seen": commitment.updated_at.isoformat(), "note": "查阅制度文本和照片"},
    )


@pytest.fixture
def declared(unit: Unit, operator: User) -> Commitment:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.units.helpers import PDF

    commitment = services.commitment_save(
        unit=unit, by=operator, kind="first_ask", **SYSTEMS["first_ask"]
    )
    services.evidence_add(
        unit=unit,
        by=operator,
        upload=SimpleUploadedFile("首问负责.pdf", PDF, "application/pdf"),
        commitment=commitment,
    )
    commitment.refresh_from_db()
    return commitment


def test_street_staff_verify_a_commitment_of_their_street(
    unit: Unit, declared: Commitment, street_staff: User
) -> None:
    response = verify_post(client_for(street_staff), unit, declared)
    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.verified_by == street_staff
    assert declared.verification_note == "查阅制度文本和照片"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("desheng_staff", 404), ("leader", 403), ("operator", 403), ("other_operator", 403)],
)
def test_only_staff_in_scope_verify(
    unit: Unit,
    declared: Commitment,
    desheng: Any,
    leader: User,
    operator: User,
    other_operator: User,
    persona: str,
    expected: int,
) -> None:
    from tests.conftest import make_user

    users = {
        "desheng_staff": make_user("desheng_staff", "staff", jurisdiction=desheng),
        "leader": leader,
        "operator": operator,
        "other_operator": other_operator,
    }
    response = verify_post(client_for(users[persona]), unit, declared)
    assert response.status_code == expected
    declared.refresh_from_db()
    assert declared.verified_at is None


def test_a_verification_of_a_changed_commitment_is_refused(
    unit: Unit, declared: Commitment, operator: User, street_staff: User
) -> None:
    seen = declared.updated_at
    services.commitment_save(unit=unit, by=operator, kind="first_ask", content="首问负责，又改了。")
    with pytest.raises(ValidationError):
        services.commitment_verify(commitment=declared, by=street_staff, note="看过", seen=seen)


# --- The checklist on the pages ----------------------------------------------------------------


def test_the_operator_sees_the_checklist_on_the_application_page(
    unit: Unit, operator: User
) -> None:
    application = submitted_application(unit, operator)
    page = client_for(operator).get(reverse("workspace-application", args=[application.pk]))
    html = page.content.decode()
    assert 'data-testid="standard-checklist"' in html
    assert 'data-criterion="station" data-status="not_met"' in html
    assert "不符合" in html
    assert "无数据" in html  # no grade yet


def test_the_reviewer_sees_the_checklist_with_links_to_the_records(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    html = (
        client_for(street_staff)
        .get(reverse("application-detail", args=[application.pk]))
        .content.decode()
    )
    assert 'data-testid="standard-met"' in html
    assert 'data-criterion="first_ask" data-status="met"' in html
    assert "符合" in html
    assert reverse("unit-detail", args=[unit.pk]) + "#station-heading" in html


def test_another_operator_cannot_see_the_checklist(
    unit: Unit, operator: User, other_operator: User
) -> None:
    application = submitted_application(unit, operator)
    response = client_for(other_operator).get(
        reverse("workspace-application", args=[application.pk])
    )
    assert response.status_code == 404


def test_the_staff_unit_page_offers_verification(
    unit: Unit, declared: Commitment, street_staff: User, leader: User
) -> None:
    html = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'data-testid="verify-form"' in html
    leader_html = client_for(leader).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'data-testid="verify-form"' not in leader_html
