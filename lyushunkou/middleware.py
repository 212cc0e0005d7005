"""The portal speaks Simplified Chinese unless the user picked English with the switcher."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from lyushunkou import audit
from lyushunkou.sanitise import PATH_CONTROL_CHARACTERS, has_controls, strip_controls

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict


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


class ControlCharactersMiddleware:
    """Control characters never reach a view (the rule is in ``lyushunkou.sanitise``).

    Stripped from the query string's names and values, the form fields and uploaded file names
    of a POST (every form, filter and upload of every app, the admin's and the login's too, with
    no form having to remember), the cookies (the session key is looked up in the database) and
    the request headers (django-axes stores the User-Agent of a failed login). A path holding
    one is refused with a 400: no link of the site has one, and stripping it would serve another
    page than the one asked for.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if PATH_CONTROL_CHARACTERS.search(request.path_info):
            raise BadRequest("A control character in the URL path.")
        request.GET = _without_controls(request.GET)
        request.COOKIES = {
            strip_controls(name): strip_controls(value) for name, value in request.COOKIES.items()
        }
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and has_controls(value):
                request.META[key] = strip_controls(value)
        if request.method == "POST":
            # Parsing here rather than in the view changes nothing: CsrfViewMiddleware reads
            # request.POST before every view anyway, and a malformed body is still a 400.
            request.POST = _without_controls(request.POST)
            for _field, uploads in request.FILES.lists():
                for upload in uploads:
                    if upload.name and has_controls(upload.name):
                        upload.name = strip_controls(upload.name)
        response: HttpResponseBase = self.get_response(request)
        return response


def _without_controls(data: _ImmutableQueryDict) -> _ImmutableQueryDict:
    """``data`` itself when it holds no control character, else a cleaned immutable copy."""
    if not any(
        has_controls(key) or any(has_controls(value) for value in values)
        for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlistdefault(strip_controls(key)).extend(strip_controls(v) for v in values)
    cleaned._mutable = False
    return cast("_ImmutableQueryDict", cleaned)


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
            "otp-backup-codes",
            "otp-backup-download",
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
