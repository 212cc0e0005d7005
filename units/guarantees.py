"""The Five Guarantees (五放心) every unit is held to: the vocabulary shared by complaints,
inspections and scoring, which all build on units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Guarantee(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Safety")
    PRICE = "price", _("Price")
    SERVICE = "service", _("Service")
    RIGHTS = "rights", _("Rights protection")
