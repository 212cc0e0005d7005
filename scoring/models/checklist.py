"""The demonstration-area checklist: one item of the standard per jurisdiction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction


class ChecklistItem(models.Model):
    """One item of the demonstration-area standard for a jurisdiction, with its evidence and who
    confirmed it."""

    class Item(models.TextChoices):
        JOINT_CONFERENCE = "joint_conference", _("Joint conference system")
        LEADERSHIP_GROUP = "leadership_group", _("Leadership group")
        IMPLEMENTATION_PLAN = "implementation_plan", _("Implementation plan")
        EMERGENCY_PLAN = "emergency_plan", _("Emergency plan")
        PUBLICITY = "publicity", _("Publicity")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    item = models.CharField(_("item"), max_length=20, choices=Item.choices)
    done = models.BooleanField(_("in place"), default=False)
    evidence_note = models.TextField(_("evidence"), max_length=2000, blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="scoring/checklist/%Y/", blank=True
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

    class Meta:
        verbose_name = _("demonstration-area checklist item")
        verbose_name_plural = _("demonstration-area checklist items")
        ordering = ["jurisdiction", "item"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "item"], name="checklist_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.get_item_display()}"
