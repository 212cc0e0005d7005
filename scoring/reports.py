"""The periodic reports (DESIGN.md §6–§8): what a request may ask for and the services that queue
and build a ``Report``. The data a report shows is gathered in ``scoring.report_data``.

A report is unique per (kind, period, scope): ``report_enqueue`` finds or creates the row and
queues its rendering after the transaction commits, so a second request, a duplicate scheduled
run or a retry never makes a second report. ``report_build`` claims the row (queued → rendering)
with a conditional update, gathers every figure into plain Python values
(``report_data.gather``: a fixed number of aggregate queries, whatever the size of the data),
hands them to
``scoring.report_render`` and stores the PDF through Django's default storage (ready), or records
the error (failed). Nothing is queried while WeasyPrint lays the document out.

Personal data never enters a report: complaints are counted, respondents are businesses, and no
complainant, phone number or address is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify
from scoring import periods
from scoring.models import (
    Report,
)
from scoring.periods import Period, PeriodError
from scoring.report_data import (
    DISTRICT,
    ReportRequestError,
    gather,
    prepare_targets,
    scope_jurisdiction,
    top_level_jurisdictions,
)

logger = logging.getLogger(__name__)

KIND_PERIODS: dict[str, str] = {
    Report.Kind.MONTHLY: periods.MONTH,
    Report.Kind.QUARTERLY: periods.QUARTER,
    Report.Kind.ANNUAL: periods.YEAR,
}
PERIOD_EXAMPLES = {periods.MONTH: "2026-10", periods.QUARTER: "2026-Q3", periods.YEAR: "2026"}
# Errors worth another try: the database or the broker went away for a moment. Anything else (a
# template error, a bug, bad data) fails the report at once with its message.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
# A district report renders in a few seconds (docs/benchmarks.md); these limits only stop a
# runaway. A rendering that started longer ago than the hard limit was killed (or its worker was
# lost): a new request may queue it again.
RENDER_SOFT_TIME_LIMIT = 240
RENDER_TIME_LIMIT = 300
STALE_RENDERING = dt.timedelta(seconds=RENDER_TIME_LIMIT + 60)


# --- What may be requested --------------------------------------------------------------------


def check_request(kind: str, period_text: str, *, today: dt.date | None = None) -> Period:
    """The period of a valid request, or ReportRequestError: unknown kind, malformed period, a
    period of another length than the kind, or a period that has not started yet."""
    if kind not in KIND_PERIODS:
        raise ReportRequestError(
            _("Unknown report kind %(kind)r: use monthly, quarterly or annual.") % {"kind": kind}
        )
    try:
        period = periods.parse(period_text)
    except PeriodError as error:
        raise ReportRequestError(str(error)) from None
    expected = KIND_PERIODS[kind]
    if period.kind != expected:
        raise ReportRequestError(
            _("A %(kind)s report covers a period like %(example)s, not %(period)s.")
            % {
                "kind": Report.Kind(kind).label,
                "example": PERIOD_EXAMPLES[expected],
                "period": period.key,
            }
        )
    if period.is_future(today):
        raise ReportRequestError(
            _("%(period)s has not started yet: reports cover past or current periods only.")
            % {"period": period.key}
        )
    return period


# --- Services: queue, build, fail -------------------------------------------------------------


def _is_stale(report: Report, now: dt.datetime) -> bool:
    return (
        report.state == Report.State.RENDERING
        and report.started_at is not None
        and now - report.started_at > STALE_RENDERING
    )


@transaction.atomic
def report_enqueue(
    *,
    kind: str,
    period: Period,
    scope_code: str = DISTRICT,
    by: User | None = None,
    scheduled: bool = False,
) -> tuple[Report, bool]:
    """Find or create the report and queue its rendering after commit.

    Returns the report and whether a rendering was queued. An existing report that is queued,
    rendering or ready is left alone (a ready scheduled report is delivered again, which the
    notification keys make a no-op); a failed one, or one whose rendering was killed, is queued
    again, and one queued for longer than a rendering may take is sent to the workers again.
    """
    scope_jurisdiction(scope_code)
    report, created = Report.objects.get_or_create(
        kind=kind,
        period=period.key,
        scope_code=scope_code,
        defaults={"requested_by": by, "scheduled": scheduled},
    )
    queued = created
    if not created:
        now = timezone.now()
        retry_states = [Report.State.FAILED]
        if _is_stale(report, now):
            retry_states.append(Report.State.RENDERING)
        queued = (
            Report.objects.filter(pk=report.pk, state__in=retry_states).update(
                state=Report.State.QUEUED, error="", started_at=None, finished_at=None
            )
            == 1
        )
        if scheduled and not report.scheduled:
            Report.objects.filter(pk=report.pk).update(scheduled=True)
        report.refresh_from_db()
        if report.state == Report.State.QUEUED and not queued:
            # Queued for long: its message may have been lost with a broker. Sending it again is
            # safe, since only one task can claim the report.
            queued = now - report.created_at > STALE_RENDERING
        if scheduled and report.state == Report.State.READY:
            transaction.on_commit(lambda: deliver(report.pk))
    if queued:
        from scoring.tasks_reports import render_report

        report_id = report.pk
        transaction.on_commit(lambda: render_report.delay(report_id))
    audit.record(
        "report.requested",
        actor=by,
        obj=report,
        outcome=audit.Outcome.SUCCESS,
        scheduled=scheduled,
        queued=queued,
    )
    return report, queued


def requeue_stale(now: dt.datetime | None = None) -> list[int]:
    """Queue again the reports no worker will finish: a rendering killed by the hard limit or a
    lost worker, or a queued message lost with a broker. ``report_enqueue`` decides, as when
    someone asks for the report; only one task can claim it, so a late original does no harm.
    Run hourly, so a scheduled report does not wait for someone to notice it."""
    now = now or timezone.now()
    stale = Report.objects.filter(
        Q(state=Report.State.RENDERING, started_at__lt=now - STALE_RENDERING)
        | Q(state=Report.State.QUEUED, created_at__lt=now - STALE_RENDERING)
    )
    requeued = []
    for report in stale:
        _report, queued = report_enqueue(
            kind=report.kind,
            period=periods.parse(report.period),
            scope_code=report.scope_code,
            scheduled=report.scheduled,
        )
        if queued:
            requeued.append(report.pk)
    return requeued


def _claim(report_id: int, task_id: str) -> bool:
    return (
        Report.objects.filter(pk=report_id, state=Report.State.QUEUED).update(
            state=Report.State.RENDERING,
            started_at=timezone.now(),
            finished_at=None,
            error="",
            attempts=F("attempts") + 1,
            task_id=task_id[:50],
        )
        == 1
    )


def report_requeue(report_id: int) -> None:
    """A transient error: back to queued, so the retry can claim it again."""
    Report.objects.filter(pk=report_id, state=Report.State.RENDERING).update(
        state=Report.State.QUEUED
    )


def describe_error(error: BaseException | str) -> str:
    """One line for the reports page: the exception's type and message."""
    if isinstance(error, str):
        return error
    if isinstance(error, SoftTimeLimitExceeded):
        return _("Rendering took longer than %(seconds)s seconds.") % {
            "seconds": RENDER_SOFT_TIME_LIMIT
        }
    return f"{type(error).__name__}: {error}"


