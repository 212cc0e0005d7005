"""Who may act for a business (DESIGN.md §5, owners of units): claims, claim codes, and the
record of operators' changes to a demonstration unit's public contact details."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit


def licence_path(instance: UnitClaim, filename: str) -> str:
    # Random stored name: the uploader's file name is kept in a field, never used as a path.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"licences/{instance.unit_id}/{secrets.token_hex(12)}.{extension}"


class UnitClaim(models.Model):
    """A request to act for a unit, decided by staff on the business licence.

    ``existing``: the credit code was already in the register, so knowing it proves nothing; the
    claimant names the legal representative (it must match the register) and uploads the licence.
    ``new``: the code was first seen at self-registration; the unit exists, owned by the claimant
    but unverified, until staff confirm the licence.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        EXISTING = "existing", _("Claim of a registered unit")
        NEW = "new", _("Verification of a new unit")
        CODE = "code", _("Claim code issued by staff")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_claims"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EXISTING)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    legal_representative = models.CharField(
        _("legal representative (as stated)"), max_length=50, blank=True
    )
    licence = models.FileField(_("business licence"), upload_to=licence_path, blank=True)
    licence_name = models.CharField(_("file name"), max_length=200, blank=True)
    licence_type = models.CharField(max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit claim")
        verbose_name_plural = _("unit claims")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "claimant"],
                condition=Q(status="pending"),
                name="claim_one_pending_per_user",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.claimant} → {self.unit}"


# Without 0/O, 1/I/L: read off a printed letter and typed by hand.
CLAIM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 12
CLAIM_CODE_DAYS = 30


def claim_code_digest(code: str) -> str:
    """Only a keyed digest is stored: a database dump does not hand out claim codes."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"claim-code:{compact}".encode(), hashlib.sha256).hexdigest()


def new_claim_code() -> str:
    raw = "".join(secrets.choice(CLAIM_CODE_ALPHABET) for _ in range(CLAIM_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CLAIM_CODE_LENGTH, 4))


class ClaimCode(models.Model):
    """A one-time code staff print on an inspection notice or letter to the business: typed with
    the right credit code at registration, it grants the claim at once. Single use, 30 days."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="claim_codes")
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("claim code")
        verbose_name_plural = _("claim codes")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.issued_at:%Y-%m-%d}"


class ContactChange(models.Model):
    """An operator changed what the public sees of a demonstration unit: shown to staff."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contact_changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # {field label: [before, after]}
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "-at"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.at:%Y-%m-%d %H:%M}"
