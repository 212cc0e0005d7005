"""Importing the 12315 complaint file: all or nothing, each error reported by row and column."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import AuditEvent, User
from tests.complaints.import_helpers import (
    HEADERS,
    concluded,
    errors,
    row,
    run,
    upload,
    xlsx,
)
from tests.helpers import english

pytestmark = pytest.mark.django_db


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
