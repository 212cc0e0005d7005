"""Bearer tokens: generated at random, stored as a keyed digest (HMAC-SHA256 under the
project's SECRET_KEY with a salt of its own), so a copy of the database gives no usable token.
Rotating SECRET_KEY therefore invalidates every token (README "HTTP API")."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

PREFIX_BYTES = 6
SECRET_BYTES = 32
_SALT = "api.tokens"


def new_token() -> tuple[str, str]:
    """A fresh token and its public prefix (shown in the admin to tell tokens apart)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return f"lsk_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def digest(token: str) -> str:
    return salted_hmac(_SALT, token, algorithm="sha256").hexdigest()
