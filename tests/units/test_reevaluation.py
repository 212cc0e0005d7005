"""Yearly re-evaluation (后评价) and automatic status (issue 12 item 5, DESIGN.md §5 lifecycle).

Dates are passed to the services as ``today=`` (relative to the certificate), never read from a
clock; the list filter and the pages, which read today's date, are given deadlines relative to it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import AuditEvent, Notification, Role, User
from scoring.grading.status import follow_grades
from tests.conftest import client_for
from tests.scoring.conftest import ScoringWorld, make_demonstration, scoring_world  # noqa: F401
from tests.units.helpers import SYSTEMS, add_station, grade, meet_standard, verified_system
from units import services, services_status
from units.models import ApplicationStatus, DemonstrationStatus, Unit

pytestmark = pytest.mark.django_db

APPROVED, WARNING = DemonstrationStatus.APPROVED, DemonstrationStatus.WARNING
STATION_LABEL = "有专人负责投诉处理的12315消费维权服务站正常运行"


def certified(unit: Unit, staff: User, *, until: dt.date | None = None) -> Unit:
    """A demonstration unit that meets the standard, its certificate running until ``until``."""
    meet_standard(unit, staff)
    until = until or timezone.localdate() + dt.timedelta(days=200)
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status=APPROVED,
        certificate_no=f"LSK-FXXF-{until.year - 1}-00042",
        certified_from=until - dt.timedelta(days=364),
        certified_until=until,
    )
    unit.refresh_from_db()
    return unit


def close_station(unit: Unit, operator: User) -> None:
    services.station_save(unit=unit, by=operator, active=False)


def plaque(unit: Unit) -> str:
    return Client().get(reverse("plaque", args=[unit.public_id])).content.decode()


def told(user: User, unit: Unit, what: str) -> bool:
    return Notification.objects.filter(user=user, key__startswith=f"unit:{unit.pk}:{what}").exists()


# --- Renewal ------------------------------------------------------------------------------------


def test_the_operator_is_invited_sixty_days_before_the_certificate_expires(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    until = unit.certified_until
    assert until is not None
    assert services_status.invite_renewals(today=until - dt.timedelta(days=61)) == 0
    assert services_status.invite_renewals(today=until - dt.timedelta(days=60)) == 1
    invitation = Notification.objects.get(user=operator, key__contains=":renewal:")
    assert unit.certificate_no in invitation.message
    assert until.isoformat() in invitation.message
    assert AuditEvent.objects.filter(action="unit.renewal_invited", object_id=str(unit.pk)).exists()


def test_one_invitation_per_certificate_however_often_the_job_runs(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    assert unit.certified_until is not None
    for days_before in (60, 59, 10):
        services_status.invite_renewals(today=unit.certified_until - dt.timedelta(days_before))
    assert Notification.objects.filter(user=operator, key__contains=":renewal:").count() == 1
    assert AuditEvent.objects.filter(action="unit.renewal_invited").count() == 1


def test_the_workspace_shows_the_invitation_with_an_apply_button_that_starts_the_renewal(
    unit: Unit, operator: User, district_staff: User
) -> None:
    # Expiring in 30 days: the renewal is for the year after the certificate's last day.
    unit = certified(unit, district_staff, until=timezone.localdate() + dt.timedelta(days=30))
    services_status.invite_renewals(today=timezone.localdate())
    year = services_status.renewal_year(unit)
    assert year is not None
    client = client_for(operator)
    page = client.get(reverse("workspace")).content.decode()
    assert 'data-testid="renewal-banner"' in page
    assert "申请复评" in page
    assert f'name="year" value="{year}"' in page

    response = client.post(reverse("application-new", args=[unit.pk]), {"year": year})
    assert response.status_code == 302
    renewal = unit.applications.get(year=year)
    assert renewal.status == ApplicationStatus.DRAFT
    page = client.get(reverse("workspace")).content.decode()
    assert reverse("workspace-application", args=[renewal.pk]) in page
    assert "查看复评申请" in page


def test_a_renewal_is_refused_naming_the_criteria_the_unit_no_longer_meets(
    unit: Unit, operator: User, district_staff: User
) -> None:
    from django.core.exceptions import ValidationError

    unit = certified(unit, district_staff)
    assert unit.certified_until is not None
    renewal = services.application_create(
        unit=unit,
        by=operator,
        year=unit.certified_until.year + 1,
        statement="复评自评：各项制度持续落实。",
        commitments_confirmed=True,
    )
    renewal = services.application_submit(application=renewal, by=operator, version=renewal.version)
    renewal = services.application_start_review(
        application=renewal, by=district_staff, version=renewal.version
    )
    renewal = services.application_to_onsite_check(
        application=renewal, by=district_staff, version=renewal.version
    )
    close_station(unit, operator)
    with pytest.raises(ValidationError) as refused:
        services.application_approve(
            application=renewal, by=district_staff, version=renewal.version
        )
    assert any(STATION_LABEL in message for message in refused.value.messages)
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.ONSITE_CHECK


# --- Lapse, warning, rectification --------------------------------------------------------------


def test_closing_the_station_moves_the_unit_to_warning_naming_it_with_a_deadline(
    unit: Unit, operator: User, district_staff: User, street_staff: User
) -> None:
    unit = certified(unit, district_staff)
    close_station(unit, operator)
    unit.refresh_from_db()
    assert unit.demonstration_status == WARNING
    assert STATION_LABEL in unit.status_reason
    assert "12315消费维权服务站已停用" in unit.status_reason
    assert unit.rectify_by == timezone.localdate() + dt.timedelta(days=30)
    assert unit.warning_automatic
    event = AuditEvent.objects.get(action="unit.demonstration_warning", object_id=str(unit.pk))
    assert event.username == "system"
    assert event.detail["rectify_by"] == unit.rectify_by.isoformat()
    assert told(operator, unit, "warning")
    assert told(district_staff, unit, "warning")
    assert told(street_staff, unit, "warning")


def test_the_plaque_page_shows_the_warning_with_its_reason_and_deadline(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    close_station(unit, operator)
    unit.refresh_from_db()
    assert unit.rectify_by is not None
    html = plaque(unit)
    assert 'data-plaque-status="warning"' in html
    assert STATION_LABEL in html
    assert f'<time datetime="{unit.rectify_by.isoformat()}">' in html


def test_the_nightly_check_warns_a_unit_whose_grade_fell_and_names_the_grade(
    unit: Unit, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    today = timezone.localdate()
    grade(unit, "C", on=today)
    counts = services_status.units_follow_standard(today=today)
    assert counts["warned"] == 1
    unit.refresh_from_db()
    assert unit.demonstration_status == WARNING
    assert "最新评定等级及一票否决事项" in unit.status_reason
    assert STATION_LABEL not in unit.status_reason  # only the unmet criteria are named


def test_meeting_the_standard_again_puts_the_unit_back_to_approved(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    close_station(unit, operator)
    services.station_save(unit=unit, by=operator, active=True)
    unit.refresh_from_db()
    assert unit.demonstration_status == APPROVED
    assert unit.rectify_by is None
    assert AuditEvent.objects.filter(
        action="unit.demonstration_rectified", object_id=str(unit.pk), username="system"
    ).exists()
    assert told(operator, unit, "rectified")
    assert 'data-plaque-status="valid"' in plaque(unit)


def test_withdrawing_a_verified_system_lapses_it_and_verifying_again_lifts_it(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    services.commitment_save(unit=unit, by=operator, kind="purchase", content="进货查验（已修改）")
    unit.refresh_from_db()
    assert unit.demonstration_status == WARNING
    assert "进货查验" in unit.status_reason
    verified_system(unit, "purchase", operator, district_staff)
    unit.refresh_from_db()
    assert unit.demonstration_status == APPROVED


def test_a_warning_given_by_staff_is_not_lifted_by_the_system(
    unit: Unit, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    services_status.unit_warn(unit=unit, by=district_staff, reason="价格标示不规范")
    services_status.units_follow_standard(today=timezone.localdate())
    unit.refresh_from_db()
    assert (unit.demonstration_status, unit.status_reason) == (WARNING, "价格标示不规范")
    assert unit.rectify_by == timezone.localdate() + dt.timedelta(days=30)


def test_an_expired_certificate_is_left_to_renewal(unit: Unit, district_staff: User) -> None:
    unit = certified(unit, district_staff)
    assert unit.certified_until is not None
    grade(unit, "D", on=unit.certified_until + dt.timedelta(days=5))
    after = unit.certified_until + dt.timedelta(days=10)
    assert services_status.unit_follow_standard(unit=unit, today=after) == ""


# --- Deadline passed, revocation ----------------------------------------------------------------


def test_past_the_deadline_staff_are_told_once(
    unit: Unit, operator: User, district_staff: User, street_staff: User
) -> None:
    unit = certified(unit, district_staff)
    warned_on = timezone.localdate() - dt.timedelta(days=40)
    services_status.unit_warn(unit=unit, by=None, reason="抽检不合格", today=warned_on)
    deadline = warned_on + dt.timedelta(days=30)
    assert services_status.report_overdue_rectifications(today=deadline) == 0
    assert services_status.report_overdue_rectifications(today=deadline + dt.timedelta(1)) == 1
    assert services_status.report_overdue_rectifications(today=deadline + dt.timedelta(2)) == 0
    assert told(district_staff, unit, "overdue")
    assert told(street_staff, unit, "overdue")
    assert (
        AuditEvent.objects.filter(
            action="unit.rectification_overdue", object_id=str(unit.pk)
        ).count()
        == 1
    )


def test_the_unit_list_filters_the_units_due_for_revocation(
    unit: Unit, other_unit: User, district_staff: User
) -> None:
    overdue = certified(unit, district_staff)
    services_status.unit_warn(
        unit=overdue,
        by=district_staff,
        reason="抽检不合格",
        today=timezone.localdate() - dt.timedelta(days=31),
    )
    in_time = certified(other_unit, district_staff)  # type: ignore[arg-type]
    services_status.unit_warn(unit=in_time, by=district_staff, reason="价格标示不规范")
    page = client_for(district_staff).get(reverse("unit-list"), {"revocation_due": "yes"})
    html = page.content.decode()
    assert overdue.name in html
    assert in_time.name not in html


def test_staff_revoke_and_the_public_page_says_so_with_the_reason(
    unit: Unit, operator: User, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    services_status.unit_warn(
        unit=unit, by=None, reason="抽检不合格", today=timezone.localdate() - dt.timedelta(40)
    )
    client = client_for(district_staff)
    url = reverse("unit-status", args=[unit.pk])
    refused = client.post(url, {"action": "revoke", "reason": "预警期内未完成整改"})
    assert refused.status_code == 400  # the confirmation is required
    client.post(url, {"action": "revoke", "reason": "预警期内未完成整改", "confirm": "on"})
    unit.refresh_from_db()
    assert unit.demonstration_status == DemonstrationStatus.REVOKED
    html = plaque(unit)
    assert 'data-plaque-status="revoked"' in html
    assert "预警期内未完成整改" in html
    assert told(operator, unit, "revoked")


def test_staff_outside_the_units_street_cannot_change_its_status(
    unit: Unit, district_staff: User, desheng: object
) -> None:
    from tests.conftest import make_user

    unit = certified(unit, district_staff)
    outsider = make_user("olivia", Role.STAFF, desheng)  # type: ignore[arg-type]
    response = client_for(outsider).post(
        reverse("unit-status", args=[unit.pk]),
        {"action": "revoke", "reason": "x", "confirm": "on"},
    )
    assert response.status_code == 404
    unit.refresh_from_db()
    assert unit.demonstration_status == APPROVED


# --- Scoring ------------------------------------------------------------------------------------


def test_a_scoring_run_dropping_a_unit_to_c_moves_it_to_warning_on_its_public_page(
    scoring_world: ScoringWorld,  # noqa: F811
    district_staff: User,
) -> None:
    capped = scoring_world.units["capped"]  # graded C for 2026-10 (quality caps it)
    add_station(capped, district_staff)
    for kind in SYSTEMS:
        verified_system(capped, kind, district_staff, district_staff)
    capped = make_demonstration(capped)
    # The plaque page reads today's date: a certificate that runs past it.
    Unit.objects.filter(pk=capped.pk).update(
        certified_until=timezone.localdate() + dt.timedelta(days=200)
    )
    summary = scoring_world.score()
    assert summary["warned"] == 1
    capped.refresh_from_db()
    assert capped.demonstration_status == WARNING
    assert "C" in capped.status_reason
    assert STATION_LABEL not in capped.status_reason
    assert capped.rectify_by == scoring_world.as_of + dt.timedelta(days=30)
    html = plaque(capped)
    assert 'data-plaque-status="warning"' in html
    assert capped.status_reason in html


def test_follow_grades_is_the_same_mechanism_as_the_nightly_check(
    unit: Unit, district_staff: User
) -> None:
    unit = certified(unit, district_staff)
    score = grade(unit, "C", on=timezone.localdate())
    score.demonstration = True
    from scoring.periods import MONTH, current

    changes = follow_grades([score], period=current(MONTH, timezone.localdate()))
    assert changes == {"warned": 1, "restored": 0}
    assert services_status.units_follow_standard(today=timezone.localdate())["warned"] == 0


# --- The daily jobs -----------------------------------------------------------------------------


def test_the_nightly_job_warns_and_reports_and_a_second_run_changes_nothing(
    unit: Unit, operator: User, district_staff: User
) -> None:
    from units.tasks_status import follow_standard, invite_renewals

    # Expiring within the notice period, and graded C this month.
    unit = certified(unit, district_staff, until=timezone.localdate() + dt.timedelta(days=20))
    grade(unit, "C", on=timezone.localdate())
    first = follow_standard.delay().get()
    assert (first["warned"], first["overdue"]) == (1, 0)
    assert invite_renewals.delay().get() == 1
    again = follow_standard.delay().get()
    assert (again["warned"], again["updated"], again["overdue"]) == (0, 0, 0)
    assert invite_renewals.delay().get() == 0
    assert Notification.objects.filter(user=operator, key__contains=":warning:").count() == 1