def report_fail(report_id: int, error: BaseException | str) -> None:
    """Record the failure; the file of an earlier rendering (if any) is no longer served."""
    message = describe_error(error)
    message = message.strip().splitlines()[0] if message.strip() else _("Unknown error")
    updated = Report.objects.filter(
        pk=report_id, state__in=(Report.State.QUEUED, Report.State.RENDERING)
    ).update(state=Report.State.FAILED, error=message[:2000], finished_at=timezone.now())
    if updated:
        report = Report.objects.get(pk=report_id)
        audit.record("report.failed", obj=report, outcome=audit.Outcome.FAILURE, error=message)
        logger.warning("Report %s failed: %s", report, message)


def report_build(*, report_id: int, task_id: str = "") -> Report | None:
    """Render a queued report: gather → render → store → ready. None when the report is not
    queued (another worker has it, or it is done already). Transient errors put it back to
    queued and propagate (the task retries); any other error fails it and propagates."""
    from scoring import report_render

    if not _claim(report_id, task_id):
        return None
    report = Report.objects.get(pk=report_id)
    started = time.monotonic()
    try:
        period = periods.parse(report.period)
        prepare_targets(period)
        data = gather(kind=report.kind, period=period, scope_code=report.scope_code)
        rendered = report_render.render_pdf(data)
    except TRANSIENT_ERRORS:
        report_requeue(report_id)
        raise
    except BaseException as error:
        report_fail(report_id, error)
        raise
    seconds = time.monotonic() - started
    digest = hashlib.sha256(rendered.content).hexdigest()
    name = (
        f"reports/{period.start.year}/"
        f"{report.kind}-{report.period}-{report.scope_code}-{digest[:12]}.pdf"
    )
    old_name = report.file.name if report.file else ""
    try:
        stored = default_storage.save(name, ContentFile(rendered.content))
    except TRANSIENT_ERRORS:
        report_requeue(report_id)
        raise
    except BaseException as error:
        report_fail(report_id, error)
        raise
    with transaction.atomic():
        updated = Report.objects.filter(pk=report_id, state=Report.State.RENDERING).update(
            state=Report.State.READY,
            file=stored,
            size=len(rendered.content),
            sha256=digest,
            pages=rendered.pages,
            data_as_of=data["data_as_of"],
            finished_at=timezone.now(),
            render_seconds=round(seconds, 3),
            error="",
        )
        if updated != 1:  # taken away meanwhile (e.g. failed by a time limit): keep nothing
            default_storage.delete(stored)
            return None
        report.refresh_from_db()
        audit.record(
            "report.ready",
            obj=report,
            seconds=report.render_seconds,
            pages=report.pages,
            sha256=digest,
        )
        if report.scheduled:
            transaction.on_commit(lambda: deliver(report_id))
    if old_name and old_name != stored:
        default_storage.delete(old_name)
    return report


