"""What a unit has committed to (自律承诺) and its 12315 service station."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models.unit import Unit


class Commitment(models.Model):
    """A self-discipline commitment (自律承诺) a unit has made; one per kind, edited in place."""

    class Kind(models.TextChoices):
        FIRST_ASK = "first_ask", _("First-asking responsibility")
        ADVANCE_COMPENSATION = "advance_comp", _("Advance compensation")
        PURCHASE_INSPECTION = "purchase", _("Purchase inspection and ledgers")
        NO_REASON_RETURN = "return", _("Return without reason")
        PUBLIC_SERVICE = "service", _("Public service commitment")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("unit")
    )
    kind = models.CharField(_("commitment"), max_length=12, choices=Kind.choices)
    content = models.TextField(_("content"), max_length=2000)
    return_scope = models.CharField(
        _("scope of returns"),
        max_length=200,
        blank=True,
        help_text=_("Which goods may be returned without reason, e.g. all goods except food."),
    )
    return_days = models.PositiveSmallIntegerField(_("return period (days)"), null=True, blank=True)
    active = models.BooleanField(_("in force"), default=True)
    committed_on = models.DateField(_("committed on"), default=timezone.localdate)
    # Staff looked at the evidence and confirmed the system is in force (DESIGN.md §5, the
    # demonstration-unit standard): a self-declaration alone does not count. Cleared whenever the
    # operator changes the commitment, because what was verified is no longer what is declared.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["unit", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="commitment_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(kind="return") | Q(return_days__gte=1),
                name="commitment_return_has_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class ServiceStation(models.Model):
    """The unit's 12315 consumer-rights service station (12315消费维权服务站)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="station", verbose_name=_("unit")
    )
    contact_person = models.CharField(_("person handling complaints"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    hours = models.CharField(_("opening hours"), max_length=100)
    location = models.CharField(_("location"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    # Staff checked the station on the spot or from its evidence (rubric v2: only a verified
    # station earns points). Cleared when the operator changes the station.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("12315 service station")
        verbose_name_plural = _("12315 service stations")

    def __str__(self) -> str:
        return f"{self.unit} · 12315"
