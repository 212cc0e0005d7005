"""Role checks for views. Scope checks (which objects) live in ``access``; these decide which
pages a role reaches at all."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from lyushunkou import audit
from lyushunkou.models import User

View = Callable[..., HttpResponseBase]


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind a login: ``request.user`` is a portal ``User``."""

    user: User


def role_required(*roles: str) -> Callable[[View], View]:
    """Anonymous → login page; a logged-in user of another role → 403 and an audit event."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                audit.record(
                    "access.denied",
                    request=request,
                    outcome=audit.Outcome.DENIED,
                    path=request.path,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
