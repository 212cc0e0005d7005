"""The staff lists that can be exported, as their apps declare them (the view body of every list
export is ``lyushunkou.export_jobs.export_list``).

An app declares its lists in ``<app>/exports.py`` as ``LIST_EXPORTS``: a ``ListExport`` per list,
whose ``source(request)`` is the list's own filter run for the request's user and query string
(the same access-checked queryset the list page shows) with the file's headers and rows. This
module finds them the first time a kind is asked for, as the admin finds each app's ``admin.py``:
the core never names a higher app (STYLE.md habit 16). A background export job stores only the
list's ``kind``, the query string and the user, and calls the same ``source`` again, so its file
holds exactly the rows of the page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.module_loading import module_has_submodule

from lyushunkou.models import User
from lyushunkou.roles import AuthenticatedRequest

MODULE = "exports"
# Records read per database round trip (a server-side cursor on PostgreSQL): memory stays flat.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportSource:
    """One request's export of a list: its rows (counted first to choose between writing the file
    in the request and a background job), how each record becomes a row of cells (personal data
    masked, words in the interface language), the headers, the filters in force (for the audit
    event) and the file's name."""

    queryset: QuerySet[Any]
    row: Callable[[Any], Sequence[str]]
    headers: Sequence[str]
    filters: dict[str, str]
    stem: str
    ascii_stem: str
    sheet: str = ""

    def rows(self) -> Iterable[Sequence[str]]:
        return map(self.row, self.queryset.iterator(chunk_size=CHUNK_SIZE))


@dataclass(frozen=True)
class ListExport:
    """A list that can be exported: ``kind`` names it on its export jobs (unique), ``action`` is
    the audit action of an export, ``readers`` the roles its export view admits (a job whose
    requester no longer has one of them fails), ``source`` builds the export of a request."""

    kind: str
    action: str
    readers: frozenset[str]
    source: Callable[[AuthenticatedRequest], ExportSource]


_found: dict[str, ListExport] | None = None
_lock = threading.Lock()


def list_exports() -> dict[str, ListExport]:
    """Every app's ``LIST_EXPORTS`` by kind, found once."""
    global _found
    with _lock:
        if _found is None:
            found: dict[str, ListExport] = {}
            for config in apps.get_app_configs():
                if not module_has_submodule(config.module, MODULE):
                    continue
                module = import_module(f"{config.name}.{MODULE}")
                for export in getattr(module, "LIST_EXPORTS", ()):
                    if export.kind in found:
                        raise ValueError(f"Two list exports are called {export.kind!r}.")
                    found[export.kind] = export
            _found = found
        return _found


def replay_request(*, user: User, query: str, language: str) -> AuthenticatedRequest:
    """A request as the list's export view received it, for a background job: the user (their
    access now) and the query string. Nothing else of a request is read by a list's filter."""
    request = AuthenticatedRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    request.LANGUAGE_CODE = language
    return request


def query_of(request: HttpRequest, filters: dict[str, str]) -> str:
    """The query string a job replays: the request's, without the page number, plus any filter
    the list applied by default (the period a grades list shows when none was asked for), so
    that the job lists what the page listed even if the default has moved on meanwhile."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in filters.items():
        if name not in query:
            query[name] = value
    return query.urlencode()
