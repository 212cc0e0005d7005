"""Demonstration blocks (示范街区) and the industries promoted in a year."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from units.models.choices import Industry


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
