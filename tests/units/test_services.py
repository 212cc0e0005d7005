"""The demonstration lifecycle and its guards, through the services."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from lyushunkou.claims import StaleObject
from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.units.helpers import approved_application, commit, submitted_application
from units import services
from units.models import ApplicationStatus, DemonstrationStatus, Unit

pytestmark = pytest.mark.django_db


def test_the_whole_lifecycle_issues_a_certificate_and_lists_the_unit(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = approved_application(unit, operator, street_staff)
    unit.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.certificate_no == "LSK-FXXF-2026-00001"
    assert unit.demonstration_status == DemonstrationStatus.APPROVED
    assert unit.certified_until == unit.certified_from + dt.timedelta(days=364)  # type: ignore[operator]
    assert unit.plaque_status() == "valid"
    steps = [(e.from_status, e.to_status) for e in application.events.all()]
    assert steps == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "onsite_check"),
        ("onsite_check", "notice"),
        ("notice", "approved"),
    ]
    assert AuditEvent.objects.filter(action="application.approved", actor=street_staff).exists()


def test_certificate_numbers_are_sequential_per_year(
    unit: Unit, other_unit: Unit, operator: User, other_operator: User, district_staff: User
) -> None:
    first = approved_application(unit, operator, district_staff)
    second = approved_application(other_unit, other_operator, district_staff)
    assert (first.certificate_no, second.certificate_no) == (
        "LSK-FXXF-2026-00001",
        "LSK-FXXF-2026-00002",
    )


def test_a_stale_version_is_refused_and_nothing_changes(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = submitted_application(unit, operator)
    stale_version = application.version
    services.application_start_review(
        application=application, by=street_staff, version=stale_version
    )
    with pytest.raises(StaleObject):
        services.application_reject(
            application=application, by=street_staff, version=stale_version, reason="材料不全"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_an_action_cannot_be_done_twice(unit: Unit, operator: User, street_staff: User) -> None:
    application = submitted_application(unit, operator)
    version = application.version
    services.application_start_review(application=application, by=street_staff, version=version)
    application.refresh_from_db()
    with pytest.raises(StaleObject):
        services.application_start_review(application=application, by=street_staff, version=version)
    assert application.events.filter(to_status="under_review").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent connections")
def test_two_reviewers_clicking_at_once_produce_one_transition(
    unit: Unit, operator: User, street_staff: User, district_staff: User
) -> None:
    application = submitted_application(unit, operator)
    version = application.version
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def act(user: User) -> None:
        barrier.wait()
        try:
            services.application_start_review(application=application, by=user, version=version)
            outcomes.append("won")
        except StaleObject:
            outcomes.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (street_staff, district_staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "won"]
    assert application.events.filter(to_status="under_review").count() == 1


def test_reject_and_return_need_a_reason(unit: Unit, operator: User, street_staff: User) -> None:
    application = submitted_application(unit, operator)
    with pytest.raises(ValidationError) as error:
        services.application_reject(
            application=application, by=street_staff, version=application.version, reason="  "
        )
    assert "reason" in error.value.message_dict


def test_returned_application_goes_back_to_draft_with_the_note(
    unit: Unit, operator: User, street_staff: User
) -> None:
    application = submitted_application(unit, operator)
    application = services.application_return(
        application=application,
        by=street_staff,
        version=application.version,
        reason="补充进货台账照片",
    )
    assert application.status == ApplicationStatus.DRAFT
    assert application.staff_note == "补充进货台账照片"
    resubmitted = services.application_submit(
        application=application, by=operator, version=application.version
    )
    assert resubmitted.status == ApplicationStatus.SUBMITTED
    assert resubmitted.staff_note == ""


def test_submitting_needs_confirmed_commitments(unit: Unit, operator: User) -> None:
    application = services.application_create(
        unit=unit, by=operator, year=2026, statement="", commitments_confirmed=False
    )
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            application=application, by=operator, version=application.version
        )
    assert {"commitments_confirmed", "statement", "__all__"} <= set(error.value.message_dict)


def test_one_live_application_per_unit_and_year(unit: Unit, operator: User) -> None:
    submitted_application(unit, operator)
    with pytest.raises(ValidationError):
        services.application_create(unit=unit, by=operator, year=2026, statement="x")


def test_warning_rectification_and_revocation(
    unit: Unit, operator: User, street_staff: User
) -> None:
    approved_application(unit, operator, street_staff)
    unit.refresh_from_db()
    services.unit_warn(unit=unit, by=street_staff, reason="抽检不合格未整改")
    assert unit.plaque_status() == "warning"
    services.unit_rectified(unit=unit, by=street_staff, reason="已整改复查合格")
    assert unit.plaque_status() == "valid"
    services.unit_revoke(unit=unit, by=street_staff, reason="价格欺诈受到处罚")
    assert unit.plaque_status() == "revoked"
    with pytest.raises(StaleObject):
        services.unit_warn(unit=unit, by=street_staff, reason="again")


def test_an_expired_certificate_shows_as_expired(
    unit: Unit, operator: User, street_staff: User
) -> None:
    approved_application(unit, operator, street_staff)
    unit.refresh_from_db()
    assert unit.certified_until is not None
    assert unit.plaque_status(unit.certified_until + dt.timedelta(days=1)) == "expired"


def test_a_concurrent_profile_edit_is_refused(unit: Unit, operator: User) -> None:
    version = unit.version
    services.unit_update_profile(
        unit=unit, by=operator, contact_phone="13900000000", version=version
    )
    with pytest.raises(StaleObject):
        services.unit_update_profile(unit=unit, by=operator, name="覆盖", version=version)
    unit.refresh_from_db()
    assert unit.name == "旅顺老街海鲜馆"
    assert unit.contact_phone == "13900000000"


def test_operators_cannot_move_their_unit_to_another_street(
    unit: Unit, operator: User, desheng: Jurisdiction
) -> None:
    services.unit_update_profile(unit=unit, by=operator, jurisdiction=desheng, version=unit.version)
    unit.refresh_from_db()
    assert unit.jurisdiction.code == "210212001000"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("91210212MA0Y3QX13", "18"),
        ("91210212MA0Y3QXI3L", "I"),
        ("91210212MA0Y3QX13O", "O"),
        ("9121021229141777L0", "check digit"),
        ("A1210212MA0Y3QX13L", "digits"),
    ],
)
def test_credit_code_errors_name_the_problem(raw: str, problem: str) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_credit_code(raw)
        assert problem in error.value.messages[0]  # messages are lazy: read them in English


def test_pasted_codes_are_normalised() -> None:
    assert normalize_credit_code(" ９１２１ ０２１２-２９１４１７７７ｌｗ ") == "9121021229141777LW"
    validate_credit_code(normalize_credit_code("９１２１０２１２２９１４１７７７ＬＷ"))


def test_commit_helper_records_one_commitment_per_kind(unit: Unit, operator: User) -> None:
    commit(unit, operator)
    commit(unit, operator)
    assert unit.commitments.count() == 1
