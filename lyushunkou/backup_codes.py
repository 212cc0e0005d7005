"""Backup codes: single-use codes that stand in for the authenticator app's code at login, for
the day the phone is lost, broken or flat (django-otp's static device).

Ten codes are generated when the authenticator app is confirmed and whenever the user asks for
a fresh set; they are returned only then, to be shown once (lyushunkou/two_factor_backup.py). A
used code is deleted. Each user has at most one static device, kept across regenerations, so a
session verified with a backup code stays verified when its user generates a new set.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou import audit
from lyushunkou.models import User
from lyushunkou.notifications import notify

BACKUP_CODE_COUNT = 10
# At or below this many unused codes, the notification of a used one suggests a fresh set.
FEW_REMAINING = 3
DEVICE_NAME = "backup codes"


def normalise(code: str) -> str:
    """A code as typed (any case, spaces or hyphens from copying it) as it is stored."""
    return "".join(code.split()).replace("-", "").lower()


def backup_device(user: User) -> StaticDevice | None:
    device: StaticDevice | None = (
        StaticDevice.objects.filter(user_id=user.pk).order_by("pk").first()
    )
    return device


def backup_codes_remaining(user: User) -> int:
    remaining: int = StaticToken.objects.filter(device__user_id=user.pk).count()
    return remaining


def backup_codes_match(user: User, codes: list[str]) -> bool:
    """Whether every one of ``codes`` is an unused backup code of ``user``."""
    wanted = {normalise(code) for code in codes}
    if not wanted or len(wanted) != len(codes):
        return False
    found = StaticToken.objects.filter(device__user_id=user.pk, token__in=wanted).count()
    return bool(found == len(wanted))


def _new_codes() -> list[str]:
    codes: dict[str, None] = {}  # ordered, without repeats
    while len(codes) < BACKUP_CODE_COUNT:
        codes[StaticToken.random_token()] = None  # 8 characters of base32: 40 random bits
    return list(codes)


@transaction.atomic
def backup_codes_issue(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Give ``user`` ten new backup codes, invalidating any they had, and return them: the only
    time the codes leave the database. Audited as generated, or as regenerated when a set
    existed before (never the codes themselves)."""
    # Two clicks at once must not leave twenty codes: one issue per user at a time.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    device = backup_device(user)
    replaced = device is not None
    if device is None:
        device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    else:
        device.token_set.all().delete()
    codes = _new_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(
        "otp.backup_codes_regenerated" if replaced else "otp.backup_codes_generated",
        request=request,
        actor=user,
        obj=device,
        count=len(codes),
    )
    return codes


def _used_message(remaining: int) -> str:
    if remaining <= FEW_REMAINING:
        message = _(
            "A backup code was used to sign in to your account; only %(remaining)d remaining: "
            "generate a new set on the backup codes page. If this was not you, change your "
            "password and tell the security administrator."
        )
    else:
        message = _(
            "A backup code was used to sign in to your account; %(remaining)d remaining. If "
            "this was not you, change your password and tell the security administrator."
        )
    return message % {"remaining": remaining}


@transaction.atomic
def backup_code_use(
    *, user: User, code: str, request: HttpRequest | None = None
) -> StaticDevice | None:
    """Consume one of ``user``'s backup codes and return the device to log in with, or None if
    ``code`` is not an unused code of theirs. Audited and notified to the user, with how many
    codes remain."""
    token = (
        StaticToken.objects.select_related("device")
        .filter(device__user_id=user.pk, device__confirmed=True, token=normalise(code))
        .first()
    )
    if token is None:
        return None
    # Claimed, not assumed: of two requests with the same code, only the one whose delete
    # removed the row signs in.
    deleted, _rows = StaticToken.objects.filter(pk=token.pk).delete()
    if deleted != 1:
        return None
    device: StaticDevice = token.device
    device.set_last_used_timestamp(commit=True)
    remaining = StaticToken.objects.filter(device=device).count()
    event = audit.record(
        "otp.backup_code_used", request=request, actor=user, obj=device, remaining=remaining
    )
    notify(
        [user],
        message=_used_message(remaining),
        link=reverse("otp-backup-codes"),
        key=f"otp.backup_code_used:{event.pk}",
    )
    return device


@receiver(post_delete, sender=TOTPDevice)
def _authenticator_deleted(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    # Resetting a user's two-factor login (the security administrator deletes the authenticator
    # device in the admin) takes the backup codes issued with it; the next set-up issues new ones.
    # The deletion of the static device is audited like any device's (lyushunkou/accounts.py).
    if not TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists():
        StaticDevice.objects.filter(user_id=instance.user_id).delete()
