"""The grades and the versioned Five Guarantees rubric with its indicators (DESIGN.md §5)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.guarantees import Guarantee

MAX_GUARANTEE_POINTS = Decimal(20)


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    # Not a letter: too little evidence in the window to grade (rubric v2, DESIGN.md §5). Listed
    # last so every count over ``Grade.values`` shows it separately after the letters.
    UNRATED = "U", _("Not graded (insufficient evidence)")


# The letter grades, best first: bands and caps name only these.
LETTERS = ("A", "B", "C", "D")


# --- The rubric -----------------------------------------------------------------------------------


class Rubric(models.Model):
    """One version of the grading rubric. Exactly one is active; drafts are edited then activated;
    a retired version stays because old scores point at it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    lookback_months = models.PositiveSmallIntegerField(
        _("look-back window (months)"),
        default=12,
        help_text=_("Records older than this do not count, unless an indicator says otherwise."),
    )
    # [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60},
    #  {"grade": "D", "min": 0}] — a total gets the first grade whose minimum it reaches.
    grade_bands = models.JSONField(_("grade bands"), default=list)
    # [{"below": 12, "cap": "C"}, {"below": 8, "cap": "D"}] — a guarantee below "below" points
    # caps the grade at "cap" (the worst guarantee decides, as the UK food hygiene rating does).
    caps = models.JSONField(_("worst-guarantee caps"), default=list)
    # No evidence, no grade: a unit with no evidence in the window for this many guarantees or
    # more is "not graded" instead of a letter; 0 grades every unit (version 1).
    unrated_without_evidence = models.PositiveSmallIntegerField(
        _("not graded when this many guarantees lack evidence"),
        default=0,
        help_text=_("0: every unit gets a letter grade."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activated by"),
    )

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="rubric_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"


class Indicator(models.Model):
    """One rule of the rubric: which records count (``record_kind`` + ``params``), over which
    window, and how many points each is worth, within a cap (awards) or floor (deductions).

    ``kind``: an award adds ``points`` per record up to ``limit``; a deduction subtracts
    ``points`` per record down to −``limit``; a veto forces grade D and ineligibility when any
    record matches. The record kinds are registered in ``scoring.grading.rubric.RECORD_KINDS``.
    """

    class Kind(models.TextChoices):
        AWARD = "award", _("Award")
        DEDUCTION = "deduction", _("Deduction")
        VETO = "veto", _("Veto (一票否决)")
        # Lists self-declared records awaiting verification on the grade page; earns nothing.
        PENDING = "pending", _("Awaiting verification (earns nothing)")

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("rubric")
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    guarantee = models.CharField(_("guarantee"), max_length=8, choices=Guarantee.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    record_kind = models.CharField(_("record kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    points = models.DecimalField(
        _("points per record"), max_digits=5, decimal_places=1, default=Decimal(0)
    )
    limit = models.DecimalField(
        _("cap / floor"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        help_text=_("Most points an award can add, or a deduction can take away."),
    )
    window_months = models.PositiveSmallIntegerField(
        _("window (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the rubric's look-back window."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["rubric", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="indicator_code_per_rubric")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"
