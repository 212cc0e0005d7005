"""Fixed-window rate limits on the shared cache (Redis in production, so all workers agree)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from lyushunkou import audit
from lyushunkou.audit import client_ip

View = Callable[..., HttpResponseBase]

# Exports carry personal data even masked; a person rarely needs more than this in an hour.
EXPORTS_PER_HOUR = 30


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` fall in the window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


def rate_limited(
    scope: str,
    *,
    limit: int,
    window_seconds: int,
    per: str = "ip",
    methods: tuple[str, ...] = ("GET", "POST"),
) -> Callable[[View], View]:
    """Refuse a view with 429 once ``limit`` requests of ``methods`` fall in the window, counted
    per client address (``per="ip"``) or per logged-in user (``per="user"``); audited."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                who = (
                    f"user:{request.user.pk}"
                    if per == "user" and request.user.is_authenticated
                    else f"ip:{client_ip(request)}"
                )
                if not allow(f"{scope}:{who}", limit=limit, window_seconds=window_seconds):
                    audit.record(
                        "ratelimit.exceeded",
                        request=request,
                        outcome=audit.Outcome.DENIED,
                        scope=scope,
                    )
                    return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
