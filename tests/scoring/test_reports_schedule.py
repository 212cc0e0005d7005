"""The periodic reports: scheduled runs, delivery, and the sweep of reports no worker finishes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from inspections.models import SamplingBatch
from lyushunkou.background import QUEUED_TOO_LONG
from lyushunkou.models import Notification, User
from scoring import periods
from scoring.models import Report
from scoring.reports import recovery as report_recovery
from scoring.reports import services as reports
from scoring.reports.services import report_enqueue
from tests.scoring.reports_helpers import JUNE

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]


# --- Scheduled runs and delivery ---------------------------------------------------------------


def test_the_scheduled_run_queues_last_months_district_and_jurisdiction_reports(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        made = reports.enqueue_scheduled("monthly", today=dt.date(2026, 11, 1))
        reports.enqueue_scheduled("monthly", today=dt.date(2026, 11, 1))  # a duplicate run
    scopes = {r.scope_code for r in made}
    assert "district" in scopes
    assert "210212001000" in scopes
    assert Report.objects.count() == len(made) == delay.call_count
    assert set(Report.objects.values_list("period", flat=True)) == {"2026-10"}
    assert all(r.scheduled for r in Report.objects.all())


@pytest.mark.parametrize(
    ("kind", "expected"), [("monthly", "2025-12"), ("quarterly", "2025-Q4"), ("annual", "2025")]
)
def test_on_new_years_day_each_kind_covers_the_period_just_ended(kind: str, expected: str) -> None:
    today = dt.date(2026, 1, 1)
    assert periods.last_complete(reports.KIND_PERIODS[kind], today).key == expected


def test_the_beat_schedule_runs_each_kind_on_the_first_at_two(settings: Any) -> None:
    entries = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] == "scoring.tasks.enqueue_scheduled_reports"
    }
    assert {entry["args"][0] for entry in entries.values()} == {"monthly", "quarterly", "annual"}
    for entry in entries.values():
        schedule = entry["schedule"]
        assert schedule.hour == {2}
        assert schedule.minute == {0}
        assert schedule.day_of_month == {1}
    quarterly = next(e for e in entries.values() if e["args"][0] == "quarterly")["schedule"]
    annual = next(e for e in entries.values() if e["args"][0] == "annual")["schedule"]
    assert quarterly.month_of_year == {1, 4, 7, 10}
    assert annual.month_of_year == {1}
    assert settings.CELERY_TASK_ROUTES["scoring.tasks.render_report"] == {"queue": "reports"}


def test_leaders_are_told_of_a_ready_scheduled_report_with_a_link_not_the_file(
    leader: User, district_staff: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://fxxf.example.gov.cn"
    leader.email = "leader@example.gov.cn"
    leader.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        report, _queued = report_enqueue(kind="monthly", period=JUNE, scheduled=True)
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    link = f"https://fxxf.example.gov.cn/reports/{report.pk}/"
    assert Notification.objects.filter(user=leader, link=link).count() == 1
    assert not Notification.objects.filter(user=district_staff).exists()
    sent = [m for m in mail.outbox if m.to == ["leader@example.gov.cn"]]
    assert len(sent) == 1
    assert link in sent[0].body
    assert sent[0].attachments == []
    # The same scheduled run again tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        report_enqueue(kind="monthly", period=JUNE, scheduled=True)
    assert Notification.objects.filter(user=leader).count() == 1


def test_a_requested_report_notifies_its_requester_only(
    leader: User, district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report, _queued = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    told = Notification.objects.get()
    assert (told.user, told.link) == (district_staff, f"/reports/{report.pk}/")


def test_a_report_queued_for_long_is_sent_to_the_workers_again_but_rendered_once(
    june_sampling: list[SamplingBatch], django_capture_on_commit_callbacks: Any
) -> None:
    # Its message was lost: the sweep sends it again; a late original finds it claimed already.
    report = Report.objects.create(kind="monthly", period="2025-06")
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(heartbeat_at=now - QUEUED_TOO_LONG * 2)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = report_recovery.requeue_stale(now)
    report.refresh_from_db()
    assert requeued == [report.pk]
    assert (report.state, report.attempts) == ("done", 1)
    from scoring.reports.tasks import render_report

    assert render_report.delay(report.pk).get() is None  # the original message, delivered late


def test_the_sweep_queues_again_the_reports_no_worker_will_finish(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # A scheduled report whose worker was killed mid-render, and one whose message was lost,
    # must not wait for someone to request them: the 5-minute sweep queues them again; fresh
    # ones, and ready ones, are left alone.
    now = timezone.now()
    long_ago = now - QUEUED_TOO_LONG * 2
    killed = Report.objects.create(kind="monthly", period="2025-06", scheduled=True)
    lost = Report.objects.create(kind="monthly", period="2025-05", scheduled=True)
    fresh = Report.objects.create(kind="monthly", period="2025-04", heartbeat_at=now)
    done = Report.objects.create(kind="monthly", period="2025-03", state=Report.State.DONE)
    Report.objects.filter(pk=killed.pk).update(
        state=Report.State.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    Report.objects.filter(pk__in=[lost.pk, done.pk]).update(heartbeat_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        requeued = report_recovery.requeue_stale(now)
    assert sorted(requeued) == sorted([killed.pk, lost.pk])
    assert len(callbacks) == 2  # one rendering task each
    states = dict(Report.objects.values_list("pk", "state"))
    assert states == {
        killed.pk: "queued",
        lost.pk: "queued",
        fresh.pk: "queued",
        done.pk: "done",
    }
