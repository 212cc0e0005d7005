"""Pages per view and role: staff by scope, leaders read, operators their own, others nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inspections import services_checks as checks
from inspections.models import Finding, OnSiteCheck, SamplingBatch
from lyushunkou.models import Jurisdiction, User
from tests.conftest import client_for
from tests.inspections.helpers import batch
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dengfeng_failure(district_staff: User, dengfeng: Jurisdiction, unit: Unit) -> SamplingBatch:
    return batch(district_staff, dengfeng, result="fail", sampled_unit_credit_code=unit.credit_code)


@pytest.fixture
def desheng_batch(district_staff: User, desheng: Jurisdiction, other_unit: Unit) -> SamplingBatch:
    return batch(district_staff, desheng, sampled_unit_credit_code=other_unit.credit_code)


@pytest.fixture
def check(unit: Unit, street_staff: User) -> OnSiteCheck:
    return checks.check_record(
        unit=unit,
        by=street_staff,
        checked_on=dt.date(2025, 9, 1),
        check_type="price_marking",
        inspectors="张三",
        items=[{"item": "明码标价", "passed": False}],
        findings=[{"guarantee": "price", "severity": "general", "description": "价签不全"}],
    )


def test_street_staff_see_only_their_streets_sampling(
    street_staff: User, dengfeng_failure: SamplingBatch, desheng_batch: SamplingBatch
) -> None:
    client = client_for(street_staff)
    listing = client.get(reverse("sampling-list")).content.decode()
    assert dengfeng_failure.sample_no in listing
    assert desheng_batch.sample_no not in listing
    assert client.get(reverse("sampling-detail", args=[dengfeng_failure.pk])).status_code == 200
    assert client.get(reverse("sampling-detail", args=[desheng_batch.pk])).status_code == 404


def test_the_list_filters_and_its_query_count_does_not_grow(
    district_staff: User,
    dengfeng: Jurisdiction,
    dengfeng_failure: SamplingBatch,
    desheng_batch: SamplingBatch,
    django_assert_max_num_queries: object,
) -> None:
    for _ in range(30):
        batch(district_staff, dengfeng)
    client = client_for(district_staff)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        assert client.get(reverse("sampling-list")).status_code == 200
    page = client.get(reverse("sampling-list"), {"final_result": "fail"}).content.decode()
    assert dengfeng_failure.sample_no in page
    assert desheng_batch.sample_no not in page
    overdue = client.get(reverse("sampling-list"), {"overdue": "yes"}).content.decode()
    assert dengfeng_failure.sample_no not in overdue  # not notified: no clock running


def test_staff_record_a_retest_that_overturns_a_failure_through_the_page(
    district_staff: User, dengfeng_failure: SamplingBatch
) -> None:
    client = client_for(district_staff)
    url = lambda action: reverse("sampling-action", args=[dengfeng_failure.pk, action])  # noqa: E731
    assert client.post(url("notify"), {"notify-notified_on": "2025-06-20"}).status_code == 302
    late = client.post(url("retest"), {"retest-applied_on": "2025-07-20", "retest-lab": "某所"})
    assert late.status_code == 400
    assert "2025-07-01" in late.content.decode()
    client.post(url("retest"), {"retest-applied_on": "2025-06-24", "retest-lab": "某所"})
    response = client.post(
        url("retest_result"),
        {"retest_result-result": "pass", "retest_result-decided_on": "2025-07-10"},
    )
    assert response.status_code == 302
    dengfeng_failure.refresh_from_db()
    assert dengfeng_failure.final_result == "pass"


def test_leaders_read_but_do_not_act(leader: User, dengfeng_failure: SamplingBatch) -> None:
    client = client_for(leader)
    assert client.get(reverse("sampling-list")).status_code == 200
    assert client.get(reverse("sampling-balance")).status_code == 200
    assert client.get(reverse("check-list")).status_code == 200
    url = reverse("sampling-action", args=[dengfeng_failure.pk, "notify"])
    assert client.post(url, {"notify-notified_on": "2025-06-20"}).status_code == 403
    assert client.get(reverse("sampling-import")).status_code == 403


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "auditor"])
def test_other_roles_do_not_reach_the_staff_pages(
    persona: str, request: pytest.FixtureRequest, dengfeng_failure: SamplingBatch
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for name in ("sampling-list", "check-list", "finding-list", "sampling-balance"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("sampling-detail", args=[dengfeng_failure.pk])).status_code == 403


def test_export_and_template_download(
    district_staff: User, dengfeng_failure: SamplingBatch
) -> None:
    client = client_for(district_staff)
    response = client.get(reverse("sampling-export", args=["csv"]))
    content = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert content.startswith("\ufeff抽样单编号")
    assert dengfeng_failure.sample_no in content
    xlsx = client.get(reverse("sampling-export", args=["xlsx"]))
    assert xlsx.status_code == 200
    template = client.get(reverse("sampling-import-template"))
    assert template.status_code == 200


def test_staff_record_an_onsite_check_with_a_finding(street_staff: User, unit: Unit) -> None:
    client = client_for(street_staff)
    url = reverse("check-new", args=[unit.pk])
    assert "明码标价" in client.get(url, {"type": "price_marking"}).content.decode()
    data = {
        "check_type": "price_marking",
        "checked_on": "2025-09-01",
        "inspectors": "张三、李四",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-item": "商品和服务明码标价，标签齐全",
        "items-0-note": "部分商品无价签",
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "0",
        "findings-0-guarantee": "price",
        "findings-0-severity": "general",
        "findings-0-description": "部分商品未明码标价",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = Finding.objects.get()
    assert finding.unit == unit
    assert not finding.check_record.items.get().passed


def test_operator_sees_findings_on_their_unit_page_and_records_rectification(
    operator: User, other_operator: User, unit: Unit, check: OnSiteCheck
) -> None:
    client = client_for(operator)
    page = client.get(reverse("workspace-unit", args=[unit.pk])).content.decode()
    assert "价签不全" in page
    finding = Finding.objects.get()
    url = reverse("finding-rectify", args=[finding.pk])
    other = client_for(other_operator).post(url, {f"rectify-{finding.pk}-note": "x"})
    assert other.status_code == 404
    response = client.post(
        url,
        {
            f"rectify-{finding.pk}-rectified_on": "2025-09-05",
            f"rectify-{finding.pk}-note": "已整改",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status() == "rectified"


def test_staff_unit_page_shows_sampling_and_checks(
    street_staff: User, unit: Unit, dengfeng_failure: SamplingBatch, check: OnSiteCheck
) -> None:
    page = client_for(street_staff).get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert dengfeng_failure.product_name in page
    assert "价签不全" in page


def test_staff_add_a_penalty_and_leaders_cannot(
    street_staff: User, leader: User, unit: Unit
) -> None:
    url = reverse("record-list", args=["penalties"])
    data = {
        "unit_code": unit.credit_code,
        "kind": "price_fraud",
        "decision_no": "旅市监处罚〔2025〕8号",
        "decided_on": "2025-05-01",
        "amount": "5000",
    }
    assert client_for(street_staff).post(url, data).status_code == 302
    assert "旅市监处罚〔2025〕8号" in client_for(leader).get(url).content.decode()
    assert client_for(leader).post(url, data).status_code == 403
    for kind in ("listings", "incidents"):
        assert client_for(street_staff).get(reverse("record-list", args=[kind])).status_code == 200


def test_the_import_page_reports_errors_and_writes_nothing(street_staff: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.inspections.test_import import csv_file, row

    upload = SimpleUploadedFile("s.csv", csv_file(row(检验结论="不合格")))
    response = client_for(street_staff).post(reverse("sampling-import"), {"file": upload})
    assert response.status_code == 400
    assert "不合格项目" in response.content.decode()
    assert not SamplingBatch.objects.exists()
    good = SimpleUploadedFile("s.csv", csv_file(row()))
    assert (
        client_for(street_staff).post(reverse("sampling-import"), {"file": good}).status_code == 200
    )
    assert SamplingBatch.objects.count() == 1
