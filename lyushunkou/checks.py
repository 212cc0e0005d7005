"""System checks. The calendar check reads the database, so it carries the database tag: it runs
with ``migrate`` and ``check --database default``, not with a plain ``check --deploy``."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register


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
