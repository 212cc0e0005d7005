"""Posting complaints and sampling results: the file importers' rules, all or nothing, errors by
index and field, idempotent by record number and by Idempotency-Key, and the same rows as a file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.forms.models import model_to_dict

from api.ingest import MAX_BATCH
from complaints.exports import COLUMNS as COMPLAINT_COLUMNS
from complaints.figures import complaint_figures
from complaints.imports import import_complaints
from complaints.models import Complaint, ComplaintEvent
from inspections.imports import import_sampling
from inspections.models import SamplingBatch
from lyushunkou.models import AuditEvent, User
from tests.api.helpers import api, post, system, token_for

pytestmark = pytest.mark.django_db

COMPLAINTS = "/api/v1/complaints/"
SAMPLING = "/api/v1/sampling/"


def complaint(number: int, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "登记编号": f"1210212202610{number:04d}",
        "登记时间": "2026-10-08 14:30",
        "来源": "12315热线",
        "投诉人": "王小明",
        "联系电话": "13812345678",
        "被投诉单位": "旅顺某海鲜馆",
        "被投诉单位地址": "辽宁省大连市旅顺口区登峰街道黄河路1号",
        "所属街道": "登峰街道",
        "消费类别": "服务",
        "问题类别": "价格",
        "诉求内容": "结账时被收取高价，要求退还差价。",
        "涉及金额": 680,
        "受理决定": "受理",
        "受理日期": "2026-10-09",
        "办结日期": "2026-10-20",
        "处理结果": "调解成功",
        "挽回经济损失": 300,
        "满意度": "满意",
    }
    record.update(changes)
    return record


def sample(number: int, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "sample_no": f"SC20250000{number:02d}",
        "sampled_on": "2025-06-08",
        "sampling_type": "监督抽检",
        "category": "食品",
        "product_name": "花生油",
        "sampled_unit_name": "旅顺口区示例超市",
        "jurisdiction": "登峰街道",
        "lab": "大连市产品质量检验检测研究院",
        "result": "合格",
    }
    record.update(changes)
    return record


@pytest.fixture
def token(secadmin: User) -> str:
    return token_for(system(secadmin), secadmin)


def test_a_batch_of_complaints_is_registered_through_the_workflow(token: str) -> None:
    response = post(api(token), COMPLAINTS, [complaint(1), complaint(2)])
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    assert Complaint.objects.get(record_no="12102122026100001").status == "concluded"


def test_writes_are_audited_under_the_system_account(token: str) -> None:
    post(api(token), COMPLAINTS, complaint(1))
    event = AuditEvent.objects.get(action="complaint.imported")
    assert event.username.startswith("api-")


def test_posting_the_same_batch_twice_adds_nothing(token: str) -> None:
    post(api(token), COMPLAINTS, [complaint(1), complaint(2)])
    events = ComplaintEvent.objects.count()
    again = post(api(token), COMPLAINTS, [complaint(1), complaint(2)]).json()
    assert (again["created"], again["unchanged"], ComplaintEvent.objects.count()) == (0, 2, events)


def test_one_bad_record_writes_nothing_and_is_named_by_index_and_field(token: str) -> None:
    response = post(api(token), COMPLAINTS, [complaint(1), complaint(2, 来源="传真")])
    assert response.status_code == 400
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "来源")]
    assert not Complaint.objects.exists()


def test_an_error_names_the_field_as_the_record_spelled_it(token: str) -> None:
    response = post(api(token), SAMPLING, sample(1, result="也许"))
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(0, "result")]


def test_unknown_fields_wrong_types_and_overlong_values_are_refused(token: str) -> None:
    bad = sample(1, colour="红", product_name=["花生油"], lab="检" * 6000)
    errors = post(api(token), SAMPLING, bad).json()["errors"]
    assert {e["field"] for e in errors} == {"colour", "product_name", "lab"}


def test_malformed_json_is_a_400_with_a_chinese_message(token: str) -> None:
    response = api(token).post(SAMPLING, "{not json", "application/json")
    assert (response.status_code, response.json()["code"]) == (400, "parse_error")


def test_a_batch_over_the_limit_is_a_413(token: str) -> None:
    response = post(api(token), SAMPLING, [sample(1)] * (MAX_BATCH + 1))
    assert response.status_code == 413
    assert not SamplingBatch.objects.exists()


def test_idempotency_key_replays_the_first_answer(token: str) -> None:
    first = post(api(token), SAMPLING, [sample(1)], HTTP_IDEMPOTENCY_KEY="day-1")
    SamplingBatch.objects.all().delete()  # were the batch run again, it would be created again
    again = post(api(token), SAMPLING, [sample(1)], HTTP_IDEMPOTENCY_KEY="day-1")
    assert (again.json(), again["Idempotent-Replayed"]) == (first.json(), "true")
    assert not SamplingBatch.objects.exists()


def test_idempotency_key_reused_for_another_batch_is_refused(token: str) -> None:
    post(api(token), SAMPLING, [sample(1)], HTTP_IDEMPOTENCY_KEY="day-1")
    response = post(api(token), SAMPLING, [sample(2)], HTTP_IDEMPOTENCY_KEY="day-1")
    assert response.status_code == 422


def test_a_refused_batch_leaves_its_idempotency_key_free_for_the_corrected_batch(
    token: str,
) -> None:
    refused = post(api(token), SAMPLING, [sample(1, result="也许")], HTTP_IDEMPOTENCY_KEY="day-1")
    assert refused.status_code == 400
    corrected = post(api(token), SAMPLING, [sample(1)], HTTP_IDEMPOTENCY_KEY="day-1")
    assert (corrected.status_code, corrected.json()["created"]) == (200, 1)
    assert not corrected.has_header("Idempotent-Replayed")
    again = post(api(token), SAMPLING, [sample(1)], HTTP_IDEMPOTENCY_KEY="day-1")
    assert (again.json(), again["Idempotent-Replayed"]) == (corrected.json(), "true")
    assert SamplingBatch.objects.count() == 1


def test_street_scoped_system_may_not_post_another_streets_records(
    secadmin: User, desheng: Any
) -> None:
    scoped = token_for(system(secadmin, "德胜所系统", jurisdiction=desheng), secadmin)
    response = post(api(scoped), SAMPLING, sample(1))
    assert response.json()["errors"][0]["field"] == "jurisdiction"


OCTOBER: dict[str, Any] = {
    "start": dt.date(2026, 10, 1),
    "end": dt.date(2026, 10, 31),
    "today": dt.date(2026, 11, 5),
}


# Who acted differs by design (the staff member or the system account), and when the callback
# was recorded is the instant of writing; nothing else may differ.
ACTORS = ("id", "created_by", "handler", "satisfaction_at")


def _csv(records: list[dict[str, Any]], columns: Any) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for record in records:
        writer.writerow([record.get(c.header, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


def _rows(model: Any, exclude: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in model_to_dict(obj).items() if k not in exclude}
        for obj in model.objects.order_by("pk")
    ]


def test_the_same_records_by_file_and_by_api_give_the_same_rows(
    secadmin: User, district_staff: User
) -> None:
    records = [complaint(1), complaint(2, 受理决定="", 受理日期="", 办结日期="", 处理结果="")]
    records[1].update({"挽回经济损失": "", "满意度": ""})
    result = import_complaints(
        content=_csv(records, COMPLAINT_COLUMNS), filename="12315.csv", by=district_staff
    )
    assert result.ok, result.messages
    by_file = _rows(Complaint, ACTORS)
    figures = complaint_figures(**OCTOBER)
    Complaint.objects.all().delete()
    token = token_for(system(secadmin), secadmin)
    assert post(api(token), COMPLAINTS, records).status_code == 200
    assert _rows(Complaint, ACTORS) == by_file
    assert complaint_figures(**OCTOBER) == figures


def test_the_same_sampling_by_file_and_by_api_give_the_same_rows(
    secadmin: User, district_staff: User
) -> None:
    from inspections.exports import COLUMNS

    by_header = [
        {c.header: r.get(c.key, "") for c in COLUMNS}
        for r in (sample(1), sample(2, result="不合格", failed_items="酸价"))
    ]
    assert import_sampling(
        content=_csv(by_header, COLUMNS), filename="抽检.csv", by=district_staff
    ).ok
    by_file = _rows(SamplingBatch, ACTORS)
    SamplingBatch.objects.all().delete()
    token = token_for(system(secadmin), secadmin)
    assert post(api(token), SAMPLING, by_header).status_code == 200
    assert _rows(SamplingBatch, ACTORS) == by_file
