"""The backup codes pages: the ten codes shown once (with a .txt download) right after they are
generated, and afterwards only how many remain and a way to generate a fresh set.

The codes are in the session only between the request that generated them and the page that
shows them, which takes them out; the download posts back the codes that page shows, so once the
user has left it nothing can show or download them again.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from lyushunkou import audit
from lyushunkou.backup_codes import (
    FEW_REMAINING,
    backup_codes_issue,
    backup_codes_match,
    backup_codes_remaining,
    backup_device,
    normalise,
)
from lyushunkou.models import User
from lyushunkou.two_factor import (
    FRESH_CODES_SESSION_KEY,
    has_confirmed_device,
    next_url,
    show_fresh_codes,
)

TEMPLATE = "registration/otp_backup_codes.html"


class RegenerateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my current backup codes will stop working."),
        error_messages={
            "required": _("Tick the box to confirm: new backup codes replace all the current ones.")
        },
    )


def _second_factor_first(request: HttpRequest) -> HttpResponse | None:
    """Backup codes belong to an authenticator app, and only a session that has passed the
    second factor may see or replace them: a password alone must not be enough."""
    user: User = request.user  # type: ignore[assignment]
    query = urlencode({"next": request.get_full_path()})
    if not has_confirmed_device(user):
        return redirect(f"{reverse('otp-setup')}?{query}")
    if not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{reverse('otp-verify')}?{query}")
    return None


def _page(
    request: HttpRequest, user: User, form: RegenerateForm, *, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "codes": None,
        "remaining": backup_codes_remaining(user),
        "few": FEW_REMAINING,
        "form": form,
        "next": resolve_url(next_url(request)),
    }
    return render(request, TEMPLATE, context, status=status)


@never_cache
@login_required
def codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if (detour := _second_factor_first(request)) is not None:
        return detour
    fresh: list[str] | None = request.session.pop(FRESH_CODES_SESSION_KEY, None)
    # Codes made before a reset of the two-factor login no longer exist: never show those.
    if not fresh or not backup_codes_match(user, fresh):
        return _page(request, user, RegenerateForm())
    context: dict[str, Any] = {"codes": fresh, "next": resolve_url(next_url(request))}
    return render(request, TEMPLATE, context)


@never_cache
@login_required
@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if (detour := _second_factor_first(request)) is not None:
        return detour
    form = RegenerateForm(request.POST)
    if not form.is_valid():
        return _page(request, user, form)
    return show_fresh_codes(request, backup_codes_issue(user=user, request=request))


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """The codes of the page that shows them, as a text file: the page posts them back, and
    they must all still be the user's unused codes."""
    user: User = request.user  # type: ignore[assignment]
    if (detour := _second_factor_first(request)) is not None:
        return detour
    codes = request.POST.getlist("code")
    if not backup_codes_match(user, codes):
        messages.error(
            request,
            gettext(
                "Backup codes can be downloaded only from the page that shows them, once. "
                "Generate a new set if you did not save them."
            ),
        )
        return redirect("otp-backup-codes")
    audit.record(
        "otp.backup_codes_downloaded", request=request, obj=backup_device(user), count=len(codes)
    )
    lines = [
        str(settings.OTP_TOTP_ISSUER),
        gettext("Two-factor login backup codes of %(username)s") % {"username": user.username},
        gettext(
            "Each code signs you in once in place of the authenticator app's code. "
            "Keep them somewhere safe."
        ),
        "",
        *(normalise(code) for code in codes),
        "",
    ]
    # CRLF and a byte-order mark: Notepad on the office's Windows PCs shows it as written.
    response = HttpResponse(
        ("\ufeff" + "\r\n".join(lines)).encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="backup-codes.txt"'
    return response
