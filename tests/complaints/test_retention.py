"""Complainants' personal data is anonymised N years after their complaint was concluded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from complaints import retention, services, tasks
from complaints.models import Complaint, ComplaintEvent, MediationPause
from lyushunkou import crypto
from lyushunkou.masking_text import PersonalData
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.complaints.helpers import register

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
NAME, PHONE, ID_NUMBER = "欧阳娜娜", "13812345678", "210212199001011234"
ADDRESS = "辽宁省大连市旅顺口区登峰街道某小区3号楼"


def concluded(
    jurisdiction: Jurisdiction, staff: User, on: dt.date, *, note: str = "", **extra: Any
) -> Complaint:
    complaint = register(jurisdiction, on=on - dt.timedelta(days=20), **extra)
    complaint = services.complaint_accept(
        complaint=complaint, by=staff, version=complaint.version, on=on - dt.timedelta(days=19)
    )
    services.complaint_record_mediation(
        complaint=complaint,
        by=staff,
        kind="contact",
        occurred_at=complaint.received_at + dt.timedelta(days=3),
        note=f"电话联系{NAME}（{PHONE}），其同意调解。",
    )
    complaint.refresh_from_db()
    return services.complaint_conclude(
        complaint=complaint,
        by=staff,
        version=complaint.version,
        outcome="mediated",
        on=on,
        note=note,
    )


def test_personal_data_is_erased_three_years_after_conclusion(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    old = concluded(
        dengfeng,
        street_staff,
        dt.date(2023, 11, 30),
        request_text=f"本人{NAME}，电话{PHONE}，身份证{ID_NUMBER}，住{ADDRESS}，要求退款。",
        note=f"已向{NAME}退还差价，另一联系电话13900001111。",
    )
    recent = concluded(dengfeng, street_staff, dt.date(2023, 12, 1))

    run = retention.anonymise_concluded_complaints(today=TODAY)

    assert run.anonymised == [old.record_no]
    old.refresh_from_db()
    assert (old.complainant_name, old.complainant_phone, old.complainant_address) == ("", "", "")
    assert old.complainant_id_encrypted == old.complainant_id_hash == ""
    for text in (
        old.request_text,
        old.conclusion_note,
        *old.mediations.values_list("note", flat=True),
    ):
        for personal in (NAME, PHONE, ID_NUMBER, ADDRESS, "13900001111"):
            assert personal not in text
    assert old.request_text.endswith("要求退款。")  # the facts stay
    assert old.outcome == "mediated"
    assert old.concluded_on == dt.date(2023, 11, 30)
    # What was done is on record: the timeline, the complaint's audit trail, and the run.
    assert ComplaintEvent.objects.filter(complaint=old, action="anonymised").exists()
    assert AuditEvent.objects.filter(action="complaint.anonymised", object_id=str(old.pk)).exists()
    summary = AuditEvent.objects.get(action="complaints.anonymised")
    assert summary.detail["anonymised"] == 1
    assert summary.detail["years"] == 3
    recent.refresh_from_db()
    assert recent.complainant_name == NAME
    assert crypto.decrypt(recent.complainant_id_encrypted) == ID_NUMBER


def test_open_complaints_are_never_anonymised(dengfeng: Jurisdiction) -> None:
    complaint = register(dengfeng, on=dt.date(2020, 1, 6))
    assert retention.anonymise_concluded_complaints(today=TODAY).anonymised == []
    complaint.refresh_from_db()
    assert complaint.complainant_phone == PHONE


def test_the_years_are_a_setting(settings: Any, dengfeng: Jurisdiction, street_staff: User) -> None:
    settings.COMPLAINT_RETENTION_YEARS = 5
    complaint = concluded(dengfeng, street_staff, dt.date(2022, 6, 1))
    assert retention.anonymise_concluded_complaints(today=TODAY).anonymised == []
    settings.COMPLAINT_RETENTION_YEARS = 1
    assert retention.anonymise_concluded_complaints(today=TODAY).anonymised == [complaint.record_no]


def test_a_second_run_changes_nothing(dengfeng: Jurisdiction, street_staff: User) -> None:
    complaint = concluded(dengfeng, street_staff, dt.date(2022, 3, 1))
    retention.anonymise_concluded_complaints(today=TODAY)
    complaint.refresh_from_db()
    version = complaint.version

    assert retention.anonymise_concluded_complaints(today=TODAY).anonymised == []

    complaint.refresh_from_db()
    assert complaint.version == version
    assert ComplaintEvent.objects.filter(complaint=complaint, action="anonymised").count() == 1
    assert AuditEvent.objects.filter(action="complaints.anonymised").count() == 1


def test_a_complaint_changed_meanwhile_is_left_for_the_next_run(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = concluded(dengfeng, street_staff, dt.date(2022, 3, 1))
    stale = Complaint.objects.get(pk=complaint.pk)
    services.complaint_reopen(
        complaint=complaint, by=street_staff, version=complaint.version, reason="当事人再次申诉"
    )

    assert retention.complaint_anonymise(complaint=stale, today=TODAY) is False

    complaint.refresh_from_db()
    assert complaint.complainant_name == NAME


def test_the_dry_run_lists_and_changes_nothing(
    dengfeng: Jurisdiction, street_staff: User, capsys: pytest.CaptureFixture[str]
) -> None:
    complaint = concluded(dengfeng, street_staff, dt.date(2021, 5, 10))

    call_command("anonymise_complaints", "--dry-run")

    out = capsys.readouterr().out
    assert "Due: 1 complaint(s)" in out
    assert complaint.record_no in out
    assert NAME not in out
    assert PHONE not in out
    complaint.refresh_from_db()
    assert complaint.complainant_name == NAME
    assert not AuditEvent.objects.filter(action="complaints.anonymised").exists()


def test_the_command_and_the_nightly_task_anonymise(
    dengfeng: Jurisdiction, street_staff: User, capsys: pytest.CaptureFixture[str]
) -> None:
    first = concluded(dengfeng, street_staff, dt.date(2021, 5, 10))
    second = concluded(dengfeng, street_staff, dt.date(2021, 6, 10))

    call_command("anonymise_complaints")
    assert "Anonymised: 2 complaint(s)" in capsys.readouterr().out
    assert tasks.anonymise_concluded_complaints.delay().get() == 0

    assert (
        not Complaint.objects.filter(pk__in=[first.pk, second.pk])
        .exclude(complainant_phone="")
        .exists()
    )


def test_the_cutoff_of_a_leap_day() -> None:
    assert retention.retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2025, 2, 28)


def test_numbers_in_any_text_are_erased_with_nothing_kept() -> None:
    nobody = PersonalData()
    assert nobody.redact("联系 138-1234-5678 或 +86 13912345678") == "联系 **** 或 ****"
    assert nobody.redact("身份证21021219900101123X。") == "身份证****。"
    assert nobody.redact("座机0411-86201234") == "座机****"
    assert nobody.redact("金额680元，订单20241105") == "金额680元，订单20241105"


def test_pause_reasons_landlines_and_the_transfer_are_anonymised_too(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    complaint = register(dengfeng, on=dt.date(2023, 1, 9), complainant_phone="0411-86201234")
    complaint = services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=dt.date(2023, 1, 10)
    )
    services.complaint_pause(
        complaint=complaint,
        by=street_staff,
        on=dt.date(2023, 1, 11),
        reason=f"送检，结果通知{NAME}，座机86201234",
    )
    complaint.refresh_from_db()
    services.complaint_conclude(
        complaint=complaint,
        by=street_staff,
        version=complaint.version,
        outcome="transferred",
        transferred_to=f"区消协（{NAME}同意）",
        on=dt.date(2023, 2, 1),
    )

    assert retention.anonymise_concluded_complaints(today=TODAY).anonymised == [complaint.record_no]

    complaint.refresh_from_db()
    reason = MediationPause.objects.get(complaint=complaint).reason
    assert reason == "送检，结果通知****，座机****"
    assert complaint.transferred_to == "区消协（****同意）"
