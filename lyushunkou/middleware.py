"""The portal speaks Simplified Chinese unless the user picked English with the switcher."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from lyushunkou import audit


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Government PCs often run an English-language browser; the portal's default must not depend
    on that. The choice made with the footer's switcher (the language cookie) is the only input.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


SESSION_STARTED_KEY = "portal_session_started"


class SessionLifetimeMiddleware:
    """Ends a session SESSION_MAX_AGE_SECONDS after login, however active it has been.

    The idle timeout is the session cookie's own age, renewed on each request; this adds the
    absolute limit that a sliding cookie cannot give.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_MAX_AGE_SECONDS:
                audit.record("auth.session_expired", request=request, actor=user)
                logout(request)
                return redirect_to_login(request.get_full_path())
        response: HttpResponseBase = self.get_response(request)
        return response


class PasswordChangeRequiredMiddleware:
    """A user an administrator flagged must set a new password before doing anything else."""

    # The second factor comes first when it is required (TwoFactorRequiredMiddleware).
    ALLOWED_NAMES = frozenset(
        {
            "password_change",
            "password_change_done",
            "logout",
            "set_language",
            "otp-setup",
            "otp-verify",
        }
    )

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            match = request.resolver_match or _resolve(request.path_info)
            if match is None or match.url_name not in self.ALLOWED_NAMES:
                return redirect_to_login(
                    request.get_full_path(), login_url="/accounts/password_change/"
                )
        response: HttpResponseBase = self.get_response(request)
        return response


class TwoFactorRequiredMiddleware:
    """With TWO_FACTOR_REQUIRED on, a logged-in user who must use two-factor login (staff,
    leaders, administrators, or an operator who set up a device) sees nothing but the set-up or
    code page and logout until a TOTP code has been entered in this session. Not even the
    password change: a stolen password alone must not be enough to change it."""

    ALLOWED_NAMES = frozenset({"otp-setup", "otp-verify", "logout", "set_language", "healthz"})

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            getattr(settings, "TWO_FACTOR_REQUIRED", False)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            from lyushunkou.two_factor import has_confirmed_device, role_requires_two_factor

            has_device = has_confirmed_device(user)
            if has_device or role_requires_two_factor(user):
                match = request.resolver_match or _resolve(request.path_info)
                allowed = request.path_info.startswith(settings.STATIC_URL) or (
                    match is not None and match.url_name in self.ALLOWED_NAMES
                )
                if not allowed:
                    from django.urls import reverse

                    target = reverse("otp-verify" if has_device else "otp-setup")
                    return redirect_to_login(request.get_full_path(), login_url=target)
        response: HttpResponseBase = self.get_response(request)
        return response


def _resolve(path: str) -> Any:
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
