"""The bulk path of the 12315 file import (issue 17 item 2): new complaints written a chunk at a
time give what the workflow services give; all or nothing across chunks; re-import
adds nothing; one audit event with the counts; the row limit stated and named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from complaints import clocks, imports, imports_rows
from complaints.imports import import_complaints
from complaints.models import Complaint, ComplaintEvent
from lyushunkou import copying
from lyushunkou.models import AuditEvent, Notification, User
from tests.complaints.import_helpers import concluded, errors, row, run, xlsx
from tests.helpers import english
from units.models import Unit

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk path writes with COPY on PostgreSQL only"
)

IMPORT = reverse("complaint-import")
# Set by the services and the bulk path at the moment of writing, so never equal between runs.
MOMENTS = {"id", "created_at", "updated_at", "satisfaction_at"}


def closed_rows(unit: Unit) -> list[list[object]]:
    """Every way a row can arrive closed, and two still open."""
    return [
        concluded(1),  # mediated, recovered, satisfied
        concluded(2, 处理结果="调解不成", 挽回经济损失="", 满意度="不满意"),
        concluded(3, 处理结果="撤回", 挽回经济损失="", 满意度=""),
        concluded(4, 处理结果="终止调解", 挽回经济损失="", 满意度="基本满意"),
        concluded(5, 处理结果="移送", 挽回经济损失="", 满意度=""),
        concluded(6, 统一社会信用代码=unit.credit_code, 受理日期="2026-10-12"),
        row(7, 受理决定="不予受理", 受理日期="2026-10-09", 不予受理理由="已由法院受理"),
        row(8, 受理决定="不予受理", 办结日期="2026-10-10", 不予受理理由="投诉人无法联系"),
        row(9, 受理决定="受理", 受理日期="2026-10-09"),  # open: mediation running
        row(10),  # open: the acceptance decision due
    ]


def snapshot() -> dict[str, Any]:
    """Every complaint's fields and timeline, and the notifications, by record number."""
    complaints: dict[str, Any] = {}
    for complaint in Complaint.objects.order_by("record_no"):
        fields = {
            f.attname: getattr(complaint, f.attname)
            for f in Complaint._meta.concrete_fields
            if f.attname not in MOMENTS
        }
        timeline = list(
            complaint.events.order_by("at", "id").values_list(
                "action", "from_status", "to_status", "actor", "note"
            )
        )
        complaints[complaint.record_no] = (fields, timeline)
    notes = sorted((n.user_id, n.message, n.key.split(":")[2]) for n in Notification.objects.all())
    return {"complaints": complaints, "notifications": notes}


def import_as(by: User, content: bytes, *, bulk: bool) -> Any:
    with translation.override("en"):
        return import_complaints(content=content, filename="12315.xlsx", by=by, bulk=bulk)


def test_the_bulk_path_writes_what_the_services_write(district_staff: User, unit: Unit) -> None:
    content = xlsx(closed_rows(unit))
    through_services = import_as(district_staff, content, bulk=False)
    assert through_services.ok, through_services.messages
    expected = snapshot()
    Notification.objects.all().delete()
    Complaint.objects.all().delete()

    in_bulk = import_as(district_staff, content, bulk=True)
    assert in_bulk.ok, in_bulk.messages
    assert (in_bulk.created, in_bulk.updated, in_bulk.unchanged) == (10, 0, 0)
    assert snapshot() == expected


