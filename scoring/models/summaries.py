"""Summary tables for the leader dashboard: units per grade."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from scoring.models.rubric import Grade


class GradeSummary(models.Model):
    """Units per grade for a period, jurisdiction and demonstration flag: refreshed by the scoring
    job so the dashboard never scans the scores."""

    period = models.CharField(_("period"), max_length=7)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+")
    demonstration = models.BooleanField(default=False)
    grade = models.CharField(max_length=1, choices=Grade.choices)
    vetoed = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("grade summary")
        verbose_name_plural = _("grade summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "jurisdiction", "demonstration", "grade"],
                name="grade_summary_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.jurisdiction_id} {self.grade} {self.units}"