def report_url(report: Report) -> str:
    path = reverse("report-detail", kwargs={"pk": report.pk})
    base: str = settings.PUBLIC_BASE_URL
    return f"{base}{path}" if base else path


def deliver(report_id: int) -> int:
    """Tell the district leaders, in the portal and by e-mail, that a scheduled report is ready:
    a link to its page, never the file (it stays behind the portal's access checks)."""
    report = Report.objects.filter(pk=report_id, state=Report.State.READY).first()
    if report is None or report.scope_code != DISTRICT:
        return 0
    leaders = User.objects.filter(role=Role.LEADER, is_active=True)
    period = periods.parse(report.period)
    return notify(
        leaders,
        message=_("The %(kind)s report for %(period)s is ready.")
        % {"kind": report.get_kind_display(), "period": period.label},
        link=report_url(report),
        key=f"report:{report.pk}:ready:{report.sha256[:12]}",
    )


def enqueue_scheduled(kind: str, *, today: dt.date | None = None) -> list[Report]:
    """The scheduled run: the last complete period of this kind, for the district and for each
    jurisdiction directly below it (what street-scoped staff read)."""
    period = periods.last_complete(KIND_PERIODS[kind], today)
    scopes = [DISTRICT, *top_level_jurisdictions().values_list("code", flat=True)]
    return [
        report_enqueue(kind=kind, period=period, scope_code=code, scheduled=True)[0]
        for code in scopes
    ]


def build_now(*, kind: str, period: Period, scope_code: str = DISTRICT) -> Report:
    """Render synchronously (the management command): queue-or-reuse the row, then build it here
    instead of in a worker. An existing ready report is rendered again with current data."""
    with transaction.atomic():
        scope_jurisdiction(scope_code)
        report, _created = Report.objects.get_or_create(
            kind=kind, period=period.key, scope_code=scope_code
        )
        Report.objects.filter(pk=report.pk).exclude(state=Report.State.RENDERING).update(
            state=Report.State.QUEUED, error=""
        )
    built = report_build(report_id=report.pk, task_id="generate_report")
    if built is None:
        report.refresh_from_db()
        raise ReportRequestError(
            _("The report is being rendered by a worker; try again when it is done.")
        )
    return built
