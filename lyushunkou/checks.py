"""System checks. The calendar check reads the database, so it carries the database tag: it runs
with ``migrate`` and ``check --database default``, not with a plain ``check --deploy``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.checks import CheckMessage, Info, Tags, Warning, register


@register(Tags.database)
def calendar_data_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if not databases:
        return []
    from django.db.utils import DatabaseError

    from lyushunkou.workdays import calendar_warnings

    try:
        messages = calendar_warnings()
    except DatabaseError:  # tables not migrated yet
        return []
    return [Warning(message, id="lyushunkou.W001") for message in messages]


@register(Tags.security, deploy=True)
def field_encryption_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.conf import settings

    if settings.FIELD_ENCRYPTION_KEY_SET:
        return []
    return [
        Info(
            "FIELD_ENCRYPTION_KEY is not set: personal data is encrypted with a key derived from "
            "SECRET_KEY, so SECRET_KEY cannot be rotated without re-encrypting it.",
            hint="Set FIELD_ENCRYPTION_KEY to 32+ random characters before storing real data.",
            id="lyushunkou.I001",
        )
    ]


# The hosts of a development machine: links in e-mails to any of them lead nowhere for the reader.
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def portal_base_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.conf import settings

    host = urlsplit(settings.PORTAL_BASE_URL).hostname or ""
    if host not in _LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL}, the development default: the links "
            "in notification e-mails would point at the reader's own machine.",
            hint="Set PORTAL_BASE_URL (or PUBLIC_BASE_URL) to the portal's public address, e.g. "
            "https://fxxf.lvshun.gov.cn.",
            id="lyushunkou.W002",
        )
    ]
