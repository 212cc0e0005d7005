"""The sampling list's filters that show exactly what a target counts (inspections.figures):
several sampling types and final results at once, old single-value links still working, a
jurisdiction with those below it; the export links carry them; the query count stays put."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from inspections.models import SamplingBatch
from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import client_for
from tests.inspections.helpers import batch

pytestmark = pytest.mark.django_db

LIST = reverse("sampling-list")
CSV = reverse("sampling-export", args=["csv"])


def shown(client: Client, query: str) -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {b.sample_no for b in response.context["page"]}


@pytest.fixture
def batches(district_staff: User, dengfeng: Jurisdiction) -> dict[str, SamplingBatch]:
    """One food batch of each sampling type; the supervisory one pending."""
    return {
        "supervisory": batch(district_staff, dengfeng, result="pending"),
        "evaluative": batch(district_staff, dengfeng, sampling_type="evaluative"),
        "risk_monitoring": batch(
            district_staff, dengfeng, sampling_type="risk_monitoring", result="fail"
        ),
        "rapid": batch(district_staff, dengfeng, sampling_type="rapid"),
    }


def numbers(batches: dict[str, SamplingBatch], *keys: str) -> set[str]:
    return {batches[key].sample_no for key in keys}


def test_several_sampling_types_repeated_or_comma_separated(
    district_staff: User, batches: dict[str, SamplingBatch]
) -> None:
    client = client_for(district_staff)
    pass_rate = numbers(batches, "supervisory", "evaluative")
    assert shown(client, "sampling_type=supervisory&sampling_type=evaluative") == pass_rate
    assert shown(client, "sampling_type=supervisory,evaluative") == pass_rate
    per_thousand = (
        "sampling_type=supervisory&sampling_type=evaluative&sampling_type=risk_monitoring"
    )
    assert shown(client, per_thousand) == numbers(
        batches, "supervisory", "evaluative", "risk_monitoring"
    )


def test_old_single_value_links_still_work(
    district_staff: User, batches: dict[str, SamplingBatch]
) -> None:
    client = client_for(district_staff)
    assert shown(client, "sampling_type=rapid") == numbers(batches, "rapid")
    assert shown(client, "final_result=fail") == numbers(batches, "risk_monitoring")
    # The old select's "All" sent an empty value: still everything.
    assert shown(client, "sampling_type=&final_result=") == numbers(batches, *batches)


def test_final_results_leave_out_pending_batches(
    district_staff: User, batches: dict[str, SamplingBatch]
) -> None:
    client = client_for(district_staff)
    final = numbers(batches, "evaluative", "risk_monitoring", "rapid")
    assert shown(client, "final_result=pass&final_result=fail") == final


def test_the_jurisdiction_includes_those_below_it(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    park = Jurisdiction.objects.create(
        code="210212001902", name="登峰测试园区", kind="park", parent=dengfeng
    )
    street = batch(district_staff, dengfeng)
    below = batch(district_staff, park)
    batch(district_staff, desheng)
    client = client_for(district_staff)
    assert shown(client, f"jurisdiction={dengfeng.pk}") == {street.sample_no, below.sample_no}
    assert shown(client, f"jurisdiction={park.pk}") == {below.sample_no}


def test_street_staff_cannot_widen_their_scope_with_the_jurisdiction_filter(
    street_staff: User, district_staff: User, desheng: Jurisdiction, dengfeng: Jurisdiction
) -> None:
    mine = batch(district_staff, dengfeng)
    batch(district_staff, desheng)
    assert shown(client_for(street_staff), f"jurisdiction={desheng.pk}") == {mine.sample_no}


def test_the_export_links_carry_several_values_and_the_export_obeys_them(
    district_staff: User, batches: dict[str, SamplingBatch]
) -> None:
    client = client_for(district_staff)
    html = client.get(f"{LIST}?sampling_type=supervisory&sampling_type=evaluative").content
    link = f"{CSV}?sampling_type=supervisory%2Cevaluative"
    assert link in html.decode()
    response = client.get(link)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert {no for no in numbers(batches, *batches) if no in text} == numbers(
        batches, "supervisory", "evaluative"
    )
    event = AuditEvent.objects.get(action="sampling.exported")
    assert event.detail["filters"] == {"sampling_type": "supervisory,evaluative"}


def test_the_query_count_does_not_grow_with_several_values(
    district_staff: User,
    dengfeng: Jurisdiction,
    django_assert_max_num_queries: object,
) -> None:
    for day in range(30):
        batch(
            district_staff,
            dengfeng,
            sampling_type=("supervisory", "evaluative")[day % 2],
            sampled_on=dt.date(2025, 6, 1) + dt.timedelta(days=day),
            result=("pass", "fail")[day % 3 == 0],
        )
    client = client_for(district_staff)
    query = (
        "sampling_type=supervisory&sampling_type=evaluative&final_result=pass&final_result=fail"
        "&category=food&sampled_from=2025-06-01&sampled_to=2025-06-30"
    )
    # As the list without them (tests/inspections/test_views.py).
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(f"{LIST}?{query}")
    assert response.context["page"].paginator.count == 30
