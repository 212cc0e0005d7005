"""The periodic reports (DESIGN.md §6–§8): what a request may ask for and the services that queue
and build a ``Report``. The data a report shows is gathered in ``scoring.reports.data``.

A report is unique per (kind, period, scope): ``report_enqueue`` finds or creates the row and
queues its rendering after the transaction commits, so a second request, a duplicate scheduled
run or a retry never makes a second report. If the broker cannot take the task, the report is
failed at once with a message saying so (``report_not_queued``), and may be retried
(``scoring.reports.recovery``). ``report_build`` claims the row (queued → rendering) with a
conditional update, beats its ``heartbeat_at`` while it works (``lyushunkou.background``),
gathers every figure into plain Python values
(``report_data.gather``: a fixed number of aggregate queries, whatever the size of the data),
hands them to
``scoring.reports.render`` and stores the PDF through Django's default storage (ready), or records
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
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import audit
from lyushunkou.background import Heartbeat, beat_job, claim_job, send_on_commit
from lyushunkou.claims import claimed
from lyushunkou.db_router import use_replica
from lyushunkou.models import Role, User
from lyushunkou.notifications import notify, portal_language
from scoring import periods
from scoring.models import (
    Report,
)
from scoring.periods import Period, PeriodError
from scoring.reports.data import (
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
# runaway. A rendering killed by the hard limit stops beating, and the sweep
# (scoring.reports.recovery.requeue_stale) queues it again once.
RENDER_SOFT_TIME_LIMIT = 240
RENDER_TIME_LIMIT = 300


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
    notification keys make a no-op; one whose worker died is the sweep's); a failed one is
    queued again, as the retry button does.
    """
    scope_jurisdiction(scope_code)
    now = timezone.now()
    report, created = Report.objects.get_or_create(
        kind=kind,
        period=period.key,
        scope_code=scope_code,
        defaults={"requested_by": by, "scheduled": scheduled, "heartbeat_at": now},
    )
    queued = created
    if not created:
        queued = requeue_failed(report.pk, now=now)
        if scheduled and not report.scheduled:
            Report.objects.filter(pk=report.pk).update(scheduled=True)
        report.refresh_from_db()
        if scheduled and report.state == Report.State.DONE:
            transaction.on_commit(lambda: deliver(report.pk))
    if queued:
        queue_rendering(report.pk)
    audit.record(
        "report.requested",
        actor=by,
        obj=report,
        outcome=audit.Outcome.SUCCESS,
        scheduled=scheduled,
        queued=queued,
    )
    return report, queued


def requeue_failed(report_id: int, *, now: dt.datetime) -> bool:
    """Claim a failed report back to queued (a conditional update: of two requests or two
    clicks, one only wins). Its automatic requeue is available again."""
    return claimed(
        Report.objects.filter(pk=report_id),
        sources=[Report.State.FAILED],
        state_field="state",
        state=Report.State.QUEUED,
        error="",
        started_at=None,
        finished_at=None,
        heartbeat_at=now,
        requeue_count=0,
    )


def queue_rendering(report_id: int) -> None:
    """Send the rendering to the workers after commit; a broker that cannot take it fails the
    report with a message instead of an HTTP 500 (``report_not_queued``)."""
    from scoring.reports.tasks import render_report

    send_on_commit(
        lambda: render_report.delay(report_id),
        on_failure=lambda error: report_not_queued(report_id, error),
        what=f"report {report_id}",
    )


def report_not_queued(report_id: int, error: BaseException) -> None:
    """The broker refused the task: the report would wait forever, so it fails now, saying
    why, and the user may retry once the service is back."""
    message = _(
        "The background job service is unavailable; the report could not be queued. "
        "Please click Retry later."
    )
    if claimed(
        Report.objects.filter(pk=report_id),
        sources=[Report.State.QUEUED],
        state_field="state",
        state=Report.State.FAILED,
        error=message,
        finished_at=timezone.now(),
    ):
        audit.record(
            "report.not_queued",
            obj=Report.objects.get(pk=report_id),
            outcome=audit.Outcome.FAILURE,
            error=describe_error(error)[:500],
        )


def _claim(report_id: int, task_id: str) -> dt.datetime | None:
    """Queued → rendering; the claim's start time, which its heartbeats match on, or None."""
    return claim_job(
        Report,
        report_id,
        finished_at=None,
        error="",
        attempts=F("attempts") + 1,
        task_id=task_id[:50],
    )


def report_requeue(report_id: int) -> None:
    """A transient error: back to queued, so the retry can claim it again."""
    claimed(
        Report.objects.filter(pk=report_id),
        sources=[Report.State.RUNNING],
        state_field="state",
        state=Report.State.QUEUED,
        heartbeat_at=timezone.now(),
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
    if claimed(
        Report.objects.filter(pk=report_id),
        sources=[Report.State.QUEUED, Report.State.RUNNING],
        state_field="state",
        state=Report.State.FAILED,
        error=message[:2000],
        finished_at=timezone.now(),
    ):
        report = Report.objects.get(pk=report_id)
        audit.record("report.failed", obj=report, outcome=audit.Outcome.FAILURE, error=message)
        logger.warning("Report %s failed: %s", report, message)


def report_build(*, report_id: int, task_id: str = "") -> Report | None:
    """Render a queued report: gather → render → store → ready. None when the report is not
    queued (another worker has it, or it is done already). Transient errors put it back to
    queued and propagate (the task retries); any other error fails it and propagates."""
    from scoring.reports import render as report_render

    claim = _claim(report_id, task_id)
    if claim is None:
        return None
    report = Report.objects.get(pk=report_id)
    started = time.monotonic()
    try:
        with Heartbeat(lambda: beat_job(Report, report_id, claim)), use_replica():
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
        won = claimed(
            Report.objects.filter(pk=report_id, started_at=claim),
            sources=[Report.State.RUNNING],
            state_field="state",
            state=Report.State.DONE,
            file=stored,
            size=len(rendered.content),
            sha256=digest,
            pages=rendered.pages,
            data_as_of=data["data_as_of"],
            finished_at=timezone.now(),
            render_seconds=round(seconds, 3),
            error="",
        )
        # Taken away meanwhile (failed by a time limit, or queued again by the sweep after a
        # silence and claimed by another worker): keep nothing.
        if not won:
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
        tell_requester(report)
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
    report = Report.objects.filter(pk=report_id, state=Report.State.DONE).first()
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


def tell_requester(report: Report) -> int:
    """The staff member who asked for the report waits for it: it is ready, on its page. (A
    scheduled run's report has no requester; ``deliver`` tells the leaders.)"""
    requester = report.requested_by
    if requester is None or not requester.is_active:
        return 0
    with portal_language():
        message = _("The %(kind)s report for %(period)s is ready.") % {
            "kind": report.get_kind_display(),
            "period": periods.parse(report.period).label,
        }
    return notify(
        [requester],
        message=message,
        link=reverse("report-detail", kwargs={"pk": report.pk}),
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
        claimed(
            Report.objects.filter(pk=report.pk).exclude(state=Report.State.RUNNING),
            state=Report.State.QUEUED,
            error="",
        )
    built = report_build(report_id=report.pk, task_id="generate_report")
    if built is None:
        report.refresh_from_db()
        raise ReportRequestError(
            _("The report is being rendered by a worker; try again when it is done.")
        )
    return built
