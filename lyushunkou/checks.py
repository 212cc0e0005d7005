"""System checks. The calendar check reads the database, so it carries the database tag: it runs
with ``migrate`` and ``check --database default``, not with a plain ``check --deploy``."""

from __future__ import annotations

from typing import Any

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
