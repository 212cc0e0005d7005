"""The public notice (公示) between approval and certificate, and the objections lodged against it.

DESIGN.md §5 lifecycle: approved → public notice (NOTICE_DAYS, 7 by default) → certificate. Anyone
may object while the notice runs; staff resolve every objection before the certificate is issued.
An objection is never shown publicly and its contact is personal data, masked for staff.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.models import DemonstrationApplication


class PublicNotice(models.Model):
    """One notice period of an application; a re-approved application gets a new one."""

    application = models.ForeignKey(
        DemonstrationApplication,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("demonstration application"),
    )
    starts_on = models.DateField(_("notice starts"))
    # The last day of the notice, inclusive: the certificate can be issued from the day after.
    ends_on = models.DateField(_("notice ends"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # Set when the certificate is issued or an upheld objection ends the notice.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(closed_at__isnull=True),
                name="notice_one_open_per_application",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.application} · {self.starts_on}–{self.ends_on}"

    @property
    def issue_from(self) -> dt.date:
        """The first day the certificate may be issued."""
        return self.ends_on + dt.timedelta(days=1)

    def running(self, today: dt.date) -> bool:
        return self.closed_at is None and self.starts_on <= today <= self.ends_on


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting resolution")
    # The decision on an objection (成立 / 不成立): not the "dismissed" of an appeal (驳回).
    UPHELD = "upheld", pgettext_lazy("objection", "Upheld")
    DISMISSED = "dismissed", pgettext_lazy("objection", "Dismissed")
    # Another objection was upheld and ended the notice: nothing is left to decide on this one.
    CLOSED = "closed", _("Closed with the notice")


class UpheldOutcome(models.TextChoices):
    RETURN = "return", _("Return the application to the operator")
    REJECT = "reject", _("Reject the application")


class Objection(models.Model):
    """An objection (异议) to a unit in notice, from anyone; never shown publicly."""

    notice = models.ForeignKey(
        PublicNotice,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("public notice"),
    )
    text = models.TextField(_("objection"), max_length=2000)
    # Personal data of the objector: masked for staff unless unmasked with a reason (audited).
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=UpheldOutcome.choices, blank=True
    )
    resolution = models.CharField(_("reason"), max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["submitted_at", "id"]
        permissions = [("unmask_objector", "Can see an objector's contact")]
        indexes = [models.Index(fields=["notice", "status"])]
        constraints = [
            # A resolved objection always says why; an upheld one says what became of it.
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="objection_resolved_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="upheld") | ~Q(outcome=""),
                name="objection_upheld_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.application} · {self.submitted_at:%Y-%m-%d}"
