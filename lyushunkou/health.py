"""Checks behind /healthz: the database answers a query and the broker accepts a connection."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from lyushunkou.celery import app as celery_app


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # any failure is the answer a probe needs, not a crash
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    result.update(detail or {})
    return result


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _broker() -> dict[str, Any]:
    if not settings.REDIS_URL:
        # The embedded file-system broker "connects" without touching anything: check its folder.
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        if not os.access(folder, os.W_OK):
            raise OSError(f"broker folder {folder} is not writable")
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        transport = conn.transport_cls
    return {"transport": str(transport), "embedded": not settings.REDIS_URL}


def health() -> dict[str, Any]:
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "error", **checks}