@on_postgresql
def test_copy_writes_what_bulk_create_writes(
    district_staff: User, unit: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = xlsx(closed_rows(unit))
    monkeypatch.setattr(copying, "USE_COPY", False)
    with_bulk_create = import_as(district_staff, content, bulk=True)
    assert with_bulk_create.ok, with_bulk_create.messages
    expected = snapshot()
    counted = AuditEvent.objects.filter(action="complaint.imported").latest("id").detail["bulk"]
    Notification.objects.all().delete()
    Complaint.objects.all().delete()

    monkeypatch.setattr(copying, "USE_COPY", True)
    with CaptureQueriesContext(connection) as captured:
        with_copy = import_as(district_staff, content, bulk=True)
    assert with_copy.ok, with_copy.messages
    assert (with_copy.created, with_copy.updated, with_copy.unchanged) == (10, 0, 0)
    assert snapshot() == expected
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert not [sql for sql in inserts if '"complaints_complaint' in sql]  # COPY wrote them
    audit = AuditEvent.objects.filter(action="complaint.imported").latest("id")
    assert audit.detail["bulk"] == counted

    # The ids came from the table's sequence: the next complaint written takes a new one.
    monkeypatch.setattr(copying, "USE_COPY", False)
    later = import_as(district_staff, xlsx([concluded(11)]), bulk=True)
    assert later.ok, later.messages
    assert Complaint.objects.count() == 11


def test_a_record_number_registered_meanwhile_refuses_its_row(
    district_staff: User, unit: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = xlsx([concluded(1), concluded(2)])
    assert run(content, district_staff).ok
    Complaint.objects.exclude(record_no="12102122026100002").delete()

    def unseen(ctx: imports_rows.Context, numbers: Any) -> None:
        list(numbers)
        ctx.existing = {}  # as if row 3's complaint was registered after the check

    monkeypatch.setattr(imports, "load_chunk", unseen)
    result = run(content, district_staff)
    assert not result.ok
    assert errors(result) == [
        "row 3, 登记编号: This record number was registered meanwhile by someone else."
    ]
    assert list(Complaint.objects.values_list("record_no", flat=True)) == ["12102122026100002"]


def test_the_bulk_path_links_the_unit_and_runs_the_clocks(district_staff: User, unit: Unit) -> None:
    assert import_as(district_staff, xlsx(closed_rows(unit)), bulk=True).ok
    linked = Complaint.objects.get(record_no="12102122026100006")
    assert linked.unit == unit
    assert linked.mediation_due == clocks.mediation_due(dt.date(2026, 10, 12)).date
    # 7 working days after Thursday 8 Oct: 9, 10 (a make-up working day), 12–16 October.
    assert linked.acceptance_due == dt.date(2026, 10, 16)
    assert linked.current_clock == ""
    assert linked.handler == district_staff
    assert linked.version == 4  # registered, accepted, concluded, called back


def test_the_new_complaints_leave_one_audit_event_with_the_counts(
    district_staff: User, unit: Unit
) -> None:
    assert import_as(district_staff, xlsx(closed_rows(unit)), bulk=True).ok
    event = AuditEvent.objects.get(action="complaint.imported")
    assert event.actor == district_staff
    assert event.detail["created"] == 10
    assert event.detail["bulk"] == {
        "complaints": 10,
        "steps": {
            "accepted": 7,
            "callback_answered": 4,
            "concluded": 6,
            "refused": 2,
            "registered": 10,
        },
    }
    step_events = AuditEvent.objects.filter(action__startswith="complaint.")
    assert list(step_events.values_list("action", flat=True)) == ["complaint.imported"]


def test_an_open_complaint_in_bulk_has_its_clock_running(district_staff: User, unit: Unit) -> None:
    assert import_as(district_staff, xlsx(closed_rows(unit)), bulk=True).ok
    mediating = Complaint.objects.get(record_no="12102122026100009")
    assert mediating.status == "accepted"
    assert mediating.current_clock == "mediation"
    assert mediating.current_due == clocks.mediation_due(dt.date(2026, 10, 9)).date
    waiting = Complaint.objects.get(record_no="12102122026100010")
    assert waiting.status == "registered"
    assert waiting.current_clock == "acceptance"
    assert waiting.current_due == dt.date(2026, 10, 16)


def test_a_registered_complaint_takes_the_services(district_staff: User, unit: Unit) -> None:
    assert import_as(district_staff, xlsx([row(1)]), bulk=True).ok
    result = import_as(district_staff, xlsx([concluded(1)]), bulk=True)
    assert (result.created, result.updated) == (0, 1)
    event = AuditEvent.objects.filter(action="complaint.imported").latest("id")
    assert event.detail["bulk"] == {"complaints": 0, "steps": {}}
    assert AuditEvent.objects.filter(action="complaint.concluded", actor=district_staff).exists()


def test_a_dissatisfied_callback_in_bulk_tells_the_handler(
    district_staff: User, unit: Unit
) -> None:
    assert import_as(district_staff, xlsx(closed_rows(unit)), bulk=True).ok
    complaint = Complaint.objects.get(record_no="12102122026100002")
    note = Notification.objects.get()
    assert note.user == district_staff
    assert note.key == f"complaint:{complaint.pk}:dissatisfied:{complaint.version}"


def test_an_error_in_a_later_chunk_undoes_the_chunks_already_written(
    district_staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)  # rows 2–3 and 4–5 are written first
    rows = [concluded(n) for n in range(1, 7)]
    rows[4] = concluded(5, 所属街道="火星街道")  # row 6, the third chunk
    result = run(xlsx(rows), district_staff)
    assert errors(result) == [
        "row 6, 所属街道: Unknown street “火星街道”; give its name or 12-digit division code."
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert not Notification.objects.exists()
    event = AuditEvent.objects.get(action="complaint.imported")
    assert event.outcome == "failure"
    assert event.detail["bulk"] == {"complaints": 0, "steps": {}}


def test_every_error_is_listed_across_chunks(
    district_staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    rows = [concluded(n) for n in range(1, 7)]
    rows[0] = concluded(1, 联系电话="110")
    rows[5] = concluded(6, 涉及金额="-1")
    result = run(xlsx(rows), district_staff)
    assert [line.split(":")[0] for line in errors(result)] == ["row 2, 联系电话", "row 7, 涉及金额"]
    assert not Complaint.objects.exists()


def test_a_dry_run_in_bulk_writes_nothing(district_staff: User, unit: Unit) -> None:
    result = run(xlsx(closed_rows(unit)), district_staff, dry_run=True)
    assert result.ok, result.messages
    assert result.created == 10
    assert not Complaint.objects.exists()
    assert not Notification.objects.exists()


def test_the_same_file_twice_adds_nothing(district_staff: User, unit: Unit) -> None:
    content = xlsx(closed_rows(unit))
    assert run(content, district_staff).ok
    before = snapshot()
    events = ComplaintEvent.objects.count()

    again = run(content, district_staff)
    assert again.ok, again.messages
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert snapshot() == before
    assert ComplaintEvent.objects.count() == events
    second = AuditEvent.objects.filter(action="complaint.imported").latest("id")
    assert second.detail["bulk"] == {"complaints": 0, "steps": {}}


# --- The row limit ----------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_naming_it(district_staff: User, settings: Any) -> None:
    settings.COMPLAINT_IMPORT_MAX_ROWS = 3
    result = run(xlsx([concluded(n) for n in range(1, 6)]), district_staff)
    assert result.messages == [
        "The file has 5 rows; a complaint file may have at most 3 rows "
        "(COMPLAINT_IMPORT_MAX_ROWS). Split it and import the parts one after the other."
    ]
    assert not Complaint.objects.exists()


def test_a_file_at_the_limit_is_imported(district_staff: User, settings: Any) -> None:
    settings.COMPLAINT_IMPORT_MAX_ROWS = 3
    result = run(xlsx([concluded(n) for n in range(1, 4)]), district_staff)
    assert result.ok, result.messages
    assert Complaint.objects.count() == 3


def test_the_import_page_states_the_limit_before_the_upload(
    district_staff: User, settings: Any
) -> None:
    settings.COMPLAINT_IMPORT_MAX_ROWS = 1234
    response = english(district_staff).get(IMPORT)
    assert response.status_code == 200
    assert "A file may have at most 1234 rows" in response.content.decode()
