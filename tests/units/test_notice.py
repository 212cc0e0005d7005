"""The public notice (公示) after approval: the public list, objections, staff's resolution, and
issuing the certificate once the notice has ended with nothing open (issue 12 item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.claims import StaleObject
from lyushunkou.models import AuditEvent, Notification, User
from tests.conftest import client_for
from tests.units.helpers import meet_standard, submitted_application
from units import services, services_notice
from units.models import (
    ApplicationStatus,
    CertificateCounter,
    DemonstrationApplication,
    DemonstrationStatus,
    Unit,
)
from units.models_notice import Objection, PublicNotice

pytestmark = pytest.mark.django_db

TEXT = "上月在该店就餐，菜价与标价不符。"
PHONE = "13712345678"


@pytest.fixture
def in_notice(unit: Unit, operator: User, street_staff: User) -> DemonstrationApplication:
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    for step in (services.application_start_review, services.application_to_onsite_check):
        application = step(application=application, by=street_staff, version=application.version)
    return services.application_approve(
        application=application, by=street_staff, version=application.version
    )


def notice_of(application: DemonstrationApplication) -> PublicNotice:
    notice = services_notice.open_notice(application)
    assert notice is not None
    return notice


def ended_yesterday(application: DemonstrationApplication) -> PublicNotice:
    """Move the notice into the past: it ran for its 7 days and ended yesterday."""
    today = timezone.localdate()
    PublicNotice.objects.filter(application=application).update(
        starts_on=today - dt.timedelta(days=7), ends_on=today - dt.timedelta(days=1)
    )
    return notice_of(application)


def lodge(application: DemonstrationApplication, text: str = TEXT) -> Objection:
    return services_notice.objection_lodge(notice=notice_of(application), text=text, contact=PHONE)


# --- Approval opens the notice -------------------------------------------------------------------


def test_approval_opens_a_seven_day_notice_and_issues_no_certificate_yet(
    in_notice: DemonstrationApplication, unit: Unit, operator: User
) -> None:
    notice = notice_of(in_notice)
    today = timezone.localdate()
    assert in_notice.status == ApplicationStatus.NOTICE
    assert (notice.starts_on, notice.ends_on) == (today, today + dt.timedelta(days=6))
    assert in_notice.certificate_no == ""
    unit.refresh_from_db()
    assert unit.demonstration_status == DemonstrationStatus.NONE
    assert Notification.objects.filter(user=operator, key__contains=":notice:").exists()


def test_the_notice_period_is_a_setting(
    settings: object, unit: Unit, operator: User, street_staff: User
) -> None:
    settings.NOTICE_DAYS = 10  # type: ignore[attr-defined]
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    for step in (services.application_start_review, services.application_to_onsite_check):
        application = step(application=application, by=street_staff, version=application.version)
    application = services.application_approve(
        application=application, by=street_staff, version=application.version
    )
    notice = notice_of(application)
    assert notice.ends_on - notice.starts_on == dt.timedelta(days=9)
    # The certificate's validity starts, by default, the day after the notice ends.
    assert application.valid_from == notice.issue_from


# --- The public page ---------------------------------------------------------------------------


def test_the_public_notice_page_lists_the_unit_without_personal_data(
    client: Client, in_notice: DemonstrationApplication, unit: Unit
) -> None:
    notice = notice_of(in_notice)
    page = client.get(reverse("notice-list")).content.decode()
    assert unit.name in page
    assert "登峰街道" in page
    assert notice.ends_on.isoformat() in page
    assert unit.legal_representative not in page
    assert unit.contact_phone not in page


def test_an_unverified_unit_is_not_listed(
    client: Client, in_notice: DemonstrationApplication, unit: Unit
) -> None:
    Unit.objects.filter(pk=unit.pk).update(verified_at=None)
    assert unit.name not in client.get(reverse("notice-list")).content.decode()


def test_the_plaque_page_of_a_unit_in_notice_says_so(
    client: Client, in_notice: DemonstrationApplication, unit: Unit
) -> None:
    page = client.get(reverse("plaque", args=[unit.public_id])).content.decode()
    assert 'data-plaque-status="notice"' in page
    assert reverse("objection-new", args=[notice_of(in_notice).pk]) in page


def test_anyone_may_object_and_the_objection_is_never_public(
    client: Client, in_notice: DemonstrationApplication, unit: Unit, street_staff: User
) -> None:
    url = reverse("objection-new", args=[notice_of(in_notice).pk])
    response = client.post(url, {"text": TEXT, "contact": PHONE, "website": ""})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.text, objection.contact, objection.status) == (TEXT, PHONE, "open")
    for page in (reverse("notice-list"), reverse("plaque", args=[unit.public_id])):
        content = client.get(page).content.decode()
        assert TEXT not in content
        assert PHONE not in content
    assert Notification.objects.filter(user=street_staff, key__startswith="objection:").exists()


def test_a_bot_filling_the_hidden_field_is_refused(
    client: Client, in_notice: DemonstrationApplication
) -> None:
    url = reverse("objection-new", args=[notice_of(in_notice).pk])
    client.post(url, {"text": TEXT, "contact": "", "website": "http://spam.example"})
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_per_address(
    client: Client, in_notice: DemonstrationApplication
) -> None:
    url = reverse("objection-new", args=[notice_of(in_notice).pk])
    for n in range(5):
        assert client.post(url, {"text": f"{TEXT}{n}"}).status_code == 302
    assert client.post(url, {"text": "第六条"}).status_code == 429
    assert Objection.objects.count() == 5


def test_an_objection_after_the_notice_ended_is_refused(
    client: Client, in_notice: DemonstrationApplication
) -> None:
    notice = ended_yesterday(in_notice)
    with pytest.raises(ValidationError):
        services_notice.objection_lodge(notice=notice, text=TEXT)
    response = client.post(reverse("objection-new", args=[notice.pk]), {"text": TEXT})
    assert response.status_code == 404
    assert not Objection.objects.exists()


# --- Staff resolve objections --------------------------------------------------------------------


def test_staff_see_the_objection_with_the_contact_masked(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    lodge(in_notice)
    page = client_for(street_staff).get(reverse("application-detail", args=[in_notice.pk]))
    content = page.content.decode()
    assert TEXT in content
    assert "137****5678" in content
    assert PHONE not in content


def test_staff_unmask_the_contact_for_a_reason_that_is_audited(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    objection = lodge(in_notice)
    url = reverse("objection-unmask", args=[in_notice.pk, objection.pk])
    response = client_for(street_staff).post(url, {"reason": "需电话核实异议情况"})
    assert PHONE in response.content.decode()
    event = AuditEvent.objects.get(action="application.objection_unmask", actor=street_staff)
    assert event.detail["reason"] == "需电话核实异议情况"


def test_a_leader_reads_the_objections_but_cannot_resolve_them(
    in_notice: DemonstrationApplication, leader: User
) -> None:
    objection = lodge(in_notice)
    client = client_for(leader)
    assert client.get(reverse("application-detail", args=[in_notice.pk])).status_code == 200
    url = reverse("objection-resolve", args=[in_notice.pk, objection.pk])
    response = client.post(url, {f"o{objection.pk}-decision": "dismissed", "reason": "x"})
    assert response.status_code == 403
    assert Objection.objects.get().status == "open"


def test_staff_of_another_street_cannot_resolve(
    in_notice: DemonstrationApplication, desheng: object
) -> None:
    from lyushunkou.models import Role
    from tests.conftest import make_user

    outsider = make_user("olga", Role.STAFF, desheng)  # type: ignore[arg-type]
    objection = lodge(in_notice)
    url = reverse("objection-resolve", args=[in_notice.pk, objection.pk])
    prefix = f"o{objection.pk}"
    data = {f"{prefix}-decision": "dismissed", f"{prefix}-reason": "不成立"}
    assert client_for(outsider).post(url, data).status_code == 404
    assert Objection.objects.get().status == "open"


def test_a_dismissed_objection_keeps_its_reason_and_the_operator_is_told(
    in_notice: DemonstrationApplication, street_staff: User, operator: User
) -> None:
    objection = lodge(in_notice)
    prefix = f"o{objection.pk}"
    client_for(street_staff).post(
        reverse("objection-resolve", args=[in_notice.pk, objection.pk]),
        {f"{prefix}-decision": "dismissed", f"{prefix}-reason": "经核查价签一致，异议不成立"},
    )
    objection.refresh_from_db()
    assert (objection.status, objection.resolution) == ("dismissed", "经核查价签一致，异议不成立")
    assert objection.resolved_by == street_staff
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.NOTICE  # the notice runs on
    told = Notification.objects.get(user=operator, key=f"objection:{objection.pk}:resolved")
    assert "经核查价签一致" in told.message
    assert AuditEvent.objects.filter(action="application.objection_dismissed").exists()


def test_resolving_needs_a_reason_named_in_the_error(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    objection = lodge(in_notice)
    with pytest.raises(ValidationError) as refused:
        services_notice.objection_resolve(
            objection=objection, by=street_staff, decision="dismissed", reason=" "
        )
    assert "reason" in refused.value.message_dict
    assert Objection.objects.get().status == "open"


def test_an_upheld_objection_returns_the_application_with_the_reason(
    in_notice: DemonstrationApplication, street_staff: User, operator: User
) -> None:
    upheld, other = lodge(in_notice), lodge(in_notice, "另一条异议")
    services_notice.objection_resolve(
        objection=upheld,
        by=street_staff,
        decision="upheld",
        outcome="return",
        reason="价格欺诈属实，整改后重新申请",
    )
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.DRAFT
    assert in_notice.staff_note == "价格欺诈属实，整改后重新申请"
    assert services_notice.open_notice(in_notice) is None
    other.refresh_from_db()
    assert other.status == "closed"  # nothing left to decide: the notice ended
    steps = [(e.from_status, e.to_status) for e in in_notice.events.all()][-1:]
    assert steps == [("notice", "draft")]
    assert Notification.objects.filter(user=operator, key=f"objection:{upheld.pk}:resolved")


def test_an_upheld_objection_can_reject_the_application(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    services_notice.objection_resolve(
        objection=lodge(in_notice),
        by=street_staff,
        decision="upheld",
        outcome="reject",
        reason="存在未整改的安全隐患",
    )
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.REJECTED
    assert in_notice.decided_at is not None


def test_an_objection_is_resolved_once(
    in_notice: DemonstrationApplication, street_staff: User, district_staff: User
) -> None:
    objection = lodge(in_notice)
    services_notice.objection_resolve(
        objection=objection, by=street_staff, decision="dismissed", reason="不成立"
    )
    with pytest.raises(StaleObject):
        services_notice.objection_resolve(
            objection=objection, by=district_staff, decision="upheld", outcome="return", reason="x"
        )
    assert Objection.objects.get().resolved_by == street_staff


# --- Issuing the certificate -------------------------------------------------------------------


def test_no_certificate_while_the_notice_runs(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    notice = notice_of(in_notice)
    with pytest.raises(ValidationError) as refused:
        services_notice.certificate_issue(
            application=in_notice, by=street_staff, today=notice.ends_on
        )
    assert notice.issue_from.isoformat() in " ".join(refused.value.messages)
    assert services_notice.certificates_issue_due(today=notice.ends_on) == 0


def test_no_certificate_while_an_objection_is_open(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    lodge(in_notice)
    later = notice_of(in_notice).issue_from
    assert services_notice.certificates_issue_due(today=later) == 0
    with pytest.raises(ValidationError) as refused:
        services_notice.certificate_issue(application=in_notice, by=street_staff, today=later)
    assert "1" in " ".join(refused.value.messages)
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.NOTICE


def test_the_daily_job_issues_the_certificate_after_the_notice_once(
    in_notice: DemonstrationApplication, unit: Unit, operator: User
) -> None:
    objection = lodge(in_notice)
    services_notice.objection_resolve(
        objection=objection,
        by=in_notice.notices.get().opened_by,
        decision="dismissed",
        reason="不成立",
    )
    later = notice_of(in_notice).issue_from
    assert services_notice.certificates_issue_due(today=later) == 1
    assert services_notice.certificates_issue_due(today=later) == 0  # idempotent
    in_notice.refresh_from_db()
    unit.refresh_from_db()
    assert in_notice.status == ApplicationStatus.APPROVED
    assert in_notice.certificate_no == unit.certificate_no == "LSK-FXXF-2026-00001"
    assert unit.demonstration_status == DemonstrationStatus.APPROVED
    assert (unit.certified_from, unit.certified_until) == (
        in_notice.valid_from,
        in_notice.valid_until,
    )
    event = AuditEvent.objects.get(action="application.approved")
    assert (event.actor, event.username) == (None, "system")
    assert Notification.objects.filter(user=operator, key__contains=":certificate:").exists()


def test_two_issuers_cannot_both_issue(
    in_notice: DemonstrationApplication, street_staff: User, district_staff: User
) -> None:
    later = notice_of(in_notice).issue_from
    services_notice.certificate_issue(application=in_notice, by=street_staff, today=later)
    with pytest.raises(ValidationError):
        services_notice.certificate_issue(application=in_notice, by=district_staff, today=later)
    assert CertificateCounter.objects.get().last == 1
    assert in_notice.events.filter(to_status=ApplicationStatus.APPROVED).count() == 1


def test_staff_issue_an_eligible_certificate_at_once_from_the_review_page(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    ended_yesterday(in_notice)
    client = client_for(street_staff)
    page = client.get(reverse("application-detail", args=[in_notice.pk])).content.decode()
    assert reverse("certificate-issue", args=[in_notice.pk]) in page
    response = client.post(reverse("certificate-issue", args=[in_notice.pk]))
    assert response.status_code == 302
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.APPROVED
    assert in_notice.events.last().actor == street_staff  # type: ignore[union-attr]


def test_the_issue_button_is_absent_while_the_notice_runs(
    in_notice: DemonstrationApplication, street_staff: User
) -> None:
    client = client_for(street_staff)
    page = client.get(reverse("application-detail", args=[in_notice.pk])).content.decode()
    assert reverse("certificate-issue", args=[in_notice.pk]) not in page
    client.post(reverse("certificate-issue", args=[in_notice.pk]))
    in_notice.refresh_from_db()
    assert in_notice.status == ApplicationStatus.NOTICE
