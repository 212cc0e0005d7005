"""Statistics for PostgreSQL's planner after bulk loads.

Autovacuum analyses a table only once enough of it has changed, and not during the transaction
that loaded it: right after ``seed_demo --scale city`` the planner believed there were 102,000
units instead of a million and chose plans for a table ten times smaller (issue 17). So every
bulk load ends by analysing what it loaded:

- ``analyze(*models)`` when the caller knows the tables (``score_units``: its scores and grade
  summary, wherever the work ran);
- ``analyzing_written_tables()`` around code that writes tables it does not name (the import
  commands and the background import job run an importer chosen by kind; ``seed_demo`` runs the
  apps' seeders): every table the block wrote ``MIN_ROWS`` rows or more of on this connection
  is analysed when the block ends.

Both do nothing off PostgreSQL (SQLite's planner needs no such statistics here).
``ANALYZE`` reads a sample of at most 30,000 rows a table (``default_statistics_target`` 100),
so its cost is bounded however big the table; its lock blocks neither reads nor writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

# A table the block wrote fewer rows of is left to autovacuum: so few rows barely move its
# statistics, and analysing a big table written once in passing (the audit log) costs reads for
# nothing.
MIN_ROWS = 1000
# The table a Django-written INSERT, UPDATE or DELETE changes: its first quoted identifier.
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)


# The row counts of the analyzing_written_tables blocks open on each connection (connections
# are per thread), for note_written.
_open_blocks: WeakKeyDictionary[BaseDatabaseWrapper, list[dict[str, int]]] = WeakKeyDictionary()


def note_written(table: str, rows: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Count ``rows`` written to ``table`` in a way the SQL does not show (``COPY``) for the
    ``analyzing_written_tables`` blocks open on this connection; nothing outside one."""
    for written in _open_blocks.get(connections[using], []):
        written[table] = written.get(table, 0) + rows


def _on_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def _analyze_tables(tables: Iterable[str], using: str) -> list[str]:
    connection = connections[using]
    names = list(dict.fromkeys(tables))  # each once, in the order first seen
    if names:
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quoted}")
    return names


def analyze(*models: type[Model], using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``ANALYZE`` the models' tables on PostgreSQL, in one statement; returns the tables
    analysed (none elsewhere). Proxy models count as their concrete model's table."""
    if not _on_postgresql(using):
        return []
    tables = ((model._meta.concrete_model or model)._meta.db_table for model in models)
    return _analyze_tables(tables, using)


@contextmanager
def analyzing_written_tables(
    using: str = DEFAULT_DB_ALIAS, *, min_rows: int | None = None
) -> Iterator[list[str]]:
    """Run the block, then ``ANALYZE`` every table it inserted, updated or deleted at least
    ``min_rows`` (default ``MIN_ROWS``) rows of through this connection, as seen in the SQL it
    ran; yields the list the analysed tables are put in. Nothing is analysed when the block
    raises. A ``COPY`` is not seen in the SQL: code loading that way counts its rows with
    ``note_written``. Also a decorator; each call of the decorated function watches its own
    block."""
    analysed: list[str] = []
    if not _on_postgresql(using):
        yield analysed
        return
    written: dict[str, int] = {}

    def note(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        if match:
            rows = max(context["cursor"].rowcount, 0)
            written[match.group(1)] = written.get(match.group(1), 0) + rows
        return result

    connection = connections[using]
    blocks = _open_blocks.setdefault(connection, [])
    blocks.append(written)
    try:
        with connection.execute_wrapper(note):
            yield analysed
    finally:
        blocks[:] = [block for block in blocks if block is not written]
    threshold = MIN_ROWS if min_rows is None else min_rows
    loaded = [table for table, rows in written.items() if rows >= threshold]
    if loaded and not connection.needs_rollback:
        analysed.extend(_analyze_tables(loaded, using))
