"""Unit scores with their evidence, staff corrections of a guarantee's points, and operators'
replies and appeals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from scoring.models.rubric import Grade, Rubric
from units.guarantees import Guarantee
from units.models import Unit


class UnitScore(models.Model):
    """A unit's grade for one period, computed with one rubric version. Re-scoring a period
    replaces its rows. ``evidence`` lists every rule that gave or took points:

    [{"indicator": code, "label": ..., "guarantee": ..., "kind": award|deduction|veto|correction,
      "count": n, "points": "-6.0", "records": [{"kind": record_kind, "id": pk, "label": ...}]}]
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="scores", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=7)
    as_of = models.DateField(_("data as of"))
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="scores", verbose_name=_("rubric")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    demonstration = models.BooleanField(_("demonstration unit"), default=False)
    quality = models.DecimalField(_("quality"), max_digits=4, decimal_places=1)
    safety = models.DecimalField(_("safety"), max_digits=4, decimal_places=1)
    price = models.DecimalField(_("price"), max_digits=4, decimal_places=1)
    service = models.DecimalField(_("service"), max_digits=4, decimal_places=1)
    rights = models.DecimalField(_("rights protection"), max_digits=4, decimal_places=1)
    total = models.DecimalField(_("total"), max_digits=4, decimal_places=1)
    raw_grade = models.CharField(_("grade by total"), max_length=1, choices=Grade.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    capped_by = models.CharField(
        _("capped by"), max_length=8, choices=Guarantee.choices, blank=True
    )
    vetoes = models.JSONField(_("vetoes"), default=list, blank=True)  # indicator codes
    # Guarantees with no evidence in the window (nothing but baselines and pending items).
    unevidenced = models.JSONField(_("guarantees without evidence"), default=list, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    # When the unit got this grade for this period: kept while re-scoring leaves the grade as it
    # was, so the 21 days to appeal run from the grade, not from the latest nightly run.
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["-period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="score_once_per_period")
        ]
        indexes = [
            models.Index(fields=["period", "grade"]),
            models.Index(fields=["period", "jurisdiction", "grade"]),
            # The grade list's order within a period, id breaking ties (issue 17).
            models.Index(fields=["period", "-total", "-id"], name="score_period_total_id"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.grade}"

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    @property
    def grade_given_at(self) -> dt.datetime:
        return self.graded_at or self.computed_at

    def guarantee_points(self) -> dict[str, Decimal]:
        return {g: getattr(self, g) for g in Guarantee.values}

    @property
    def unrated(self) -> bool:
        return self.grade == Grade.UNRATED

    @property
    def pending_items(self) -> list[dict[str, object]]:
        """The evidence entries of self-declared records awaiting verification (待核实)."""
        return [entry for entry in self.evidence if entry.get("kind") == "pending"]


class ScoreCorrection(models.Model):
    """A staff correction to a unit's guarantee points for a period, from an upheld appeal; every
    later scoring run of that period applies it and shows it as evidence."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="score_corrections", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=7)
    guarantee = models.CharField(_("guarantee"), max_length=8, choices=Guarantee.choices)
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    # The indicator whose records were wrong, if any: its points are replaced, not added to.
    indicator_code = models.CharField(_("indicator"), max_length=40, blank=True)
    lift_veto = models.BooleanField(_("lift the veto"), default=False)
    reason = models.CharField(_("reason"), max_length=1000)
    appeal = models.OneToOneField(
        "Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("appeal"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.guarantee} {self.points}"


APPEAL_DAYS = 21


class Appeal(models.Model):
    """An operator's reply to, or appeal against, a grade; appeals are decided by staff."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        APPEAL = "appeal", _("Appeal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")
        NOTED = "noted", _("Reply noted")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=7)
    grade = models.CharField(_("grade appealed"), max_length=1, choices=Grade.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    guarantee = models.CharField(
        _("guarantee concerned"), max_length=8, choices=Guarantee.choices, blank=True
    )
    text = models.TextField(_("grounds"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    due = models.DateField(_("appeal due"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period} · {self.get_kind_display()}"
