"""Who is calling: bearer tokens (401 when unknown, expired or revoked), their scopes (403
outside them) and a rate limit per token. Errors are JSON with a machine ``code`` and a
Chinese ``message`` (``api.errors``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from api import tokens
from api.models import ApiToken
from api.services import api_token_touch
from lyushunkou import audit
from lyushunkou.models import User

if TYPE_CHECKING:
    from rest_framework.views import APIView


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``. No header: anonymous (open data only)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _space, text = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not text.strip():
            raise exceptions.AuthenticationFailed(
                _("Authorization: send “Bearer” and the token."), code="token_malformed"
            )
        token = (
            ApiToken.objects.select_related("client__account")
            .filter(digest=tokens.digest(text.strip()))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token: unknown."), code="token_unknown")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Token: revoked."), code="token_revoked")
        if not token.is_live():
            raise exceptions.AuthenticationFailed(_("Token: expired."), code="token_expired")
        account = token.client.account
        if not account.is_active:
            raise exceptions.AuthenticationFailed(
                _("Token: its system account is disabled."), code="account_disabled"
            )
        api_token_touch(token=token)
        return account, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # makes DRF answer 401, not 403, to a missing or bad token


def scope_of(view: APIView, method: str) -> str | None:
    scopes: dict[str, str] = getattr(view, "scopes", {})
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return scopes.get(method)


class HasScope(BasePermission):
    """The token must carry the scope the view names for the method (``view.scopes``)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = scope_of(view, request.method or "GET")
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Token: this endpoint needs a token (Authorization: Bearer …)."),
                code="not_authenticated",
            )
        if needed is None or needed not in token.scopes:
            audit.record(
                "api.permission_denied",
                request=request._request,
                actor=token.client.account,
                outcome=audit.Outcome.DENIED,
                path=request.path,
                method=request.method,
                scope=needed or "",
            )
            raise exceptions.PermissionDenied(
                _("Token: outside its scope (needs %(scope)s).") % {"scope": needed or "-"},
                code="out_of_scope",
            )
        return True


class TokenRateThrottle(SimpleRateThrottle):
    """Per token, not per address: systems behind one gateway do not share a budget."""

    scope = "api_token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class OpenDataRateThrottle(AnonRateThrottle):
    scope = "api_open"
