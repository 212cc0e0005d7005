"""Sampling results (抽检), re-tests (复检) and disposal; the vocabulary shared with on-site checks.

The evidence of quality, safety and price at each unit (DESIGN.md §5 "Sampling"). The final result
of a batch is the re-test result when there is one; ``final_result`` stores it so that the figures
of DESIGN.md §6 are plain SQL aggregates. Services keep it in step (a check constraint makes sure).
On-site checks, findings, penalties, listings and incidents live in ``models_checks``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lyushunkou.models import Jurisdiction

# Shared with complaints and scoring; re-exported here for this app's modules.
from units.guarantees import Guarantee as Guarantee
from units.models import Unit


class SamplingType(models.TextChoices):
    SUPERVISORY = "supervisory", _("Supervisory sampling")
    EVALUATIVE = "evaluative", _("Evaluative sampling")
    RISK_MONITORING = "risk_monitoring", _("Risk monitoring")
    RAPID = "rapid", _("Rapid test")


class ProductCategory(models.TextChoices):
    FOOD = "food", _("Food")
    KEY_GOODS = "key_goods", _("Key consumer goods")
    OTHER_GOODS = "other_goods", _("Other consumer goods")


class ProductSubcategory(models.TextChoices):
    """Sub-categories close to the SAMR sampling plans; a value starts with its category's."""

    FOOD_GRAIN = "food_grain", _("Grain products")
    FOOD_OIL = "food_oil", _("Edible oils")
    FOOD_MEAT = "food_meat", _("Meat and meat products")
    FOOD_DAIRY = "food_dairy", _("Dairy products")
    FOOD_AQUATIC = "food_aquatic", _("Aquatic products")
    FOOD_VEGETABLES = "food_vegetables", _("Vegetables and fruit")
    FOOD_BEVERAGES = "food_beverages", _("Beverages and alcohol")
    FOOD_CATERING = "food_catering", _("Catering food")
    FOOD_OTHER = "food_other", _("Other food")
    KEY_ELECTRICAL = "key_goods_electrical", _("Electrical appliances")
    KEY_CHILDREN = "key_goods_children", _("Children's products")
    KEY_TEXTILES = "key_goods_textiles", _("Textiles and clothing")
    KEY_BUILDING = "key_goods_building", _("Building materials")
    KEY_CHEMICALS = "key_goods_chemicals", _("Daily chemical products")
    KEY_OTHER = "key_goods_other", _("Other key consumer goods")
    OTHER_GOODS = "other_goods", _("Other consumer goods")

    @classmethod
    def for_category(cls, category: str) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in cls.choices if value.startswith(category)]


class SamplingStage(models.TextChoices):
    """The link of the supply chain a batch was sampled in (抽样环节, DESIGN.md §6)."""

    PRODUCTION = "production", _("Production")
    CIRCULATION = "circulation", _("Circulation")
    CATERING = "catering", _("Catering service")


# The stage a batch is taken to be sampled in when the record does not say: key consumer goods
# are sampled from their makers (product-quality supervision sampling), catering food in
# restaurants, every other batch on the shelves of shops and markets. Docs: docs/targets.md.
DEFAULT_STAGE_BY_CATEGORY: dict[str, str] = {
    ProductCategory.FOOD: SamplingStage.CIRCULATION,
    ProductCategory.KEY_GOODS: SamplingStage.PRODUCTION,
    ProductCategory.OTHER_GOODS: SamplingStage.CIRCULATION,
}


def default_stage(category: str, subcategory: str = "") -> str:
    if subcategory == ProductSubcategory.FOOD_CATERING:
        return SamplingStage.CATERING
    return DEFAULT_STAGE_BY_CATEGORY.get(category, SamplingStage.CIRCULATION)


def stage_condition(stage: str) -> Q:
    """Batches of the stage, counting a batch saved without one (a bulk load) at its default."""
    blank = [
        category for category, default in DEFAULT_STAGE_BY_CATEGORY.items() if default == stage
    ]
    condition = Q(stage=stage) | Q(stage="", category__in=blank)
    if stage == SamplingStage.CATERING:
        return Q(stage=stage) | Q(stage="", subcategory=ProductSubcategory.FOOD_CATERING)
    return condition & ~Q(stage="", subcategory=ProductSubcategory.FOOD_CATERING)


class SamplingResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    PENDING = "pending", pgettext_lazy("sampling result", "Pending")


class RetestResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class DisposalKind(models.TextChoices):
    DELISTED = "delisted", _("Delisted")
    RECALLED = "recalled", _("Recalled")
    CASE_OPENED = "case_opened", _("Case opened")
    RECTIFIED = "rectified", _("Rectified")
    NONE_NEEDED = "none_needed", _("No disposal needed")


