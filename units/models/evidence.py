"""Uploaded evidence backing a commitment or an application."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models.applications import DemonstrationApplication
from units.models.commitments import Commitment
from units.models.unit import Unit


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
