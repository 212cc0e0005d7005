"""The choices the register's models share: industries, entity kinds and statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
