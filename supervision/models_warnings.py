"""Early warnings (issue 19 item 2): a street's complaints, failed batches, findings or safety
incidents of one category — or a unit's complaints or failed batches — above their control limit
over the last 30 days. The nightly job raises them (``supervision.warnings``); staff of the
jurisdiction acknowledge them or close them with a note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from inspections.models import IncidentSeverity, ProductCategory
from lyushunkou.models import Jurisdiction
from units.guarantees import Guarantee
from units.models import Unit


class Metric(models.TextChoices):
    COMPLAINTS = "complaints", _("Complaints")
    FAILED_BATCHES = "failed_batches", _("Failed sampling batches")
    FINDINGS = "findings", _("On-site check findings")
    INCIDENTS = "incidents", _("Safety incidents")


# What a street warning's category means, per metric.
CATEGORY_CHOICES: dict[str, type[models.TextChoices]] = {
    Metric.COMPLAINTS: Category,
    Metric.FAILED_BATCHES: ProductCategory,
    Metric.FINDINGS: Guarantee,
    Metric.INCIDENTS: IncidentSeverity,
}


class WarningState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class EarlyWarning(models.Model):
    metric = models.CharField(_("what rose"), max_length=16, choices=Metric.choices)
    # "<metric>:street:<jurisdiction pk>:<category>" or "<metric>:unit:<unit pk>".
    key = models.CharField(max_length=80, editable=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    # The category of the street's records: a complaint's issue category, a batch's product
    # category, a finding's guarantee, an incident's severity. Blank for a unit's warning.
    category = models.CharField(_("category"), max_length=20, blank=True)
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window to"))
    observed = models.PositiveIntegerField(_("count in the window"))
    baseline = models.FloatField(_("usual count (mean of the 12 windows before)"))
    limit = models.PositiveIntegerField(_("control limit"))
    # {"records": [{"type": "complaint", "pk": 1, "label": "T00000001"}, ...], "more": 0}
    evidence = models.JSONField(_("evidence"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=WarningState.choices, default=WarningState.OPEN
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-window_end", "-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "jurisdiction"]),
            models.Index(fields=["key", "closed_at"]),
        ]
        constraints = [
            # While a warning is open or acknowledged, the nightly job updates it, never adds one.
            models.UniqueConstraint(
                fields=["key"], condition=~Q(state="closed"), name="warning_one_active_per_key"
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | (~Q(note="") & Q(closed_at__isnull=False)),
                name="warning_closed_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_end:%Y-%m-%d}"

    @property
    def category_label(self) -> str:
        choices = CATEGORY_CHOICES[self.metric]
        try:
            return str(choices(self.category).label)
        except ValueError:
            return self.category

    @property
    def subject(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return f"{self.jurisdiction.name} · {self.category_label}"
