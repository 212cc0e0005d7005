"""The archive of periodic PDF reports: each one a background job (``BackgroundJob``) that
renders its PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from lyushunkou.models_jobs import BackgroundJob, JobState


class ReportState(models.TextChoices):
    """The job states (``JobState``) in a report's words: running is rendering, done is ready."""

    QUEUED = JobState.QUEUED.value, _("Queued")
    RUNNING = JobState.RUNNING.value, _("Rendering")
    DONE = JobState.DONE.value, _("Ready")
    FAILED = JobState.FAILED.value, _("Failed")


class Report(BackgroundJob):
    """One periodic PDF report: unique per (kind, period, scope), so a duplicate run or a retry
    never makes a second one. ``scope_code`` is "district" or a jurisdiction code. Its life is
    the background job's: queued, running (rendering), done (ready: the PDF is stored) or
    failed, claimed by one worker, kept alive by its heartbeat and swept when its worker dies.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    State = ReportState  # type: ignore[assignment]

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=7)
    scope_code = models.CharField(_("scope"), max_length=12, default="district")
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=50, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "kind", "scope_code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "scope_code"], name="report_once"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="report_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} {self.scope_name()}"

    def scope_name(self) -> str:
        """The district, or the jurisdiction's name (its code if it has gone)."""
        if self.scope_code == "district":
            return str(_("Whole district"))
        name = (
            Jurisdiction.objects.filter(code=self.scope_code).values_list("name", flat=True).first()
        )
        return name or self.scope_code
