"""The year-end workflow of the area standard (issue 21 item 4).

- ``AreaAssessment``: a street's (or the district's) self-assessment for a year: submitted with the
  items as the records showed them then, reviewed item by item by district staff
  (``AssessmentItemReview``), returned or confirmed; submitted again after a return, one round more.
- ``AreaVerdict``: the final verdict, issued with a date. It is never changed: a correction is a
  new row with the next ``number``, and the latest number is the verdict in force.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lyushunkou.models import Jurisdiction


class AreaAssessment(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned")
        CONFIRMED = "confirmed", _("Confirmed")

    place = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    statement = models.TextField(_("self-assessment"), max_length=4000)
    # The items as the records showed them when submitted: [{code, label, status, detail}].
    items = models.JSONField(_("items"), default=list)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("demonstration-area self-assessment")
        verbose_name_plural = _("demonstration-area self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="area_assessment_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=["submitted", "returned", "confirmed"]),
                name="area_assessment_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.year}"


class AssessmentItemReview(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    assessment = models.ForeignKey(AreaAssessment, on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"))
    code = models.SlugField(_("item"), max_length=40)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("self-assessment item review")
        verbose_name_plural = _("self-assessment item reviews")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "round", "code"], name="assessment_item_reviewed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.code}"


class IssuedQuerySet(models.QuerySet["AreaVerdict"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("An issued verdict is never changed: issue a new version.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("An issued verdict is never deleted: issue a new version.")


class AreaVerdict(models.Model):
    """An issued verdict: immutable; a correction is the next ``number``."""

    place = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("version"))
    verdict = models.CharField(_("verdict"), max_length=10)
    # The items as judged: [{code, label, status, detail}]; for the district also the streets'.
    items = models.JSONField(_("items"), default=list)
    streets = models.JSONField(_("streets"), default=list, blank=True)
    reason = models.CharField(_("reason for the new version"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"))

    objects = IssuedQuerySet.as_manager()

    class Meta:
        verbose_name = _("demonstration-area verdict")
        verbose_name_plural = _("demonstration-area verdicts")
        ordering = ["place", "year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "year", "number"], name="area_verdict_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=["met", "not_met"]),
                name="area_verdict_final",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.year} · v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("An issued verdict is never changed: issue a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("An issued verdict is never deleted: issue a new version.")

    @property
    def verdict_label(self) -> str:
        from areas.models import Verdict

        return str(Verdict(self.verdict).label)
