"""Importing the 12315 complaint file: all or nothing, errors by row and column, workflow steps
through the services, re-import adds only the new steps, encodings and date formats."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from complaints.imports import import_complaints
from complaints.models import Complaint, ComplaintEvent, Status
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, User
from tests.complaints.helpers import register
from tests.conftest import client_for
from tests.helpers import english
from units.models import Unit

pytestmark = pytest.mark.django_db

IMPORT = reverse("complaint-import")
TEMPLATE = reverse("complaint-import-template")
HEADERS = [
    "登记编号",
    "登记时间",
    "来源",
    "投诉人",
    "联系电话",
    "被投诉单位",
    "统一社会信用代码",
    "被投诉单位地址",
    "所属街道",
    "消费类别",
    "问题类别",
    "诉求内容",
    "涉及金额",
    "受理决定",
    "受理日期",
    "不予受理理由",
    "办结日期",
    "处理结果",
    "挽回经济损失",
    "满意度",
]


def row(number: int, **overrides: object) -> list[object]:
    values: dict[str, object] = {
        "登记编号": f"1210212202610{number:04d}",
        "登记时间": "2026-10-08 14:30",
        "来源": "12315热线",
        "投诉人": "王小明",
        "联系电话": "13812345678",
        "被投诉单位": "旅顺某海鲜馆",
        "统一社会信用代码": "",
        "被投诉单位地址": "辽宁省大连市旅顺口区登峰街道黄河路1号",
        "所属街道": "登峰街道",
        "消费类别": "服务",
        "问题类别": "价格",
        "诉求内容": "结账时被收取高价，要求退还差价。",
        "涉及金额": "680",
        "受理决定": "",
        "受理日期": "",
        "不予受理理由": "",
        "办结日期": "",
        "处理结果": "",
        "挽回经济损失": "",
        "满意度": "",
    }
    values.update(overrides)
    return [values[header] for header in HEADERS]


def concluded(number: int, **overrides: object) -> list[object]:
    steps: dict[str, object] = {
        "受理决定": "受理",
        "受理日期": "2026-10-09",
        "办结日期": "2026-10-20",
        "处理结果": "调解成功",
        "挽回经济损失": "300",
        "满意度": "满意",
    }
    steps.update(overrides)
    return row(number, **steps)


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str) -> bytes:
    lines = [",".join(HEADERS), *(",".join(str(v) for v in values) for values in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run(content: bytes, by: User | None, name: str = "12315.xlsx", dry_run: bool = False) -> Any:
    with translation.override("en"):
        return import_complaints(content=content, filename=name, by=by, dry_run=dry_run)


def errors(result: Any) -> list[str]:
    with translation.override("en"):  # the messages are lazy: read them in English too
        return [str(error) for error in result.errors]


def upload(client: Client, content: bytes, name: str = "12315.xlsx", dry_run: bool = False) -> Any:
    data: dict[str, object] = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(IMPORT, data)


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    assert client.get(IMPORT).status_code == 302
    assert client.get(TEMPLATE).status_code == 302


@pytest.mark.parametrize("persona", ["leader", "operator", "sysadmin", "secadmin", "auditor"])
def test_only_staff_import(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    assert upload(client, xlsx([row(1)])).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Complaint.objects.exists()


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


# --- Re-import -----------------------------------------------------------------------------


def test_reimport_adds_only_the_new_steps_and_keeps_the_timeline(district_staff: User) -> None:
    assert run(xlsx([row(1), row(2)]), district_staff).ok
    first = Complaint.objects.get(record_no="12102122026100001")
    registered_event = first.events.get()

    result = run(xlsx([concluded(1, 满意度=""), row(2)]), district_staff)
    assert result.ok, result.messages
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Complaint.objects.count() == 2
    first.refresh_from_db()
    assert first.status == Status.CONCLUDED
    assert first.accepted_on == dt.date(2026, 10, 9)
    assert list(first.events.values_list("pk", "action")) == [
        (registered_event.pk, "registered"),
        (first.events.get(action="accepted").pk, "accepted"),
        (first.events.get(action="concluded").pk, "concluded"),
    ]
    assert set(first.events.values_list("note", flat=True)) == {"import"}

    # The callback arrives in a later file; the same file again changes nothing.
    result = run(xlsx([concluded(1), row(2)]), district_staff)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    result = run(xlsx([concluded(1), row(2)]), district_staff)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert first.events.count() == 4


def test_reimport_adds_to_steps_taken_in_the_portal(
    district_staff: User, dengfeng: Any, street_staff: User
) -> None:
    from complaints import services

    complaint = register(dengfeng, on=dt.date(2026, 10, 8), record_no="12102122026100001")
    services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version, on=dt.date(2026, 10, 9)
    )
    result = run(xlsx([concluded(1, 受理决定="", 受理日期="")]), district_staff)
    assert result.ok, result.messages
    complaint.refresh_from_db()
    assert complaint.status == Status.CONCLUDED
    assert complaint.events.get(action="accepted").actor == street_staff


def test_reimport_contradicting_a_recorded_step_is_an_error(district_staff: User) -> None:
    assert run(xlsx([concluded(1)]), district_staff).ok
    result = run(
        xlsx([concluded(1, 处理结果="调解不成", 挽回经济损失="", 办结日期="2026-10-21")]),
        district_staff,
    )
    assert errors(result) == [
        "row 2, 处理结果: Contradicts the step already recorded (调解成功); the portal keeps "
        "its record.",
        "row 2, 办结日期: Contradicts the step already recorded (2026-10-20); the portal keeps "
        "its record.",
    ]
    assert Complaint.objects.get().outcome == "mediated"


def test_reimport_of_a_refused_complaint_as_accepted_is_an_error(district_staff: User) -> None:
    refused = row(1, 受理决定="不予受理", 受理日期="2026-10-09", 不予受理理由="超过三年")
    assert run(xlsx([refused]), district_staff).ok
    result = run(xlsx([concluded(1)]), district_staff)
    assert errors(result) == [
        "row 2, 受理决定: The complaint was not accepted (2026-10-09); the file says otherwise."
    ]


# --- Bad input: each reported with row and column, nothing written --------------------------


def bad(**overrides: object) -> list[object]:
    return row(3, **overrides)


def future(days: int = 5) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


BAD_CODE = generate_credit_code(random.Random(9))[:-1] + "I"

BAD_CASES = [
    ({"所属街道": "火星街道"}, "所属街道", "Unknown street “火星街道”"),
    ({"问题类别": "口味"}, "问题类别", "Unknown value “口味”; use one of: 质量、安全"),
    ({"来源": "微信"}, "来源", "Unknown value “微信”"),
    ({"消费类别": "虚拟"}, "消费类别", "Unknown value “虚拟”"),
    ({"联系电话": "12345"}, "联系电话", "Not a phone number"),
    ({"联系电话": "86123456"}, "联系电话", "Not a phone number"),  # no area code
    ({"联系电话": "138****5678"}, "联系电话", "This looks masked"),
    ({"投诉人": "王**"}, "投诉人", "This looks masked"),
    ({"统一社会信用代码": "91210212ABC"}, "统一社会信用代码", "has 18 characters; this one has 11"),
    ({"统一社会信用代码": BAD_CODE}, "统一社会信用代码", "never contain the letters"),
    ({"登记时间": future()}, "登记时间", "This date is in the future."),
    ({"登记时间": "下周一"}, "登记时间", "Not a date"),
    ({"受理决定": "受理", "受理日期": future()}, "受理日期", "in the future"),
    (
        {"受理决定": "受理", "受理日期": "2026-10-07"},
        "受理日期",
        "before the complaint was received",
    ),
    (
        {
            "受理决定": "受理",
            "受理日期": "2026-10-12",
            "办结日期": "2026-10-10",
            "处理结果": "撤回",
        },
        "办结日期",
        "cannot come before the acceptance",
    ),
    ({"办结日期": "2026-10-10", "处理结果": "撤回"}, "受理决定", "only after it was accepted"),
    (
        {"受理日期": "2026-10-08", "办结日期": "2026-10-01", "处理结果": "撤回"},
        "办结日期",
        "before the complaint was received",
    ),
    ({"受理日期": "2026-10-09", "处理结果": "撤回"}, "办结日期", "Give the date"),
    ({"受理日期": "2026-10-09", "办结日期": "2026-10-10"}, "处理结果", "Give the outcome"),
    ({"受理决定": "同意"}, "受理决定", "Unknown value “同意”"),
    ({"受理决定": "受理"}, "受理日期", "Give the date the complaint was accepted."),
    ({"受理决定": "不予受理", "受理日期": "2026-10-09"}, "不予受理理由", "Give the ground"),
    ({"处理结果": "和解", "受理日期": "2026-10-09", "办结日期": "2026-10-10"}, "处理结果", "和解"),
    ({"涉及金额": "-5"}, "涉及金额", "cannot be negative"),
    ({"涉及金额": "五百元"}, "涉及金额", "Not an amount"),
    (
        {
            "受理日期": "2026-10-09",
            "办结日期": "2026-10-10",
            "处理结果": "撤回",
            "挽回经济损失": "5",
        },
        "挽回经济损失",
        "Only a successful mediation",
    ),
    (
        {
            "受理日期": "2026-10-09",
            "办结日期": "2026-10-10",
            "处理结果": "调解成功",
            "挽回经济损失": "-1",
        },
        "挽回经济损失",
        "cannot be negative",
    ),
    ({"满意度": "满意"}, "满意度", "A callback follows the conclusion"),
    ({"满意度": "很好", "受理日期": "2026-10-09"}, "满意度", "Unknown value “很好”"),
    ({"诉求内容": ""}, "诉求内容", "This value is required."),
    ({"登记编号": "X" * 41}, "登记编号", "at most 40 characters"),
]


@pytest.mark.parametrize(("overrides", "column", "reason"), BAD_CASES)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
    district_staff: User, overrides: dict[str, object], column: str, reason: str
) -> None:
    content = xlsx([row(1), concluded(2), bad(**overrides)])
    result = run(content, district_staff)
    assert not result.ok
    lines = errors(result)
    assert any(line.startswith(f"row 4, {column}: ") and reason in line for line in lines), lines
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert AuditEvent.objects.get(action="complaint.imported").outcome == "failure"


def test_duplicate_record_numbers_in_one_file(district_staff: User) -> None:
    result = run(xlsx([row(1), row(2), row(1)]), district_staff)
    assert errors(result) == ["row 4, 登记编号: This record number already appears on row 2."]
    assert not Complaint.objects.exists()


def test_missing_required_columns_are_reported_once(district_staff: User) -> None:
    headers = [h for h in HEADERS if h not in ("所属街道", "诉求内容")]
    rows = [[v for h, v in zip(HEADERS, row(n), strict=True) if h in headers] for n in (1, 2)]
    result = run(xlsx(rows, headers=headers), district_staff)
    assert result.messages == ["column 所属街道: missing", "column 诉求内容: missing"]
    assert not Complaint.objects.exists()


def test_optional_columns_may_be_left_out(district_staff: User) -> None:
    headers = HEADERS[:6] + HEADERS[7:12]
    values = [v for h, v in zip(HEADERS, row(1), strict=True) if h in headers]
    assert run(xlsx([values], headers=headers), district_staff).ok


def test_every_error_is_listed_at_once(district_staff: User) -> None:
    content = xlsx([row(1, 联系电话="110"), row(2), row(3, 所属街道="火星街道", 涉及金额="-1")])
    result = run(content, district_staff)
    assert [line.split(":")[0] for line in errors(result)] == [
        "row 2, 联系电话",
        "row 4, 涉及金额",
        "row 4, 所属街道",
    ]


def test_page_shows_the_error_table(district_staff: User) -> None:
    response = upload(english(district_staff), xlsx([row(1, 所属街道="火星街道")]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was imported." in text
    assert "火星街道" in text
    assert not Complaint.objects.exists()


# --- Scope ---------------------------------------------------------------------------------


def test_street_staff_may_import_only_their_street(street_staff: User, desheng: Any) -> None:
    result = run(xlsx([row(1), row(2, 所属街道="得胜街道")]), street_staff)
    assert errors(result) == [
        "row 3, 所属街道: Outside your jurisdiction: you may import complaints of 登峰街道 only."
    ]
    assert not Complaint.objects.exists()
    assert run(xlsx([row(1)]), street_staff).ok


def test_street_staff_cannot_update_another_streets_complaint(
    street_staff: User, desheng: Any
) -> None:
    register(desheng, on=dt.date(2026, 10, 8), record_no="12102122026100001")
    result = run(xlsx([concluded(1)]), street_staff)
    assert errors(result) == [
        "row 2, 登记编号: This complaint is registered in 得胜街道, outside your jurisdiction."
    ]


# --- The template --------------------------------------------------------------------------


def test_the_template_has_the_headers_lists_and_a_marked_example_row(
    district_staff: User,
) -> None:
    from openpyxl import load_workbook

    client = english(district_staff)
    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert len(sheet.data_validations.dataValidation) >= 6
    assert workbook.worksheets[1].title == "Instructions"
    result = upload(client, response.content, name="template.xlsx", dry_run=True)
    # The example row is marked: left in, it is refused by name instead of imported.
    assert result.context["result"].messages == ["Row 2 is the template's example row: delete it."]


# --- The command ---------------------------------------------------------------------------


def test_command_imports_with_a_staff_account(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "12315.xlsx"
    path.write_bytes(xlsx([row(1), concluded(2)]))
    out = io.StringIO()
    # No CommandError: manage.py exits with status 0.
    with translation.override("en"):  # the command speaks the active language
        call_command("import_complaints", str(path), "--user", district_staff.username, stdout=out)
    assert Complaint.objects.count() == 2
    assert "2 new" in out.getvalue()


def test_command_exits_1_and_writes_nothing_on_errors(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "12315.csv"
    path.write_bytes(csv_bytes([row(1), row(2, 统一社会信用代码="91210212ABC")], "gb18030"))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_complaints", str(path), "--user", district_staff.username, stderr=err)
    assert raised.value.returncode == 1
    assert "row 3, 统一社会信用代码: A credit code has 18 characters; this one has 11." in (
        err.getvalue()
    )
    assert not Complaint.objects.exists()


def test_command_dry_run_needs_no_user(tmp_path: Path, db: None) -> None:
    path = tmp_path / "12315.xlsx"
    path.write_bytes(xlsx([concluded(1)]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_complaints", str(path), "--dry-run", stdout=out)
    assert "1 new" in out.getvalue()
    assert not Complaint.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_complaints", str(path))
