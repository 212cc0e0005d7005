"""Plain helpers of the 12315 import's tests: the file's headers, rows and the files built from
them, and the import run through the service or the page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.imports import import_complaints
from lyushunkou.models import User
from tests.helpers import workbook_bytes

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
    return workbook_bytes(headers, rows)


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
