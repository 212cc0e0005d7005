"""Encryption of personal data at rest, and keyed hashes to find it again.

ID numbers of complainants are stored encrypted (Fernet: AES-128-CBC + HMAC) so a database dump
does not show them, with an HMAC-SHA256 of the normalised value beside them for exact look-ups.
Both keys derive from FIELD_ENCRYPTION_KEY (README); rotating it needs a re-encryption job.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        settings.FIELD_ENCRYPTION_KEY.encode()
    )


@cache
def _fernet(key: str) -> Fernet:
    del key  # the cache key: a changed setting (tests) gets a new Fernet
    return Fernet(base64.urlsafe_b64encode(_derive(b"lyushunkou field encryption")))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The value cannot be decrypted with the configured key.") from error


def keyed_hash(value: str) -> str:
    """Stable, keyed digest of a normalised value: equal inputs match, dumps reveal nothing."""
    if not value:
        return ""
    normalised = "".join(value.split()).upper()
    return hmac.new(
        _derive(b"lyushunkou lookup hash"), normalised.encode(), hashlib.sha256
    ).hexdigest()
