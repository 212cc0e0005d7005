"""Inspection plans by risk (双随机, with weights): units drawn at random within each street, the
draw probabilities weighted by risk, reproducible from a stored seed, and published (一公开).

A plan keeps what it was drawn from — every candidate unit of each street with its weight — so
that replaying the draw from the seed gives the same units even after the records behind the
weights have changed (``supervision.plans.replay``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from units.models import Unit


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class InspectionPlan(models.Model):
    period = models.CharField(_("period"), max_length=7)  # a year (2026) or a quarter (2026-Q3)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope")
    )
    ratio = models.DecimalField(_("share drawn (%)"), max_digits=5, decimal_places=2)
    minimum = models.PositiveSmallIntegerField(_("at least per street"), default=1)
    seed = models.BigIntegerField(_("random seed"))
    # {"<street code>": [[unit pk, weight], ...]} in the order the draw read them.
    candidates = models.JSONField(default=dict, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-period", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "jurisdiction"],
                condition=Q(state="published"),
                name="plan_one_published_per_period_and_scope",
            ),
            models.CheckConstraint(
                condition=Q(ratio__gt=0) & Q(ratio__lte=100), name="plan_ratio_is_a_share"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="plan_publication_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.jurisdiction_id} #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT


class PlanEntry(models.Model):
    """One unit drawn: its street, its place in the draw, and why it weighed what it did."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    draw = models.PositiveIntegerField(_("draw order"))  # 1 = drawn first in its street
    weight = models.FloatField(_("weight"))
    factors = models.JSONField(_("risk factors"), default=dict)

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["plan", "jurisdiction__sort_order", "draw"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="plan_entry_unit_once"),
            models.UniqueConstraint(
                fields=["plan", "jurisdiction", "draw"], name="plan_entry_draw_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.unit_id}"
