"""Personal data typed into a complaint's free texts is masked wherever they are shown (issue 16).

The pen test found the complainant's phone, ID number and name in clear inside the request, the
records and the replies, though the fields were masked. Staff, leaders and operators now see them
masked on every page and in every export; staff with the permission see them in clear only on the
unmasking page, after giving a reason that the audit log keeps.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import retention, selectors, services
from complaints.models import Complaint
from lyushunkou.masking_text import REDACTED
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.complaints.helpers import received, register
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db

REQUEST = "请联系13912345678，身份证210212199001011234，我叫张三"
MASKED_REQUEST = "请联系139****5678，身份证2102**********1234，我叫张*"
CLEAR = ("13912345678", "210212199001011234", "我叫张三")
MEDIATION = "电话联系张三，另留座机0411-86201234"
MASKED_MEDIATION = "电话联系张*，另留座机0411****1234"
REPLY = "已致电13912345678与张三协商退款"
MASKED_REPLY = "已致电139****5678与张*协商退款"


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit, district_staff: User) -> Complaint:
    """张三's complaint against ``unit``, forwarded to its operator, who replied; then mediated."""
    complaint = register(
        dengfeng,
        on=today() - dt.timedelta(days=3),
        unit=unit,
        complainant_name="张三",
        complainant_phone="13912345678",
        complainant_id_number="210212199001011234",
        request_text=REQUEST,
    )
    complaint = services.complaint_accept(
        complaint=complaint, by=district_staff, version=complaint.version
    )
    complaint = services.complaint_forward_odr(
        complaint=complaint, by=district_staff, version=complaint.version
    )
    operator = complaint.unit.owner  # type: ignore[union-attr]
    assert operator is not None
    complaint = services.complaint_odr_respond(
        complaint=complaint, by=operator, version=complaint.version, response="disputed", text=REPLY
    )
    services.complaint_record_mediation(
        complaint=complaint,
        by=district_staff,
        kind="contact",
        occurred_at=timezone.now(),
        note=MEDIATION,
    )
    complaint.refresh_from_db()
    return complaint


def detail_url(complaint: Complaint) -> str:
    return reverse("complaint-detail", args=[complaint.pk])


def unmask_url(complaint: Complaint) -> str:
    return reverse("complaint-unmask", args=[complaint.pk])


def assert_masked(html: str) -> None:
    for clear in CLEAR:
        assert clear not in html
    assert MASKED_REQUEST in html


# --- Pages -------------------------------------------------------------------------------------


def test_staff_see_the_request_masked_on_the_complaint_page(
    district_staff: User, complaint: Complaint
) -> None:
    html = client_for(district_staff).get(detail_url(complaint)).content.decode()
    assert_masked(html)


def test_staff_see_the_reply_the_mediation_record_and_the_timeline_masked(
    district_staff: User, complaint: Complaint
) -> None:
    html = client_for(district_staff).get(detail_url(complaint)).content.decode()
    assert MASKED_REPLY in html  # the operator's reply, and its step on the timeline
    assert MASKED_MEDIATION in html  # the record, and its step on the timeline
    assert "0411-86201234" not in html
    assert "张三" not in html


def test_a_leader_sees_the_free_texts_masked(leader: User, complaint: Complaint) -> None:
    html = client_for(leader).get(detail_url(complaint)).content.decode()
    assert_masked(html)
    assert MASKED_MEDIATION in html


def test_the_operator_never_sees_the_complainants_data_in_the_texts(
    operator: User, complaint: Complaint
) -> None:
    html = (
        client_for(operator)
        .get(reverse("workspace-complaint", args=[complaint.pk]))
        .content.decode()
    )
    assert_masked(html)
    assert MASKED_REPLY in html  # even the reply they typed themselves


def test_operators_and_leaders_cannot_unmask_the_texts(
    operator: User, leader: User, complaint: Complaint
) -> None:
    for user in (operator, leader):
        response = client_for(user).post(unmask_url(complaint), {"reason": "想看看原文"})
        assert response.status_code == 403
        assert REQUEST not in response.content.decode()


