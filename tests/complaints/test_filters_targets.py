"""The complaint list's filters that show exactly what a target counts (complaints.figures):
the conclusion date, the outcome and the satisfaction callback (several values each), and the
two sides of the handling rate; the export links carry them; the query count stays put."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services, services_followup
from complaints.models import Complaint
from lyushunkou.models import AuditEvent, Jurisdiction, User
from lyushunkou.workdays import clear_deadline_cache
from tests.complaints.helpers import register
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("complaint-list")
CSV = reverse("complaint-export", kwargs={"fmt": "csv"})


def today() -> dt.date:
    return timezone.localdate()


def concluded(
    place: Jurisdiction,
    by: User,
    *,
    received: dt.date,
    on: dt.date,
    outcome: str,
    answer: str = "",
    **extra: Any,
) -> Complaint:
    complaint = register(place, on=received)
    complaint = services.complaint_accept(
        complaint=complaint, by=by, version=complaint.version, on=received
    )
    complaint = services.complaint_conclude(
        complaint=complaint, by=by, version=complaint.version, outcome=outcome, on=on, **extra
    )
    if answer:
        services_followup.complaint_record_satisfaction(complaint=complaint, by=by, answer=answer)
    return complaint


def shown(client: Client, params: dict[str, Any] | str) -> set[str]:
    """The record numbers the list shows for a query (a dict, or a query string as linked)."""
    if isinstance(params, str):
        response = client.get(f"{LIST}?{params}")
    else:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return {c.record_no for c in response.context["page"]}


@pytest.fixture
def outcomes(dengfeng: Jurisdiction, street_staff: User) -> dict[str, Complaint]:
    """Four complaints received in September, concluded in October or November."""
    sept = dt.date(2026, 9, 20)
    return {
        "mediated": concluded(
            dengfeng,
            street_staff,
            received=sept,
            on=dt.date(2026, 10, 5),
            outcome="mediated",
            answer="satisfied",
        ),
        "failed": concluded(
            dengfeng,
            street_staff,
            received=sept,
            on=dt.date(2026, 10, 20),
            outcome="failed",
            answer="dissatisfied",
        ),
        "terminated": concluded(
            dengfeng,
            street_staff,
            received=sept,
            on=dt.date(2026, 10, 31),
            outcome="terminated",
            answer="no_answer",
            termination_ground="absent",
        ),
        "withdrawn": concluded(
            dengfeng,
            street_staff,
            received=sept,
            on=dt.date(2026, 11, 2),
            outcome="withdrawn",
            answer="basically",
        ),
    }


def numbers(outcomes: dict[str, Complaint], *keys: str) -> set[str]:
    return {outcomes[key].record_no for key in keys}


def test_concluded_from_and_to_bound_the_conclusion_date_not_the_receipt(
    district_staff: User, outcomes: dict[str, Complaint]
) -> None:
    client = client_for(district_staff)
    october = {"concluded_from": "2026-10-01", "concluded_to": "2026-10-31"}
    assert shown(client, october) == numbers(outcomes, "mediated", "failed", "terminated")
    assert shown(client, {"concluded_from": "2026-10-21"}) == numbers(
        outcomes, "terminated", "withdrawn"
    )
    # Received in September: the receipt filter would have missed them all.
    assert shown(client, {"received_from": "2026-10-01", "received_to": "2026-10-31"}) == set()


def test_outcome_takes_several_values_repeated_or_comma_separated(
    district_staff: User, outcomes: dict[str, Complaint]
) -> None:
    client = client_for(district_staff)
    resolution = numbers(outcomes, "mediated", "failed", "terminated")
    assert shown(client, "outcome=mediated&outcome=failed&outcome=terminated") == resolution
    assert shown(client, "outcome=mediated,failed,terminated") == resolution
    assert shown(client, "outcome=mediated") == numbers(outcomes, "mediated")
    assert shown(client, "outcome=") == numbers(outcomes, *outcomes)  # "All"


def test_satisfaction_answered_and_satisfied(
    district_staff: User, outcomes: dict[str, Complaint]
) -> None:
    client = client_for(district_staff)
    answered = "satisfaction=satisfied&satisfaction=basically&satisfaction=dissatisfied"
    assert shown(client, answered) == numbers(outcomes, "mediated", "failed", "withdrawn")
    satisfied = "satisfaction=satisfied&satisfaction=basically"
    assert shown(client, satisfied) == numbers(outcomes, "mediated", "withdrawn")
    assert shown(client, "satisfaction=no_answer") == numbers(outcomes, "terminated")


def test_a_value_that_is_not_a_choice_is_refused_not_obeyed(
    district_staff: User, outcomes: dict[str, Complaint]
) -> None:
    response = client_for(district_staff).get(LIST, {"outcome": ["mediated", "bogus"]})
    assert response.status_code == 200
    assert "outcome" in response.context["filter"].form.errors
    assert {c.record_no for c in response.context["page"]} == numbers(outcomes, *outcomes)


def test_counted_shows_the_two_sides_of_the_handling_rate(
    district_staff: User, dengfeng: Jurisdiction, street_staff: User
) -> None:
    week_ago = today() - dt.timedelta(days=7)
    done = concluded(dengfeng, street_staff, received=week_ago, on=today(), outcome="withdrawn")
    refused = register(dengfeng, on=week_ago)
    services.complaint_refuse(
        complaint=refused, by=street_staff, version=refused.version, ground="elsewhere"
    )
    overdue = register(dengfeng, on=today() - dt.timedelta(days=40))  # acceptance overdue
    in_time = register(dengfeng, on=today())  # open, within its time limit
    no_clock = register(dengfeng, on=today())
    Complaint.objects.filter(pk=no_clock.pk).update(current_due=None)  # open, no limit running
    client = client_for(district_staff)
    assert shown(client, {"counted": "handling"}) == {
        done.record_no,
        refused.record_no,
        overdue.record_no,
    }
    assert shown(client, {"counted": "handled"}) == {done.record_no, refused.record_no}
    everything = {done, refused, overdue, in_time, no_clock}
    assert shown(client, {}) == {c.record_no for c in everything}


def test_the_jurisdiction_includes_those_below_it(
    district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    park = Jurisdiction.objects.create(
        code="210212001901", name="登峰测试园区", kind="park", parent=dengfeng
    )
    street = register(dengfeng, on=today())
    below = register(park, on=today())
    register(desheng, on=today())
    client = client_for(district_staff)
    assert shown(client, {"jurisdiction": dengfeng.pk}) == {street.record_no, below.record_no}
    assert shown(client, {"jurisdiction": park.pk}) == {below.record_no}


def test_the_export_links_carry_several_values_and_the_export_obeys_them(
    district_staff: User, outcomes: dict[str, Complaint]
) -> None:
    client = client_for(district_staff)
    html = client.get(f"{LIST}?outcome=mediated&outcome=failed&status=concluded").content.decode()
    link = f"{CSV}?status=concluded&amp;outcome=mediated%2Cfailed"
    assert link in html
    response = client.get(link.replace("&amp;", "&"))
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert {no for no in numbers(outcomes, *outcomes) if no in text} == numbers(
        outcomes, "mediated", "failed"
    )
    event = AuditEvent.objects.get(action="complaint.exported")
    assert event.detail["filters"] == {"status": "concluded", "outcome": "mediated,failed"}


def test_the_new_filters_cost_no_query_however_many_rows(
    district_staff: User, dengfeng: Jurisdiction, street_staff: User
) -> None:
    client = client_for(district_staff)
    params = {
        "kind": "complaint",
        "status": "concluded",
        "concluded_from": "2026-01-01",
        "concluded_to": today().isoformat(),
        "outcome": ["mediated", "failed", "terminated"],
        "satisfaction": ["satisfied", "basically"],
        "counted": "handling",
    }

    def queries() -> int:
        clear_deadline_cache()
        with CaptureQueriesContext(connection) as context:
            assert client.get(LIST, params).status_code == 200
        return sum(
            "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            for q in context.captured_queries
        )

    def conclude(days: int) -> None:
        concluded(
            dengfeng,
            street_staff,
            received=today() - dt.timedelta(days=days + 10),
            on=today() - dt.timedelta(days=days),
            outcome="mediated",
            answer="satisfied",
        )

    conclude(5)
    few = queries()
    for days in range(10, 39):
        conclude(days)
    many = queries()
    assert few == many
    # user, page, jurisdiction choices, unread notifications (concluded complaints run no clock,
    # so the calendar is not read; the rows fit the first page, which is then its own total).
    assert many == 4
    assert client.get(LIST, params).context["page"].paginator.count == 30
