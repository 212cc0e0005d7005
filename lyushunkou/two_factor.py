"""Two-factor login with a TOTP authenticator app (django-otp).

Set-up shows the secret and its QR code and asks for one code to confirm the device, then issues
ten backup codes and shows them once (lyushunkou/two_factor_backup.py); after each password login
the code page asks for a current code, or one of the backup codes instead.
TwoFactorRequiredMiddleware decides who must pass through here (TWO_FACTOR_REQUIRED); an operator
may opt in by setting up a device. The security administrator resets a user's two-factor login by
deleting the device in the admin, which removes the backup codes too (lyushunkou/backup_codes.py).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from lyushunkou import audit
from lyushunkou.backup_codes import backup_code_use, backup_codes_issue
from lyushunkou.models import Role, User
from lyushunkou.ratelimit import allow

# Roles that must use two-factor login when TWO_FACTOR_REQUIRED is on; operators may opt in.
REQUIRED_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Wrong codes allowed per user in the window before the code pages refuse to check any more.
FAILURE_LIMIT = 5
FAILURE_WINDOW_SECONDS = 15 * 60
DEVICE_NAME = "authenticator"
# New backup codes wait here between the request that made them and the page that shows them
# once (and removes them from the session).
FRESH_CODES_SESSION_KEY = "otp_fresh_backup_codes"
WRONG_TOKEN = _("That code is not correct. Check the time on your phone.")


def role_requires_two_factor(user: Any) -> bool:
    return getattr(user, "role", None) in REQUIRED_ROLES


def has_confirmed_device(user: Any) -> bool:
    exists: bool = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    return exists


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        min_length=6,
        max_length=6,
        help_text=_("The 6-digit code shown by your authenticator app."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the 6 digits shown by your authenticator app."))
        return token


class BackupCodeForm(forms.Form):
    backup_code = forms.CharField(
        label=_("Backup code"),
        max_length=32,
        help_text=_("One of the backup codes you saved when you set up two-factor login."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


def _failure_key(user: User) -> str:
    return f"otp_failures:user:{user.pk}"


def _locked(user: User) -> bool:
    return int(cache.get(f"ratelimit:{_failure_key(user)}") or 0) >= FAILURE_LIMIT


def _count_failure(user: User) -> None:
    allow(_failure_key(user), limit=FAILURE_LIMIT, window_seconds=FAILURE_WINDOW_SECONDS)


def _failed(
    request: HttpRequest, user: User, form: forms.Form, field: str, step: str, message: str
) -> None:
    """A wrong authenticator or backup code: counted towards the lockout, audited, shown."""
    _count_failure(user)
    audit.record(
        "auth.2fa_failed", request=request, actor=user, outcome=audit.Outcome.FAILURE, step=step
    )
    form.add_error(field, message)


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def _refused(
    request: HttpRequest, user: User, template: str, context: dict[str, Any], form: forms.Form
) -> HttpResponse:
    audit.record(
        "auth.2fa_failed", request=request, actor=user, outcome=audit.Outcome.DENIED, locked=True
    )
    form.is_valid()  # the errors must exist before one can be added
    form.add_error(None, _("Too many wrong codes. Wait 15 minutes, then try again."))
    return render(request, template, context, status=429)


def show_fresh_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Send the user to the page that shows ``codes`` once, then on to where they were going."""
    request.session[FRESH_CODES_SESSION_KEY] = codes
    query = urlencode({"next": resolve_url(next_url(request))})
    return redirect(f"{reverse('otp-backup-codes')}?{query}")


def _qr_data_uri(url: str) -> str:
    uri: str = segno.make(url, error="m").svg_data_uri(scale=5, border=2)
    return uri


@never_cache
@sensitive_post_parameters("token")
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if has_confirmed_device(user):
        # Already set up: a second device needs the first one's code (or a reset by the
        # security administrator), so never offer a new secret here.
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(f"{reverse('otp-verify')}?{request.GET.urlencode()}")
        # The menu's "two-factor login" entry: what there is to manage is the backup codes.
        return redirect(next_url(request) if "next" in request.GET else "otp-backup-codes")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    template = "registration/otp_setup.html"
    form = TokenForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "next": next_url(request),
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "qr_code": _qr_data_uri(device.config_url),
        "required": role_requires_two_factor(user),
    }
    if request.method == "POST":
        if _locked(user):
            return _refused(request, user, template, context, form)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            audit.record("auth.2fa_enabled", request=request, actor=user, obj=device)
            return show_fresh_codes(request, backup_codes_issue(user=user, request=request))
        if form.is_valid():
            _failed(request, user, form, "token", "setup", str(WRONG_TOKEN))
    return render(request, template, context)


def _match_authenticator(user: User, token: str) -> TOTPDevice | None:
    # Only the authenticator app here: a backup code has its own field, service and audit event.
    for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk"):
        if device.verify_token(token):
            return device
    return None


@never_cache
@sensitive_post_parameters("token", "backup_code")
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url(request))
    if not has_confirmed_device(user):
        return redirect(f"{reverse('otp-setup')}?{request.GET.urlencode()}")
    template = "registration/otp_verify.html"
    posted = request.POST if request.method == "POST" else None
    with_backup_code = posted is not None and "backup_code" in posted
    form = TokenForm(None if with_backup_code else posted)
    backup_form = BackupCodeForm(posted if with_backup_code else None)
    context: dict[str, Any] = {
        "form": form,
        "backup_form": backup_form,
        "backup_open": with_backup_code,
        "next": next_url(request),
    }
    if posted is None:
        return render(request, template, context)
    used_form: forms.Form = backup_form if with_backup_code else form
    if _locked(user):
        return _refused(request, user, template, context, used_form)
    if not used_form.is_valid():
        return render(request, template, context)
    device: Any
    if with_backup_code:
        device = backup_code_use(
            user=user, code=backup_form.cleaned_data["backup_code"], request=request
        )
    else:
        device = _match_authenticator(user, form.cleaned_data["token"])
        if device is not None:
            audit.record("auth.2fa_verified", request=request, actor=user, obj=device)
    if device is not None:
        django_otp.login(request, device)
        return redirect(next_url(request))
    if with_backup_code:
        message = _("This backup code is not correct or has already been used.")
        _failed(request, user, backup_form, "backup_code", "backup_code", str(message))
    else:
        _failed(request, user, form, "token", "verify", str(WRONG_TOKEN))
    return render(request, template, context)
