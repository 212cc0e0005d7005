"""Applications to become a demonstration unit, their transitions and certificate numbers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models.choices import ApplicationStatus
from units.models.unit import Unit


class DemonstrationApplication(models.Model):
    class Level(models.TextChoices):
        UNIT = "unit", _("Demonstration unit")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="applications", verbose_name=_("unit")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.UNIT)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    statement = models.TextField(
        _("self-assessment"),
        max_length=5000,
        blank=True,
        help_text=_("How the unit meets the Five Guarantees; what evidence is attached."),
    )
    commitments_confirmed = models.BooleanField(
        _("commitments confirmed"),
        default=False,
        help_text=_("The operator confirms the commitments on record are true and in force."),
    )
    # The last reason given for a return, rejection or note by staff, shown to the operator.
    staff_note = models.CharField(_("staff note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=30, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("demonstration application")
        verbose_name_plural = _("demonstration applications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "year"])]
        constraints = [
            # One live application per unit and year; a rejected one does not block a new try.
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=~Q(status="rejected"),
                name="application_one_live_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="application_certificate_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class ApplicationEvent(models.Model):
    """Every transition of an application: who, when, from what to what, and why."""

    application = models.ForeignKey(
        DemonstrationApplication, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class CertificateCounter(models.Model):
    """The last certificate number issued in a year, incremented under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
