"""Notices (通知公告) the market-supervision bureau publishes on the public home page.

The body is Markdown, rendered with raw HTML disabled (``lyushunkou.markdown``); attachments pass
the same upload check as evidence and are served through a view, never from a public folder.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("body"), max_length=20000, help_text=_("Markdown; HTML is shown as text.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["draft", "published"]), name="notice_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.state == self.State.PUBLISHED


def notice_attachment_path(instance: NoticeAttachment, filename: str) -> str:
    # The stored name is random: the original name is kept in a field, never trusted as a path.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"notices/{instance.notice_id}/{secrets.token_hex(12)}.{extension}"


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=notice_attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
