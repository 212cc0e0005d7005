"""Identity continuity (issue 19 item 4): a unit registered, imported or claimed that shares its
legal representative, phone, address or a previous credit code with a unit that was revoked,
is on the dishonest list or is under open enforcement. Staff confirm or clear each match; while
one is open or confirmed the unit cannot apply for demonstration status (``supervision.gates``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class MatchState(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed: the same operator")
    CLEARED = "cleared", _("Cleared: not the same operator")


class MatchTrigger(models.TextChoices):
    REGISTRATION = "registration", _("Self-registration")
    ENTRY = "entry", _("Entered or imported by staff")
    CLAIM = "claim", _("Claim of a registered unit")
    PREVIOUS_CODE = "previous_code", _("Previous credit code recorded")


class MatchField(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Same legal representative")
    PHONE = "phone", _("Same phone")
    ADDRESS = "address", _("Same address")
    CREDIT_CODE = "credit_code", _("Same previous credit code")


class RiskKind(models.TextChoices):
    REVOKED = "revoked", _("Demonstration status revoked")
    DISHONEST = "dishonest", _("On the serious illegal and dishonest list")
    ENFORCEMENT = "enforcement", _("Under open enforcement (case opened, no decision yet)")


class IdentityMatch(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("new unit")
    )
    matched_unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("matched unit")
    )
    trigger = models.CharField(
        _("found on"), max_length=16, choices=MatchTrigger.choices, default=MatchTrigger.ENTRY
    )
    # [{"field": "phone", "value": "13812345678"}, ...]: what the two units share (MatchField).
    reasons = models.JSONField(_("what they share"), default=list)
    # [{"kind": "dishonest", "since": "2026-03-01", "detail": "..."}]: why the matched unit
    # matters (RiskKind), as it stood when the match was found.
    risks = models.JSONField(_("why the matched unit matters"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=MatchState.choices, default=MatchState.OPEN
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("identity match")
        verbose_name_plural = _("identity matches")
        ordering = ["-found_at", "-pk"]
        indexes = [models.Index(fields=["state", "unit"])]
        constraints = [
            # Found again (a claim after the registration), a pair is updated, never doubled.
            models.UniqueConstraint(fields=["unit", "matched_unit"], name="identity_match_once"),
            models.CheckConstraint(
                condition=~Q(unit=models.F("matched_unit")), name="identity_match_not_itself"
            ),
            models.CheckConstraint(
                condition=Q(state="open")
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="identity_match_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(state="cleared") | ~Q(note=""),
                name="identity_match_cleared_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} ~ {self.matched_unit_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [_label(MatchField, reason.get("field", "")) for reason in self.reasons]

    @property
    def risk_labels(self) -> list[str]:
        return [_label(RiskKind, risk.get("kind", "")) for risk in self.risks]

    @property
    def reason_rows(self) -> list[dict[str, str]]:
        return [
            {"label": _label(MatchField, reason.get("field", "")), "value": reason.get("value", "")}
            for reason in self.reasons
        ]

    @property
    def risk_rows(self) -> list[dict[str, str]]:
        return [{**risk, "label": _label(RiskKind, risk.get("kind", ""))} for risk in self.risks]


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class PreviousCreditCode(models.Model):
    """A credit code a unit had before (原统一社会信用代码, on its licence or in the register of
    market entities), recorded by staff so that identity checks compare it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    credit_code = models.CharField(_("previous credit code"), max_length=18)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("previous credit code")
        verbose_name_plural = _("previous credit codes")
        indexes = [models.Index(fields=["credit_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "credit_code"], name="previous_credit_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.credit_code
