"""Machine clients of the HTTP API (issue 18): a connected system, its tokens, and the stored
answers of requests sent with an ``Idempotency-Key``.

A client acts through its own system account (a ``User`` of role staff, with no usable
password, so it can never log into the portal): the importers, access helpers and audit log
then treat it exactly as they treat a member of staff of that scope. Only the security
administrator creates clients and issues tokens (三员分立, ``lyushunkou.backends``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    COMPLAINTS_WRITE = "complaints:write", _("Post complaints")
    SAMPLING_WRITE = "sampling:write", _("Post sampling results")
    UNITS_READ = "units:read", _("Read units")
    COMPLAINTS_READ = "complaints:read", _("Read complaints (masked)")
    SAMPLING_READ = "sampling:read", _("Read sampling batches")
    GRADES_READ = "grades:read", _("Read grades and their evidence")
    TARGETS_READ = "targets:read", _("Read target results")


class ApiClient(models.Model):
    """A connected system (the 12315 platform, a laboratory, the credit platform)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("system account"),
        help_text=_("Writes are recorded under this account; it cannot log into the portal."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token of a client. Only a keyed digest is stored (``api.tokens``); the token
    itself is shown once, when it is issued."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("API client")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client} · {self.prefix}…"

    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotentResponse(models.Model):
    """The answer given to a write sent with an ``Idempotency-Key``: a retry gets it again."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    endpoint = models.CharField(max_length=100)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} · {self.key}"
