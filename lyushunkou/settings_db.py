"""The DATABASES setting, read from the environment (README "Configuration").

Kept out of ``lyushunkou.settings`` for its length only: settings calls ``databases`` once, and
every value is still parsed strictly by ``lyushunkou.env``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lyushunkou.env import env_database, env_int, env_str

REPLICA_ROUTER = "lyushunkou.db_router.ReplicaRouter"


def databases(data_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """DATABASES and DATABASE_ROUTERS: SQLite in ``data_dir``, or the PostgreSQL of DATABASE_URL."""
    sqlite_default: dict[str, Any] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "db.sqlite3",
    }
    default = env_database("DATABASE_URL", sqlite_default)
    if default is sqlite_default:
        data_dir.mkdir(parents=True, exist_ok=True)
    if default["ENGINE"].endswith("sqlite3"):
        return {"default": _sqlite(default)}, []
    return _postgresql(default)


def _sqlite(database: dict[str, Any]) -> dict[str, Any]:
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE transactions
    # take the write lock up front instead of failing with "database is locked" half-way through.
    database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    if env_str("DATABASE_REPLICA_URL") is not None:
        raise ImproperlyConfigured(
            "The environment variable DATABASE_REPLICA_URL needs DATABASE_URL to name the "
            "PostgreSQL primary: SQLite has no replicas."
        )
    return database


def _postgresql(default: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    # A new PostgreSQL connection per request costs ~40 ms here (DESIGN.md §8): each process
    # keeps a pool of them (psycopg 3's, through Django). DB_POOL_MAX=0 turns the pool off for
    # an external pooler (PgBouncer); then DB_CONN_MAX_AGE keeps one connection per thread.
    # Django refuses a pool with persistent connections, so the two never mix.
    pool_min = env_int("DB_POOL_MIN", 1, minimum=0)
    pool_max = env_int("DB_POOL_MAX", 4, minimum=0)
    conn_max_age = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    if pool_max:
        if pool_min > pool_max:
            raise ImproperlyConfigured(
                f"The environment variable DB_POOL_MIN ({pool_min}) must not exceed "
                f"DB_POOL_MAX ({pool_max})."
            )
        if env_str("DB_CONN_MAX_AGE") is not None and conn_max_age:
            raise ImproperlyConfigured(
                "The environment variable DB_CONN_MAX_AGE keeps connections without the pool: "
                "unset it, or set DB_POOL_MAX=0 to turn the pool off."
            )

    def connection(database: dict[str, Any]) -> dict[str, Any]:
        """The connection handling every PostgreSQL alias shares (options from the URL kept)."""
        options = dict(database.get("OPTIONS") or {})
        if pool_max:
            options["pool"] = {"min_size": pool_min, "max_size": pool_max}
        return {
            **database,
            "CONN_MAX_AGE": 0 if pool_max else conn_max_age,
            "CONN_HEALTH_CHECKS": True,  # with the pool: each connection is checked when lent
            "OPTIONS": options,
        }

    databases = {"default": connection(default)}
    # A streaming replica for the heavy reads: the dashboard, the big screen, lists, exports and
    # the reports' target evaluation, opted in with lyushunkou.db_router.use_replica; everything
    # else, every write and every read after a write stays on the primary (docs/operations.md).
    if env_str("DATABASE_REPLICA_URL") is None:
        return databases, []
    replica = env_database("DATABASE_REPLICA_URL", {})
    if not replica["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            "The environment variable DATABASE_REPLICA_URL must be a postgres:// URL "
            "(a streaming replica of DATABASE_URL)."
        )
    # Its own pool of the same size; in tests an alias of the test database (Django's test
    # mirror), so reads routed to it see what the test wrote.
    databases["replica"] = {**connection(replica), "TEST": {"MIRROR": "default"}}
    return databases, [REPLICA_ROUTER]