class SamplingBatch(models.Model):
    """One sampled batch (批次) and what followed: notification, re-test, disposal."""

    sample_no = models.CharField(_("sample number"), max_length=40, unique=True)
    sampled_on = models.DateField(_("sampling date"))
    sampling_type = models.CharField(
        _("sampling type"), max_length=16, choices=SamplingType.choices
    )
    category = models.CharField(_("category"), max_length=12, choices=ProductCategory.choices)
    subcategory = models.CharField(
        _("sub-category"), max_length=24, choices=ProductSubcategory.choices, blank=True
    )
    stage = models.CharField(
        _("sampling stage"),
        max_length=12,
        choices=SamplingStage.choices,
        blank=True,
        help_text=_("Blank: the default of the product category."),
    )
    product_name = models.CharField(_("product name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    batch_or_production_date = models.CharField(
        _("production date or batch number"), max_length=100, blank=True
    )
    # The unit the batch was sampled at, linked by credit code when it is registered. The name,
    # code and address are kept as the sampling form gave them, so an unlinked batch can be
    # linked later and a linked one still shows what the lab was told.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sampling_batches",
        verbose_name=_("unit"),
    )
    sampled_unit_name = models.CharField(_("sampled unit"), max_length=200)
    sampled_unit_credit_code = models.CharField(
        _("sampled unit's credit code"), max_length=18, blank=True
    )
    sampled_unit_address = models.CharField(_("sampled unit's address"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="sampling_batches",
        verbose_name=_("jurisdiction"),
    )
    nominal_manufacturer = models.CharField(_("nominal manufacturer"), max_length=200, blank=True)
    lab = models.CharField(_("testing laboratory"), max_length=200)
    result = models.CharField(_("result"), max_length=8, choices=SamplingResult.choices)
    failed_items = models.TextField(_("failed items"), max_length=2000, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    # Working-day deadlines from the notification, computed by the services with
    # lyushunkou.workdays so that lists can filter on them in SQL.
    retest_due = models.DateField(_("re-test application due"), null=True, blank=True)
    disposal_due = models.DateField(_("disposal due"), null=True, blank=True)
    retest_applied_on = models.DateField(_("re-test applied for on"), null=True, blank=True)
    retest_lab = models.CharField(_("re-test laboratory"), max_length=200, blank=True)
    retest_result = models.CharField(
        _("re-test result"), max_length=8, choices=RetestResult.choices, blank=True
    )
    retest_decided_on = models.DateField(_("re-test concluded on"), null=True, blank=True)
    final_result = models.CharField(
        _("final result"), max_length=8, choices=SamplingResult.choices, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sampling batch")
        verbose_name_plural = _("sampling batches")
        ordering = ["-sampled_on", "-id"]
        indexes = [
            models.Index(fields=["sampled_on"]),
            models.Index(fields=["jurisdiction", "sampled_on"]),
            models.Index(fields=["category", "sampling_type", "sampled_on"]),
            models.Index(fields=["final_result", "disposal_due"]),
            models.Index(fields=["sampled_unit_credit_code"]),
            # The sampling list's default order, alone and within a street (issue 17).
            models.Index(fields=["-sampled_on", "-id"], name="batch_newest"),
            models.Index(fields=["jurisdiction", "-sampled_on", "-id"], name="batch_street_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="fail") | ~Q(failed_items=""),
                name="sampling_failure_names_items",
            ),
            models.CheckConstraint(
                condition=Q(retest_result="") | Q(result="fail"),
                name="sampling_retest_only_after_failure",
            ),
            models.CheckConstraint(
                condition=(Q(retest_result="") & Q(final_result=F("result")))
                | (~Q(retest_result="") & Q(final_result=F("retest_result"))),
                name="sampling_final_result_in_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample_no} {self.product_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.stage:
            self.stage = default_stage(self.category, self.subcategory)
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "stage"}
        super().save(*args, **kwargs)

    @staticmethod
    def final_of(result: str, retest_result: str) -> str:
        """The re-test result is final when there is one (食品安全抽样检验管理办法)."""
        return retest_result or result


class Disposal(models.Model):
    """A disposal action (核查处置) after a failure: delisting, recall, a case, rectification."""

    batch = models.ForeignKey(
        SamplingBatch,
        on_delete=models.CASCADE,
        related_name="disposals",
        verbose_name=_("sampling batch"),
    )
    kind = models.CharField(_("disposal"), max_length=12, choices=DisposalKind.choices)
    done_on = models.DateField(_("date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible staff"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["done_on", "id"]

    def __str__(self) -> str:
        return f"{self.batch.sample_no} {self.get_kind_display()}"


from inspections.models_checks import (  # noqa: E402  (the app's other models, one registry)
    CheckItem,
    CheckType,
    DishonestListing,
    Finding,
    IncidentSeverity,
    OnSiteCheck,
    Penalty,
    PenaltyKind,
    SafetyIncident,
    Severity,
)

__all__ = [
    "CheckItem",
    "CheckType",
    "DishonestListing",
    "Disposal",
    "DisposalKind",
    "Finding",
    "Guarantee",
    "IncidentSeverity",
    "OnSiteCheck",
    "Penalty",
    "PenaltyKind",
    "ProductCategory",
    "ProductSubcategory",
    "RetestResult",
    "SafetyIncident",
    "SamplingBatch",
    "SamplingResult",
    "SamplingStage",
    "SamplingType",
    "Severity",
]
