"""Importing the 12315 complaint file again: only the new steps are added, and a contradiction is
an error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from complaints.models import Complaint, Status
from lyushunkou.models import User
from tests.complaints.helpers import register
from tests.complaints.import_helpers import (
    concluded,
    errors,
    row,
    run,
    xlsx,
)

pytestmark = pytest.mark.django_db


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
