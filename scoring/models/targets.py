"""The district targets (DESIGN.md §6), their evaluated results, and the demonstration areas
stricter targets apply to."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction


class Target(models.Model):
    """A district target (DESIGN.md §6) and its threshold; more specific scopes override."""

    class Comparator(models.TextChoices):
        GTE = "gte", "≥"
        LTE = "lte", "≤"
        EQ = "eq", "="
        DECREASE = "decrease", _("falls year on year")

    class Scope(models.TextChoices):
        DISTRICT = "district", _("District")
        DEMO_AREA = "demo_area", _("Demonstration area")
        JURISDICTION = "jurisdiction", _("One jurisdiction")

    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    comparator = models.CharField(_("comparator"), max_length=8, choices=Comparator.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Rates as fractions (0.96 for 96%); per-thousand figures as numbers."),
    )
    unit_label = models.CharField(_("shown as"), max_length=10, default="%")
    scope = models.CharField(
        _("scope"), max_length=12, choices=Scope.choices, default=Scope.DISTRICT
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    definition = models.CharField(_("definition"), max_length=300, blank=True)
    # Below this denominator the figure is shown with "样本不足" and judged neither met nor missed
    # (DESIGN.md §6); for the year-on-year comparison both years need it. 0: no minimum.
    min_denominator = models.PositiveIntegerField(
        _("minimum denominator"),
        default=10,
        help_text=_(
            "Below this many records the figure is shown as an insufficient sample and not "
            "judged; 0 for no minimum. The year-on-year comparison needs it in both years."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["order", "key", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "scope"],
                condition=Q(jurisdiction__isnull=True),
                name="target_once_per_scope",
            ),
            models.UniqueConstraint(
                fields=["key", "jurisdiction"],
                condition=Q(jurisdiction__isnull=False),
                name="target_once_per_jurisdiction",
            ),
            models.CheckConstraint(
                condition=Q(scope="jurisdiction", jurisdiction__isnull=False)
                | (~Q(scope="jurisdiction") & Q(jurisdiction__isnull=True)),
                name="target_jurisdiction_iff_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_scope_display()})"


class TargetResult(models.Model):
    """The evaluated value of one target for a period and scope: the summary table the dashboard
    and the reports read. ``scope_code`` is "district" or a jurisdiction code."""

    period = models.CharField(_("period"), max_length=7)
    scope_code = models.CharField(_("scope"), max_length=12)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    numerator = models.DecimalField(
        _("numerator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=6, null=True, blank=True)
    comparator = models.CharField(_("comparator"), max_length=8)
    threshold = models.DecimalField(
        _("threshold"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    met = models.BooleanField(_("met"), null=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["period", "scope_code", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_code", "key"], name="target_result_once"
            )
        ]
        indexes = [models.Index(fields=["scope_code", "key", "period"])]

    def __str__(self) -> str:
        return f"{self.period} {self.scope_code} {self.key}"


class DemonstrationArea(models.Model):
    """A jurisdiction creating a demonstration area (放心消费示范区): stricter targets apply."""

    jurisdiction = models.OneToOneField(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="demonstration_area",
        verbose_name=_("jurisdiction"),
    )
    designated_on = models.DateField(_("designated on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("demonstration area")
        verbose_name_plural = _("demonstration areas")

    def __str__(self) -> str:
        return str(self.jurisdiction)
