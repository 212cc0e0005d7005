"""The unit (经营主体) itself: its identity, contact, standing in the programme and certificate."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import validate_credit_code
from lyushunkou.models import Jurisdiction
from units.models.blocks import DemonstrationBlock
from units.models.choices import BusinessStatus, DemonstrationStatus, EntityKind, Industry
from units.search import name_bigrams


def new_public_id() -> str:
    # 12 URL-safe characters: unguessable, so the plaque URL does not enumerate the register.
    return secrets.token_urlsafe(9)


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The name's pairs of characters for the indexed name search (units.search); kept by save(),
    # unit_update_profile and fill_name_bigrams before a bulk_create.
    name_bigrams = models.TextField(_("name bigrams"), blank=True, default="", editable=False)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={
            "unique": _(
                "A unit with this credit code is already registered. If it is yours, claim it "
                "during registration; staff will review the claim."
            )
        },
    )
    kind = models.CharField(_("entity kind"), max_length=12, choices=EntityKind.choices)
    industry = models.CharField(_("industry"), max_length=10, choices=Industry.choices)
    address = models.CharField(_("address"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="units", verbose_name=_("jurisdiction")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    business_status = models.CharField(
        _("business status"),
        max_length=12,
        choices=BusinessStatus.choices,
        default=BusinessStatus.OPERATING,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("operator account"),
    )
    block = models.ForeignKey(
        DemonstrationBlock,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("demonstration block"),
    )
    public_id = models.CharField(
        _("public ID"), max_length=16, unique=True, default=new_public_id, editable=False
    )
    demonstration_status = models.CharField(
        _("demonstration status"),
        max_length=10,
        choices=DemonstrationStatus.choices,
        default=DemonstrationStatus.NONE,
    )
    # Names every unmet criterion of the standard when the system puts the unit in warning, so
    # it can be longer than a staff member's sentence.
    status_reason = models.CharField(_("status reason"), max_length=2000, blank=True)
    # Re-evaluation (后评价, DESIGN.md §5 lifecycle), kept by units.services_status. A warning
    # carries its rectification deadline (整改期限); ``warning_automatic`` marks a warning the
    # system gave because the standard lapsed, which the system lifts again when it is met (a
    # staff member's warning is lifted by staff). The overdue and renewal marks make the daily
    # jobs idempotent: staff are told once per warning, the operator invited once per certificate.
    rectify_by = models.DateField(_("rectification deadline"), null=True, blank=True)
    warning_automatic = models.BooleanField(_("warning given by the system"), default=False)
    overdue_notified_on = models.DateField(_("overdue reported on"), null=True, blank=True)
    renewal_invited_for = models.CharField(
        _("renewal invited for certificate"), max_length=30, blank=True
    )
    # Staff confirmed the business licence (DESIGN.md §5, owners of units). Units staff enter or
    # import are verified as they are written (the default); a code first seen at
    # self-registration is not (None), and stays out of public pages and the demonstration
    # programme until staff confirm it.
    verified_at = models.DateTimeField(
        _("verified at"), default=timezone.now, null=True, blank=True
    )
    certificate_no = models.CharField(_("certificate number"), max_length=30, blank=True)
    certified_from = models.DateField(_("valid from"), null=True, blank=True)
    certified_until = models.DateField(_("valid until"), null=True, blank=True)
    # Bumped by every change through a service: a form carrying an older version is stale.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "industry"]),
            models.Index(fields=["demonstration_status", "jurisdiction"]),
            models.Index(fields=["name"]),
            models.Index(fields=["owner"]),
            # The staff list pages by -id within a street (issue 17).
            models.Index(fields=["jurisdiction", "-id"], name="unit_street_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(demonstration_status="none")
                | (~Q(certificate_no="") & Q(certified_until__isnull=False)),
                name="unit_demonstration_has_certificate",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_bigrams = name_bigrams(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_bigrams"}
        super().save(*args, **kwargs)

    def plaque_status(self, today: dt.date | None = None) -> str:
        """What the public plaque says today: valid, warning, revoked, expired or none."""
        today = today or timezone.localdate()
        if self.demonstration_status == DemonstrationStatus.NONE:
            return "none"
        if self.demonstration_status == DemonstrationStatus.REVOKED:
            return "revoked"
        if self.certified_until and self.certified_until < today:
            return "expired"
        if self.demonstration_status == DemonstrationStatus.WARNING:
            return "warning"
        return "valid"
