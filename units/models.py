"""The register of market operators (经营主体) and the demonstration programme around them."""

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
from units.search import name_bigrams


class Industry(models.TextChoices):
    """Close to the GB/T 4754 sections that matter to consumers here."""

    RETAIL = "retail", _("Retail")
    CATERING = "catering", _("Catering")
    LODGING = "lodging", _("Lodging")
    SCENIC_SPOT = "scenic", _("Scenic spot")
    FARMERS_MARKET = "market", _("Farmers' market")
    MALL = "mall", _("Shopping mall and supermarket")
    LIFE_SERVICES = "life", _("Life services (beauty, bathing, housekeeping, repairs)")
    EDUCATION = "education", _("Education and training")
    AUTO = "auto", _("Car sales and repair")
    PHARMACY = "pharmacy", _("Pharmacy")
    OTHER = "other", _("Other")


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual business")
    COOPERATIVE = "cooperative", _("Farmers' cooperative")
    OTHER = "other", _("Other organisation")


class BusinessStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DEREGISTERED = "deregistered", _("Deregistered")


class DemonstrationStatus(models.TextChoices):
    """A unit's standing in the programme; ``expired`` is derived from the validity date."""

    NONE = "none", _("Not a demonstration unit")
    APPROVED = "approved", _("Demonstration unit")
    WARNING = "warning", _("Warning")
    REVOKED = "revoked", _("Revoked")


def new_public_id() -> str:
    # 12 URL-safe characters: unguessable, so the plaque URL does not enumerate the register.
    return secrets.token_urlsafe(9)


class DemonstrationBlock(models.Model):
    """A business circle, scenic spot or street promoted as a whole (放心消费示范街区)."""

    class Kind(models.TextChoices):
        BUSINESS_CIRCLE = "circle", _("Business circle")
        SCENIC_SPOT = "scenic", _("Scenic spot")
        STREET = "street", _("Commercial street")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, verbose_name=_("jurisdiction")
    )
    year = models.PositiveSmallIntegerField(_("year designated"))

    class Meta:
        verbose_name = _("demonstration block")
        verbose_name_plural = _("demonstration blocks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DemonstrationIndustry(models.Model):
    """An industry the district promotes as a demonstration industry in a year."""

    industry = models.CharField(_("industry"), max_length=10, choices=Industry.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("demonstration industry")
        verbose_name_plural = _("demonstration industries")
        constraints = [
            models.UniqueConstraint(fields=["industry", "year"], name="demo_industry_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_industry_display()}"


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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ONSITE_CHECK = "onsite_check", _("On-site check")
    # Approved by staff, in public notice (公示) until the certificate is issued
    # (units.models_notice).
    NOTICE = "notice", _("In public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


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


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never trusted as a path.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"evidence/{instance.unit_id}/{secrets.token_hex(12)}.{extension}"


class EvidenceFile(models.Model):
    """An uploaded document or photo backing a commitment or an application."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="evidence")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    application = models.ForeignKey(
        DemonstrationApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


# Claims and contact changes live in their own module; imported here so Django registers them.
from units.models_claims import ClaimCode, ContactChange, UnitClaim  # noqa: E402, F401

# The public notice (公示) after approval and the objections lodged against it.
from units.models_notice import Objection, PublicNotice  # noqa: E402, F401

# The demonstration-unit standard, stored as data (DESIGN.md §5).
from units.models_standard import StandardCriterion  # noqa: E402, F401
