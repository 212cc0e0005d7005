"""The staff lists that can be exported, as their apps register them (the view body of every list
export is ``lyushunkou.export_jobs.export_list``).

An app registers its lists from its ``AppConfig.ready()`` with ``register_list_exports``: a
``ListExport`` per list, whose ``source(request)`` is the list's own filter run for the request's
user and query string (the same access-checked queryset the list page shows) with the file's
headers and rows. The core never names a higher app (STYLE.md habit 16). A background export job
stores only the list's ``kind``, the query string and the user, and calls the same ``source``
again, so its file holds exactly the rows of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from lyushunkou.models import User
from lyushunkou.roles import AuthenticatedRequest

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

    def rows(self) -> Iterator[Sequence[str]]:
        records = self.queryset.iterator(chunk_size=CHUNK_SIZE)
        try:
            for record in records:
                yield self.row(record)
        finally:
            # At once, not when the garbage collector finds it: a row that fails (or a writer
            # that stops) leaves the server-side cursor open, and by then its transaction is over.
            records.close()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ListExport:
    """A list that can be exported: ``kind`` names it on its export jobs (unique), ``action`` is
    the audit action of an export, ``readers`` the roles its export view admits (a job whose
    requester no longer has one of them fails), ``source`` builds the export of a request."""

    kind: str
    action: str
    readers: frozenset[str]
    source: Callable[[AuthenticatedRequest], ExportSource]


_registry: dict[str, ListExport] = {}


def register_list_exports(*exports: ListExport) -> None:
    """Declare lists an export job may write, each under its ``kind`` (unique: registering another
    list under a kind taken is an error; the same one again, as a test's reload does, is not)."""
    for export in exports:
        known = _registry.get(export.kind)
        if known is not None and known is not export:
            raise ImproperlyConfigured(f"Two list exports are called {export.kind!r}.")
        _registry[export.kind] = export


def list_exports() -> dict[str, ListExport]:
    """Every registered list export, by kind."""
    return dict(_registry)


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
