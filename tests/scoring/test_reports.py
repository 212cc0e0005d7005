"""The periodic reports: what may be requested, one report per (kind, period, scope) whatever
happens twice, the failure path, and a PDF whose text carries the figures of a known fixture."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.template import TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from inspections.models import SamplingBatch
from lyushunkou.background import QUEUED_TOO_LONG
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from scoring import periods
from scoring.models import Report, TargetResult
from scoring.reports import data as report_data
from scoring.reports import recovery as report_recovery
from scoring.reports import render as report_render
from scoring.reports import services as reports
from scoring.reports.data import ReportRequestError
from scoring.reports.services import check_request, report_enqueue
from tests.helpers import font_kind
from tests.inspections.helpers import batch

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
JUNE = periods.parse("2025-06")


def no_data() -> str:
    with translation.override(report_render.REPORT_LANGUAGE):
        return str(report_data.NO_DATA)


def pdf_lines(content: bytes) -> list[str]:
    path = Path(default_storage.path("probe.pdf")).with_name("extracted.pdf")
    path.write_bytes(content)
    reader = PdfReader(path)
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def line_of(lines: list[str], label: str) -> str:
    found = [line for line in lines if line.startswith(label)]
    assert found, f"{label} not in the PDF"
    return found[0]


@pytest.fixture
def june_sampling(district_staff: User, dengfeng: Jurisdiction) -> list[SamplingBatch]:
    """24 supervisory food batches in June 2025, one failed: 23 / 24 = 95.8% (target ≥ 97%).
    No key consumer goods and no complaints: those figures have no data."""
    made = [batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 3)) for _ in range(23)]
    made.append(batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 4), result="fail"))
    return made


def render_now(kind: str = "monthly", period: str = "2025-06", scope: str = "district") -> Report:
    return reports.build_now(kind=kind, period=periods.parse(period), scope_code=scope)


# --- What may be requested --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "period", "fragment"),
    [
        ("weekly", "2025-06", "Unknown report kind"),
        ("monthly", "2025-13", "Malformed period"),
        ("monthly", "June", "Malformed period"),
        ("monthly", "2025-Q3", "covers a period like 2026-10"),
        ("quarterly", "2025-06", "covers a period like 2026-Q3"),
        ("annual", "2025-Q1", "covers a period like 2026"),
        ("monthly", "2026-12", "has not started yet"),
        ("annual", "2027", "has not started yet"),
    ],
)
def test_a_bad_request_is_refused_with_a_one_line_message(
    kind: str, period: str, fragment: str
) -> None:
    with translation.override("en"), pytest.raises(ReportRequestError) as refused:
        check_request(kind, period, today=dt.date(2026, 11, 29))
    assert fragment in str(refused.value)
    assert "\n" not in str(refused.value)


def test_past_and_current_periods_may_be_requested() -> None:
    today = dt.date(2026, 11, 29)
    assert check_request("monthly", "2026-11", today=today).key == "2026-11"
    assert check_request("quarterly", "2026-q4", today=today).key == "2026-Q4"
    assert check_request("annual", "2019", today=today).key == "2019"


def test_the_command_refuses_bad_input_with_a_non_zero_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_report",
            "--kind",
            "monthly",
            "--period",
            "2999-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode != 0
    assert "2999-01" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--kind", "weekly", "--period", "2025-06"],
        ["--kind", "monthly", "--period", "2025-Q2"],
        ["--kind", "monthly", "--period", "2025-6-1"],
        ["--kind", "monthly", "--period", "2025-06", "--scope", "999999999999"],
    ],
)
def test_the_command_says_what_is_wrong(argv: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("generate_report", *argv)
    assert not Report.objects.exists()


# --- One report, whatever happens twice -------------------------------------------------------


def test_two_enqueues_make_one_report_and_one_rendering(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first, queued = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        second, queued_again = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        third, scheduled_again = report_enqueue(kind="monthly", period=JUNE, scheduled=True)
    assert first.pk == second.pk == third.pk
    assert (queued, queued_again, scheduled_again) == (True, False, False)
    assert Report.objects.count() == 1
    delay.assert_called_once_with(first.pk)


def test_the_rendering_is_queued_only_when_the_transaction_commits(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        report_enqueue(kind="monthly", period=JUNE, by=district_staff)
        assert delay.call_count == 0
    assert len(callbacks) == 1


def test_a_second_run_of_the_task_does_not_render_again(
    june_sampling: list[SamplingBatch], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    report.refresh_from_db()
    assert report.state == Report.State.READY
    from scoring.reports.tasks import render_report

    assert render_report.delay(report.pk).get() is None  # a duplicate delivery: nothing to do
    report.refresh_from_db()
    assert report.attempts == 1
    assert Report.objects.count() == 1


def test_a_transient_error_is_retried_and_the_report_becomes_ready(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from scoring.reports.tasks import render_report

    with (
        mock.patch("scoring.reports.tasks.render_report.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    real = report_data.gather
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with (
        mock.patch("scoring.reports.services.gather", side_effect=flaky),
        mock.patch("scoring.reports.tasks.backoff", return_value=0),
    ):
        # Eagerly, as a worker would: the retry runs the task again.
        result = render_report.apply(args=(report.pk,), throw=False)
    assert result.get() == Report.State.READY
    report.refresh_from_db()
    assert report.state == Report.State.READY
    assert report.attempts == 2
    assert Report.objects.count() == 1


def test_a_transient_error_that_persists_fails_the_report_in_the_end(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from scoring.reports.tasks import MAX_RETRIES, render_report

    with (
        mock.patch("scoring.reports.tasks.render_report.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _queued = report_enqueue(kind="monthly", period=JUNE)
    down = OperationalError("could not connect to server")
    with (
        mock.patch("scoring.reports.services.gather", side_effect=down),
        mock.patch("scoring.reports.tasks.backoff", return_value=0),
    ):
        # The last allowed try (a worker would have retried MAX_RETRIES times already).
        result = render_report.apply(args=(report.pk,), retries=MAX_RETRIES, throw=False)
    assert result.failed()
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert "could not connect to server" in report.error


# --- The failure path ---------------------------------------------------------------------------


def test_a_template_error_fails_the_report_with_its_message_and_serves_no_file(
    django_capture_on_commit_callbacks: Any,
) -> None:
    broken = TemplateSyntaxError("Invalid block tag on line 12: 'endfor'")
    with (
        pytest.raises(TemplateSyntaxError),
        mock.patch("scoring.reports.render.render_to_string", side_effect=broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report_enqueue(kind="monthly", period=JUNE)
    report = Report.objects.get()
    assert report.state == Report.State.FAILED
    assert "Invalid block tag on line 12" in report.error
    assert not report.file
    assert report.sha256 == ""
    assert AuditEvent.objects.filter(action="report.failed").exists()


def test_a_failed_report_is_queued_again_when_requested_again(
    district_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = Report.objects.create(
        kind="monthly", period="2025-06", state=Report.State.FAILED, error="boom"
    )
    with (
        mock.patch("scoring.reports.tasks.render_report.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        again, queued = report_enqueue(kind="monthly", period=JUNE, by=district_staff)
    assert (again.pk, queued, again.state, again.error) == (report.pk, True, "queued", "")
    delay.assert_called_once_with(report.pk)


# --- The PDF ------------------------------------------------------------------------------------


def test_the_pdf_shows_the_target_figures_of_the_fixture_and_no_data_where_missing(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    assert report.state == Report.State.READY
    content = report.file.read()
    assert content.startswith(b"%PDF")
    assert report.size == len(content)
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.pages == len(PdfReader(report.file.path).pages) > 5
    lines = pdf_lines(content)

    results = {
        r.key: r for r in TargetResult.objects.filter(period="2025-06", scope_code="district")
    }
    food = results["food_sampling_pass_rate"]
    assert (food.numerator, food.denominator) == (Decimal(23), Decimal(24))
    food_line = line_of(lines, food.label)
    assert "95.8%" in food_line
    assert "23 / 24" in food_line

    key_goods = line_of(lines, results["key_goods_sampling_pass_rate"].label)
    assert no_data() in key_goods
    assert "0.0%" not in key_goods
    assert "100.0%" not in key_goods
    resolution = line_of(lines, results["complaint_resolution_rate"].label)
    assert no_data() in resolution
    assert re.search(r"\b(0\.0|100\.0)%", resolution) is None
    # The failed batch is listed with its failed item; no complainant data exists in a report.
    failed = june_sampling[-1]
    assert any(failed.sample_no in line for line in lines)


def test_the_pdf_embeds_a_chinese_font_and_numbers_its_pages(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    reader = PdfReader(report.file.path)
    fonts = set()
    for page in reader.pages[:3]:
        resources: Any = page["/Resources"]  # a PDF dictionary: pypdf types it as any PdfObject
        for font in resources["/Font"].values():
            descriptor = font.get_object()
            fonts.add(str(descriptor["/BaseFont"]))
            if "/DescendantFonts" in descriptor:
                inner = descriptor["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in inner or "/FontFile3" in inner  # embedded, not referenced
    assert {font_kind(name) for name in fonts} & {"sc", "other-cjk"} == {"sc"}, fonts
    text = reader.pages[2].extract_text()
    with translation.override(report_render.REPORT_LANGUAGE):
        footer = gettext("Page %(page)s of %(pages)s") % {
            "page": 3,
            "pages": len(reader.pages),
        }
    assert " ".join(footer.split()) in " ".join(text.split())


def test_gathering_takes_a_fixed_number_of_queries_and_rendering_none(
    june_sampling: list[SamplingBatch],
    district_staff: User,
    dengfeng: Jurisdiction,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    report_data.prepare_targets(JUNE)
    # 30 for the sections, 5 for the written summary's comparisons and deadlines.
    with django_assert_max_num_queries(35):
        data = report_data.gather(kind="monthly", period=JUNE)
    for _ in range(30):
        batch(district_staff, dengfeng, sampled_on=dt.date(2025, 6, 9), result="fail")
    with django_assert_max_num_queries(35):
        report_data.gather(kind="monthly", period=JUNE)
    with django_assert_num_queries(0):
        rendered = report_render.render_pdf(data)
    assert rendered.pages > 5


def test_a_jurisdiction_report_covers_that_jurisdiction_only(
    june_sampling: list[SamplingBatch], district_staff: User, desheng: Jurisdiction
) -> None:
    batch(district_staff, desheng, sampled_on=dt.date(2025, 6, 5), product_name="得胜专供酱油")
    report = render_now(scope="210212001000")
    lines = pdf_lines(report.file.read())
    assert any("登峰街道" in line for line in lines)
    assert not any("得胜专供酱油" in line for line in lines)
    assert not any(line.startswith("得胜街道") for line in lines)


def test_rendering_again_replaces_the_file(june_sampling: list[SamplingBatch]) -> None:
    first = render_now()
    old_name = first.file.name
    second = render_now()
    assert second.pk == first.pk
    assert default_storage.exists(second.file.name)
    if second.file.name != old_name:
        assert not default_storage.exists(old_name)


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
    assert report.state == Report.State.READY
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
    assert report.state == Report.State.READY
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
    assert (report.state, report.attempts) == ("ready", 1)
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
    done = Report.objects.create(kind="monthly", period="2025-03", state=Report.State.READY)
    Report.objects.filter(pk=killed.pk).update(
        state=Report.State.RENDERING, started_at=long_ago, heartbeat_at=long_ago
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
        done.pk: "ready",
    }


def test_the_first_page_is_the_written_summary_of_the_fixture(
    june_sampling: list[SamplingBatch],
) -> None:
    report = render_now()
    first = PdfReader(report.file.path).pages[0].extract_text()
    text = "".join(first.split())
    assert "情况综述" in text
    # One failed batch of 24, not disposed; no complaints in June or May.
    assert "本期不合格批次1批。尚有1批不合格产品未记录处置。" in text
    assert "本期受理投诉0件（2025年05月：0件）。" in text
    assert "食品抽检合格率95.8%（目标≥97.0%；无可比的往期数据）" in text
    assert "2025年07月" in text  # the deadlines of the month after
