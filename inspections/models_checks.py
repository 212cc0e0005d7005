"""On-site checks (现场检查) with their checklists and findings; penalties, the serious illegal and
dishonest list, and safety incidents. Imported by ``inspections.models``; these are the inputs of
the scoring rubric (DESIGN.md §5 "Grading a unit")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Guarantee
from units.models import Unit


class CheckType(models.TextChoices):
    PRICE_MARKING = "price_marking", _("Price marking")
    SAFETY = "safety", _("Safety")
    SERVICE = "service", _("Service")
    COMMITMENTS = "commitments", _("Commitments verification")
    STATION = "station", _("12315 station")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")


class PenaltyKind(models.TextChoices):
    PRICE_FRAUD = "price_fraud", _("Price fraud")
    FALSE_ADVERTISING = "false_advertising", _("False advertising")
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


class IncidentSeverity(models.TextChoices):
    GENERAL = "general", _("General")
    LARGER = "larger", _("Larger")
    MAJOR = "major", _("Major")
    EXTRAORDINARY = "extraordinary", _("Extraordinarily serious")


class OnSiteCheck(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="onsite_checks", verbose_name=_("unit")
    )
    checked_on = models.DateField(_("date"))
    check_type = models.CharField(_("type"), max_length=16, choices=CheckType.choices)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("on-site check")
        verbose_name_plural = _("on-site checks")
        ordering = ["-checked_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "checked_on"]),
            models.Index(fields=["check_type", "checked_on"]),
            models.Index(fields=["-checked_on", "-id"], name="check_newest"),  # the list's order
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_check_type_display()} · {self.checked_on:%Y-%m-%d}"


class CheckItem(models.Model):
    check_record = models.ForeignKey(
        OnSiteCheck, on_delete=models.CASCADE, related_name="items", verbose_name=_("check")
    )
    item = models.CharField(_("item"), max_length=200)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to="inspections/checks/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.item


class Finding(models.Model):
    """A problem found on site, mapped to one of the Five Guarantees, and its rectification."""

    check_record = models.ForeignKey(
        OnSiteCheck, on_delete=models.CASCADE, related_name="findings", verbose_name=_("check")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("unit")
    )
    guarantee = models.CharField(_("guarantee"), max_length=8, choices=Guarantee.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("description"), max_length=2000)
    rectification_due = models.DateField(_("rectification due"))
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification_note = models.TextField(_("rectification"), max_length=2000, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="inspections/rectification/%Y/%m/", blank=True
    )
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification recorded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["rectification_due", "id"]
        indexes = [
            models.Index(fields=["unit", "rectification_due"]),
            models.Index(fields=["guarantee", "severity"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(rectified_on__isnull=False),
                name="finding_confirmed_after_rectification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_guarantee_display()} · {self.get_severity_display()}"

    def status(self, today: dt.date | None = None) -> str:
        """confirmed, rectified (awaiting staff), overdue or open."""
        if self.confirmed_at is not None:
            return "confirmed"
        if self.rectified_on is not None:
            return "rectified"
        if self.rectification_due < (today or timezone.localdate()):
            return "overdue"
        return "open"


class Penalty(models.Model):
    """An administrative penalty decision (行政处罚决定)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="penalties", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PenaltyKind.choices)
    decision_no = models.CharField(_("decision number"), max_length=60, unique=True)
    decided_on = models.DateField(_("decided on"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["unit", "decided_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="penalty_amount_not_negative")
        ]

    def __str__(self) -> str:
        return self.decision_no


class DishonestListing(models.Model):
    """An entry in the serious illegal and dishonest list (严重违法失信名单)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dishonest_listings", verbose_name=_("unit")
    )
    listed_on = models.DateField(_("listed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    authority = models.CharField(_("deciding authority"), max_length=100)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("dishonest list entry")
        verbose_name_plural = _("dishonest list entries")
        ordering = ["-listed_on", "-id"]
        indexes = [models.Index(fields=["unit", "listed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("listed_on")),
                name="listing_removed_after_listed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.listed_on:%Y-%m-%d}"


class SafetyIncident(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="safety_incidents", verbose_name=_("unit")
    )
    occurred_on = models.DateField(_("occurred on"))
    severity = models.CharField(_("severity"), max_length=14, choices=IncidentSeverity.choices)
    description = models.TextField(_("description"), max_length=2000)
    harmed_consumers = models.BooleanField(_("consumers harmed"), default=False)

    class Meta:
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["unit", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_severity_display()} · {self.occurred_on:%Y-%m-%d}"
