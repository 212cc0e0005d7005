"""Scoring: the versioned Five Guarantees rubric, unit scores with their evidence, appeals, the
district targets and their evaluations, the demonstration-area checklist, summary tables for the
leader dashboard, and the archive of periodic PDF reports (DESIGN.md §5–§7).

This app reads units, complaints and inspections; they never import it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction
from units.guarantees import Guarantee
from units.models import Unit

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
    record matches. The record kinds are registered in ``scoring.rubric.RECORD_KINDS``.
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


# --- Scores ---------------------------------------------------------------------------------------


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
            # The grade list's order within a period (issue 17).
            models.Index(fields=["period", "-total"], name="score_period_total"),
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


# --- Targets --------------------------------------------------------------------------------------


class Target(models.Model):
    """A district target (DESIGN.md §6) and its threshold; more specific scopes override."""

    class Comparator(models.TextChoices):
        GTE = "gte", "≥"
        LTE = "lte", "≤"
        EQ = "eq", "="
        DECREASE = "decrease", _("falls year on year")

    class Scope(models.TextChoices):
        DISTRICT = "district", _("District")
        DEMO_AREA = "demo_area", _("Demonstration area")
        JURISDICTION = "jurisdiction", _("One jurisdiction")

    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    comparator = models.CharField(_("comparator"), max_length=8, choices=Comparator.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Rates as fractions (0.96 for 96%); per-thousand figures as numbers."),
    )
    unit_label = models.CharField(_("shown as"), max_length=10, default="%")
    scope = models.CharField(
        _("scope"), max_length=12, choices=Scope.choices, default=Scope.DISTRICT
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    definition = models.CharField(_("definition"), max_length=300, blank=True)
    # Below this denominator the figure is shown with "样本不足" and judged neither met nor missed
    # (DESIGN.md §6); for the year-on-year comparison both years need it. 0: no minimum.
    min_denominator = models.PositiveIntegerField(
        _("minimum denominator"),
        default=10,
        help_text=_(
            "Below this many records the figure is shown as an insufficient sample and not "
            "judged; 0 for no minimum. The year-on-year comparison needs it in both years."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["order", "key", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "scope"],
                condition=Q(jurisdiction__isnull=True),
                name="target_once_per_scope",
            ),
            models.UniqueConstraint(
                fields=["key", "jurisdiction"],
                condition=Q(jurisdiction__isnull=False),
                name="target_once_per_jurisdiction",
            ),
            models.CheckConstraint(
                condition=Q(scope="jurisdiction", jurisdiction__isnull=False)
                | (~Q(scope="jurisdiction") & Q(jurisdiction__isnull=True)),
                name="target_jurisdiction_iff_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_scope_display()})"


class TargetResult(models.Model):
    """The evaluated value of one target for a period and scope: the summary table the dashboard
    and the reports read. ``scope_code`` is "district" or a jurisdiction code."""

    period = models.CharField(_("period"), max_length=7)
    scope_code = models.CharField(_("scope"), max_length=12)
    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    numerator = models.DecimalField(
        _("numerator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=6, null=True, blank=True)
    comparator = models.CharField(_("comparator"), max_length=8)
    threshold = models.DecimalField(
        _("threshold"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    met = models.BooleanField(_("met"), null=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["period", "scope_code", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_code", "key"], name="target_result_once"
            )
        ]
        indexes = [models.Index(fields=["scope_code", "key", "period"])]

    def __str__(self) -> str:
        return f"{self.period} {self.scope_code} {self.key}"


class DemonstrationArea(models.Model):
    """A jurisdiction creating a demonstration area (放心消费示范区): stricter targets apply."""

    jurisdiction = models.OneToOneField(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="demonstration_area",
        verbose_name=_("jurisdiction"),
    )
    designated_on = models.DateField(_("designated on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("demonstration area")
        verbose_name_plural = _("demonstration areas")

    def __str__(self) -> str:
        return str(self.jurisdiction)


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


# --- Reports --------------------------------------------------------------------------------------


class Report(models.Model):
    """One periodic PDF report: unique per (kind, period, scope), so a duplicate run or a retry
    never makes a second one. ``scope_code`` is "district" or a jurisdiction code."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=7)
    scope_code = models.CharField(_("scope"), max_length=12, default="district")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(max_length=50, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)
    # The last sign of life: when the report was queued, claimed, and every 30 s while a worker
    # renders it (lyushunkou.background.Heartbeat). The sweep reads it to find dead renderings.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # Times the sweep queued it again after its worker died; once only, then it fails.
    requeue_count = models.PositiveSmallIntegerField(_("requeued"), default=0)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "kind", "scope_code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "scope_code"], name="report_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} {self.scope_name()}"

    def scope_name(self) -> str:
        """The district, or the jurisdiction's name (its code if it has gone)."""
        if self.scope_code == "district":
            return str(_("Whole district"))
        name = (
            Jurisdiction.objects.filter(code=self.scope_code).values_list("name", flat=True).first()
        )
        return name or self.scope_code