def test_a_pause_reason_and_a_refusal_note_are_masked(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    paused = register(dengfeng, on=today() - dt.timedelta(days=3), complainant_name="张三")
    paused = services.complaint_accept(complaint=paused, by=district_staff, version=paused.version)
    services.complaint_pause(
        complaint=paused, by=district_staff, on=today(), reason="送检，结果电话告知13912345678"
    )
    refused = register(dengfeng, on=today() - dt.timedelta(days=3), complainant_name="张三")
    services.complaint_refuse(
        complaint=refused,
        by=district_staff,
        version=refused.version,
        ground="other",
        note="张三（身份证210212199001011234）已向法院起诉",
    )
    client = client_for(district_staff)

    paused_html = client.get(detail_url(paused)).content.decode()
    refused_html = client.get(detail_url(refused)).content.decode()

    assert "送检，结果电话告知139****5678" in paused_html
    assert "13912345678" not in paused_html
    assert "张*（身份证2102**********1234）已向法院起诉" in refused_html
    assert "210212199001011234" not in refused_html


# --- Unmasking ---------------------------------------------------------------------------------


def test_the_texts_are_in_clear_only_after_unmasking_with_a_reason_and_it_is_audited(
    district_staff: User, complaint: Complaint
) -> None:
    client = client_for(district_staff)

    refused = client.post(unmask_url(complaint), {"reason": ""})
    response = client.post(unmask_url(complaint), {"reason": "回电核实诉求内容"})

    assert refused.status_code == 400
    assert REQUEST not in refused.content.decode()
    html = response.content.decode()
    assert response.status_code == 200
    assert REQUEST in html
    assert REPLY in html
    assert MEDIATION in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="complaint.unmask", outcome="success")
    assert event.actor == district_staff
    assert event.detail["reason"] == "回电核实诉求内容"
    assert event.object_id == str(complaint.pk)
    # The complaint page stays masked afterwards.
    assert_masked(client.get(detail_url(complaint)).content.decode())


# --- Exports -----------------------------------------------------------------------------------


def test_the_csv_export_masks_the_request(leader: User, complaint: Complaint) -> None:
    response = client_for(leader).get(reverse("complaint-export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert_masked(text)


def test_the_xlsx_export_masks_the_request(district_staff: User, complaint: Complaint) -> None:
    response = client_for(district_staff).get(reverse("complaint-export", args=["xlsx"]))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert MASKED_REQUEST in cells
    assert not [cell for cell in cells for clear in CLEAR if clear in cell]


def test_the_refusal_note_is_masked_in_the_export(
    district_staff: User, dengfeng: Jurisdiction
) -> None:
    refused = register(dengfeng, on=today() - dt.timedelta(days=3), complainant_name="张三")
    services.complaint_refuse(
        complaint=refused,
        by=district_staff,
        version=refused.version,
        ground="other",
        note="张三已撤诉，电话13912345678",
    )
    response = client_for(district_staff).get(reverse("complaint-export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert "张*已撤诉，电话139****5678" in text
    assert "13912345678" not in text


# --- Display and anonymisation agree ---------------------------------------------------------


def _agree(masked: str, redacted: str) -> bool:
    """Whether the two show the same text outside the same places: where the anonymised text
    has ``****``, the displayed one has a mask, and nowhere else do they differ."""
    kept = [re.escape(part) for part in redacted.split(REDACTED)]
    match = re.fullmatch("(.+?)".join(kept), masked, flags=re.DOTALL)
    return match is not None and all("*" in group for group in match.groups())


def test_the_anonymiser_erases_exactly_what_the_pages_mask(
    dengfeng: Jurisdiction, district_staff: User
) -> None:
    complaint = register(
        dengfeng,
        on=dt.date(2022, 3, 1),
        complainant_name="欧阳娜娜",
        complainant_phone="0411-86201234",
        complainant_id_number="21021219900101123X",
        request_text=(
            "本人欧阳娜娜，住辽宁省大连市旅顺口区登峰街道某小区3号楼，座机8620 1234，"
            "手机+86 139-1234-5678，身份证21021219900101123x；2022-02-28消费12345元，"
            "订单20220228，要求退款。"
        ),
    )
    complaint = services.complaint_accept(
        complaint=complaint, by=district_staff, version=complaint.version, on=dt.date(2022, 3, 2)
    )
    services.complaint_record_mediation(
        complaint=complaint,
        by=district_staff,
        kind="session",
        occurred_at=received(dt.date(2022, 3, 7)),
        note="欧阳娜娜到场，送达登峰街道某小区3号楼，老身份证210212900101123",
    )
    complaint.refresh_from_db()
    complaint = services.complaint_conclude(
        complaint=complaint,
        by=district_staff,
        version=complaint.version,
        outcome="mediated",
        on=dt.date(2022, 3, 20),
        note="已电话（0411）86201234告知欧阳娜娜结果",
    )
    shown = selectors.complaint_detail(complaint)

    assert retention.complaint_anonymise(complaint=complaint, today=dt.date(2026, 1, 5))

    anonymised = selectors.complaint_detail(Complaint.objects.get(pk=complaint.pk), clear=True)
    pairs = [
        (shown.texts.request_text, anonymised.texts.request_text),
        (shown.texts.conclusion_note, anonymised.texts.conclusion_note),
        (shown.mediations[0].note, anonymised.mediations[0].note),
    ]
    for masked, redacted in pairs:
        assert REDACTED in redacted
        assert _agree(masked, redacted), (masked, redacted)
    assert "2022-02-28消费12345元，订单20220228，要求退款。" in anonymised.texts.request_text
