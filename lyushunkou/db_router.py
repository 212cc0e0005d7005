"""Reads that may go to the streaming replica, and only those (``DATABASE_REPLICA_URL``).

Nothing reads the replica unless it asks to: the dashboard, the big screen, the lists, the
exports (export jobs' rows too) and the reports' data run inside ``use_replica`` (a decorator or
a ``with`` block). Even there a read goes to the primary ("default") when

- it runs inside a ``transaction.atomic`` block (what a transaction reads, it may write back);
- anything was written earlier in the same scope: a write pins the rest of the scope to the
  primary, so whatever the code reads next includes what it wrote (a table written, the rows a
  join or a count draws from it, a cascade);
- the user's own previous request wrote something less than ``DATABASE_REPLICA_PIN_SECONDS``
  ago: the page a form redirects to shows the change even while the replica catches up;
- the model is a session (a login must be seen by the next request).

Writes always go to the primary. Without a replica alias (the default, and the embedded SQLite
mode) the router is not installed and ``use_replica`` changes nothing. A scope belongs to the
thread or task that opened it (a context variable): threads it starts, such as a job's heartbeat,
read and write the primary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from lyushunkou.request_context import current_request

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
# Read from the primary even inside a replica scope: a session written by the login that
# redirected here must be found by the next request.
PRIMARY_ONLY_APPS = frozenset({"sessions"})
# The session key holding the time (epoch seconds) until which the user's reads stay primary.
PIN_SESSION_KEY = "_db_primary_until"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Scope:
    pinned: bool  # a write happened (or the user wrote a moment ago): primary from now on


_scope: ContextVar[_Scope | None] = ContextVar("replica_scope", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _user_recently_wrote() -> bool:
    request = current_request()
    session = getattr(request, "session", None)
    if session is None:
        return False
    until = session.get(PIN_SESSION_KEY)
    return isinstance(until, int | float) and until > time.time()


@contextmanager
def _replica_scope() -> Iterator[None]:
    if _scope.get() is not None:  # nested: the outer scope's state (and pin) carries on
        yield
        return
    token = _scope.set(_Scope(pinned=_user_recently_wrote()))
    try:
        yield
    finally:
        _scope.reset(token)


@overload
def use_replica(function: F) -> F: ...
@overload
def use_replica(function: None = None) -> Any: ...
def use_replica(function: F | None = None) -> Any:
    """Let the reads of a view, task or block go to the replica (see the module's rules).

    ``@use_replica`` or ``@use_replica()`` on a function, ``with use_replica():`` around a block.
    Each call opens its own scope, so one decorated view serves concurrent requests safely."""
    if function is None:
        return _replica_scope()
    return _replica_scope()(function)


def reading_replica() -> bool:
    """Whether a read made now, outside any atomic block, would go to the replica."""
    scope = _scope.get()
    return scope is not None and not scope.pinned and replica_configured()


def _pin_user() -> None:
    """Keep the current user's next requests on the primary for a few seconds (a session key;
    the session is saved at the end of every request anyway)."""
    seconds = getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 0)
    request = current_request()
    if not seconds or request is None or getattr(request, "_db_pinned_user", False):
        return
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return  # no session of a user's to keep (an API client's token request): none made
    request._db_pinned_user = True  # type: ignore[attr-defined]  # once per request
    session[PIN_SESSION_KEY] = time.time() + seconds


class ReplicaRouter:
    """Installed by settings only when ``DATABASE_REPLICA_URL`` is set."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if (
            scope is None
            or scope.pinned
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or not replica_configured()
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Also asked for reads that lock or may create (select_for_update, get_or_create):
        # pinning on them too only keeps more reads on the primary.
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            # A session written while logging in is the login's own business; pinning there
            # would also write into the session while it is being cycled.
            scope = _scope.get()
            if scope is not None:
                scope.pinned = True
            _pin_user()
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from either may point at one
        # read from the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only and follows the primary's schema through replication.
        return False if db == REPLICA else None
