"""The archive of periodic PDF reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction


class Report(models.Model):
    """One periodic PDF report: unique per (kind, period, scope), so a duplicate run or a retry
    never makes a second one. ``scope_code`` is "district" or a jurisdiction code."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=7)
    scope_code = models.CharField(_("scope"), max_length=12, default="district")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
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
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)
    # The last sign of life: when the report was queued, claimed, and every 30 s while a worker
    # renders it (lyushunkou.background.Heartbeat). The sweep reads it to find dead renderings.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # Times the sweep queued it again after its worker died; once only, then it fails.
    requeue_count = models.PositiveSmallIntegerField(_("requeued"), default=0)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "kind", "scope_code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "scope_code"], name="report_once")
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
