"""Importing the 12315 complaint file: workflow steps through the services, encodings, date
formats and amounts, and the dry run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Status
from lyushunkou.models import AuditEvent, User
from tests.complaints.import_helpers import (
    concluded,
    csv_bytes,
    row,
    run,
    upload,
    xlsx,
)
from tests.helpers import english
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- Happy paths ---------------------------------------------------------------------------


def test_staff_import_a_workbook_through_the_page(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1), concluded(2)]))
    assert response.status_code == 200, response.context["result"].messages
    assert "2 rows: 2 new complaints, 0 updated, 0 unchanged." in response.content.decode()
    registered = Complaint.objects.get(record_no="12102122026100001")
    assert registered.status == Status.REGISTERED
    assert registered.received_at == dt.datetime(
        2026, 10, 8, 14, 30, tzinfo=timezone.get_current_timezone()
    )
    # 7 working days after Thursday 8 Oct: 9, 10 (a make-up working day), 12–16 October.
    assert registered.acceptance_due == dt.date(2026, 10, 16)
    assert registered.jurisdiction.name == "登峰街道"
    assert (registered.channel, registered.category, registered.consumption_kind) == (
        "hotline",
        "price",
        "service",
    )
    assert registered.amount_involved == Decimal("680.00")
    done = Complaint.objects.get(record_no="12102122026100002")
    assert done.status == Status.CONCLUDED
    assert (done.accepted_on, done.concluded_on) == (dt.date(2026, 10, 9), dt.date(2026, 10, 20))
    assert done.outcome == "mediated"
    assert done.amount_recovered == Decimal("300.00")
    assert done.satisfaction == "satisfied"
    # django-stubs type a nullable foreign key in values_list as int, never None.
    assert list(done.events.values_list("action", "actor", "note")) == [  # type: ignore[comparison-overlap]
        ("registered", None, "import"),
        ("accepted", None, "import"),
        ("concluded", None, "import"),
        ("callback_answered", None, "import: Satisfied"),
    ]
    # New complaints take the bulk path: the file's one audit event keeps the staff member
    # who imported it, with the counts of what was written (tests/complaints/test_import_bulk.py).
    event = AuditEvent.objects.get(action="complaint.imported")
    assert event.actor == district_staff
    assert event.detail["created"] == 2
    assert event.detail["bulk"] == {
        "complaints": 2,
        "steps": {"accepted": 1, "callback_answered": 1, "concluded": 1, "registered": 2},
    }


def test_gb18030_csv(district_staff: User) -> None:
    content = csv_bytes([row(1), concluded(2, 满意度="基本满意")], "gb18030")
    result = run(content, district_staff, name="12315.csv")
    assert result.ok, result.messages
    assert Complaint.objects.get(record_no="12102122026100002").satisfaction == "basically"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(district_staff: User, encoding: str) -> None:
    result = run(csv_bytes([row(1)], encoding), district_staff, name="12315.csv")
    assert result.ok, result.messages
    assert Complaint.objects.count() == 1


def test_a_credit_code_links_the_registered_unit(district_staff: User, unit: Unit) -> None:
    code = " ".join(unit.credit_code[i : i + 6] for i in range(0, 18, 6)).lower()
    assert run(xlsx([row(1, 统一社会信用代码=code)]), district_staff).ok
    assert Complaint.objects.get().unit == unit


def test_refusal_maps_the_ground_and_keeps_the_text(district_staff: User) -> None:
    rows = [
        row(1, 受理决定="不予受理", 受理日期="2026-10-09", 不予受理理由="已由法院受理"),
        row(2, 受理决定="不予受理", 办结日期="2026-10-10", 不予受理理由="投诉人无法联系"),
    ]
    assert run(xlsx(rows), district_staff).ok
    first, second = Complaint.objects.order_by("record_no")
    assert (first.status, first.refusal_ground, first.concluded_on) == (
        Status.REFUSED,
        "elsewhere",
        dt.date(2026, 10, 9),
    )
    assert (second.refusal_ground, second.conclusion_note) == ("other", "投诉人无法联系")
    assert second.events.get(action="refused").note == "import: 投诉人无法联系"


def test_termination_and_transfer_record_what_the_file_cannot_say(district_staff: User) -> None:
    rows = [
        concluded(1, 处理结果="终止调解", 挽回经济损失="", 满意度=""),
        concluded(2, 处理结果="移送", 挽回经济损失="", 满意度="不满意"),
    ]
    assert run(xlsx(rows), district_staff).ok, "import failed"
    terminated, transferred = Complaint.objects.order_by("record_no")
    assert terminated.termination_ground == "other"
    assert terminated.termination_notice_due is not None
    assert "no ground" in terminated.events.get(action="concluded").note
    assert transferred.transferred_to == "见12315系统"
    assert transferred.satisfaction == "dissatisfied"


SHANGHAI = ZoneInfo("Asia/Shanghai")
# An Excel cell holds no time zone (openpyxl refuses an aware datetime): the import reads it as
# local time.
EXCEL_TIME = dt.datetime(2026, 10, 8, 9, 5)  # noqa: DTZ001
EXCEL_DAY = dt.datetime(2026, 10, 9)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-08", dt.datetime(2026, 10, 8, 0, 0, tzinfo=SHANGHAI)),
        ("2026/10/8", dt.datetime(2026, 10, 8, 0, 0, tzinfo=SHANGHAI)),
        ("2026-10-08 14:30", dt.datetime(2026, 10, 8, 14, 30, tzinfo=SHANGHAI)),
        ("2026-10-08 14:30:15", dt.datetime(2026, 10, 8, 14, 30, 15, tzinfo=SHANGHAI)),
        (EXCEL_TIME, dt.datetime(2026, 10, 8, 9, 5, tzinfo=SHANGHAI)),
        (dt.date(2026, 10, 8), dt.datetime(2026, 10, 8, 0, 0, tzinfo=SHANGHAI)),
    ],
)
def test_dates_in_every_accepted_format(district_staff: User, text: Any, expected: Any) -> None:
    acceptance = EXCEL_DAY if not isinstance(text, str) else "2026/10/9"
    result = run(xlsx([row(1, 登记时间=text, 受理日期=acceptance)]), district_staff)
    assert result.ok, result.messages
    complaint = Complaint.objects.get()
    assert timezone.localtime(complaint.received_at) == expected
    assert complaint.accepted_on == dt.date(2026, 10, 9)


def test_full_width_amounts_and_thousands_separators(district_staff: User) -> None:
    rows = [
        concluded(1, 涉及金额="１，２３４．５０", 挽回经济损失="1,000"),
        row(2, 涉及金额=" 12 345 "),
    ]
    assert run(xlsx(rows), district_staff).ok
    first, second = Complaint.objects.order_by("record_no")
    assert first.amount_involved == Decimal("1234.50")
    assert first.amount_recovered == Decimal("1000.00")
    assert second.amount_involved == Decimal("12345.00")


def test_spaces_are_trimmed_and_streets_given_by_code(district_staff: User) -> None:
    assert run(xlsx([row(1, 所属街道=" 210212001000 ", 来源="  来访 ")]), district_staff).ok
    complaint = Complaint.objects.get()
    assert complaint.jurisdiction.code == "210212001000"
    assert complaint.channel == "visit"


def test_dry_run_goes_through_the_services_and_writes_nothing(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([concluded(1)]), dry_run=True)
    assert response.status_code == 200
    assert "nothing was written (dry run)" in response.content.decode()
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="complaint.").values_list("action", flat=True)
    ) == ["complaint.imported"]
