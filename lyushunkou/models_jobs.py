"""Background jobs: one life cycle (``BackgroundJob``) for the imports and exports too large for a
web request and for the periodic reports (``scoring.models.Report``).

A job is queued by a request (or the schedule), claimed by one worker with a conditional update
(queued → running), kept alive by a heartbeat while it runs, and ends done or failed; the sweeps
(``lyushunkou.import_jobs``, ``lyushunkou.export_sweep``, ``scoring.reports.recovery``) queue
again once, then fail, a job whose worker died (``lyushunkou.background`` holds the claim, the
beat and the sweep's query, written once). Each kind of job adds what it carries: an import its
upload and the importer's result, an export the list's filters and the file it wrote, a report
its period, scope and PDF.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction, User


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundJob(models.Model):
    """The columns every background job has, and what the sweeps and the job pages read."""

    State = JobState

    # The requester's interface language: the job's messages and words are written in it (blank:
    # the portal's language).
    language = models.CharField(max_length=16, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # The last sign of life: when queued, claimed, and every 30 s while a worker runs the job
    # (lyushunkou.background.Heartbeat). The sweeps read it to find jobs whose worker died.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # Times a sweep queued it again after its worker died; once only, then it fails.
    requeue_count = models.PositiveSmallIntegerField(_("requeued"), default=0)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class RequestersJob(models.Model):
    """A job run as the user who asked for it (an import, an export; not a report, which is the
    district's): the requester's scope when asking, which the job checks before it runs."""

    # The requester's scope when asking: the job refuses to run if it changed meanwhile.
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )

    class Meta:
        abstract = True


class ImportJob(RequestersJob, BackgroundJob):
    """An upload too large to import inside a web request, imported by a background task.

    The import itself is the page's own all-or-nothing importer (``lyushunkou.importing``); this
    row holds what the page would have shown. The uploaded file is personal data: it is kept in
    the default storage (outside the web root, never served) only until the job has run.
    """

    # The kind of import as its app registered it (``lyushunkou.importing.registry``): "units",
    # "complaints", "sampling" … This app does not enumerate the apps above it.
    kind = models.CharField(_("kind"), max_length=12)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file"), max_length=255)
    # Where the upload waits in the default storage; emptied once the file is deleted.
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    dry_run = models.BooleanField(_("check only (dry run)"), default=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # Every message as the page lists them: problems with the whole file first, then one
    # "row N, column: reason" line per row error; ``error_cells`` holds the row errors as
    # {"row", "column", "reason"} for the page's table.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_cells = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="importjob_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.file_name} ({self.get_state_display()})"

    @property
    def kind_label(self) -> str:
        from lyushunkou.importing.registry import kind_label  # the package imports this module

        return kind_label(self.kind)


class ExportJob(RequestersJob, BackgroundJob):
    """A list export of more rows than a web request should write (``EXPORT_BACKGROUND_ROWS``),
    written by a background task into the default storage and kept for ``EXPORT_KEEP_HOURS``.

    ``kind`` names the list as its app registered it (``lyushunkou.export_jobs``); the task runs
    the list's own filter again with ``query`` (the list's query string) as the requester, so
    the file holds exactly the rows the page listed. The file holds personal data (masked as in
    every export): it is served to its requester only, and deleted when it expires.
    """

    class Format(models.TextChoices):
        XLSX = "xlsx", ".xlsx"
        CSV = "csv", "CSV"

    kind = models.CharField(_("list"), max_length=40)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("requested by")
    )
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    query = models.TextField(blank=True, editable=False)
    # The filters in force, as the export's audit event records them.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The download's name (the list's name and the day requested) and where the file is kept;
    # ``stored_name`` is emptied once the file is deleted.
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="exportjob_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(fmt__in=["xlsx", "csv"]), name="exportjob_fmt_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.file_name or self.fmt} ({self.get_state_display()})"

    @property
    def expired(self) -> bool:
        """Done, and its file deleted (kept ``EXPORT_KEEP_HOURS``)."""
        return self.state == self.State.DONE and not self.stored_name
