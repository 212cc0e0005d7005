"""A filtered staff list declared once (``FilteredList``), so that the list page and its export
are built from the same declaration: the same access-checked filter run for the request, and the
same filters in force on the page's links and in the export's audit event.

The apps declare their lists with their filters (``units.filters.FILTERED_UNITS`` …); the list
view renders ``page_context`` and the list's ``ListExport`` (``<app>/exports.py``) builds its
``ExportSource`` with ``export_source``, for the request in hand or one a background export job
replays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode

from lyushunkou.keyset import keyset_page
from lyushunkou.list_exports import ExportSource
from lyushunkou.models import User
from lyushunkou.roles import AuthenticatedRequest


class ListFilter(Protocol):
    """A list's filter bound to a request (a django-filter ``FilterSet``)."""

    @property
    def qs(self) -> QuerySet[Any]: ...


F = TypeVar("F", bound=ListFilter)


@dataclass(frozen=True)
class FilteredList(Generic[F]):
    """A staff list: ``filtered(request, user)`` binds the list's filter, over the records the user
    may read, to the request's query string; ``active_filters(bound)`` are the filters in force,
    each as one string (including any the list applies by default, such as the period shown)."""

    filtered: Callable[[HttpRequest, User], F]
    active_filters: Callable[[F], dict[str, str]]

    def bind(self, request: AuthenticatedRequest) -> tuple[F, dict[str, str]]:
        """The list's filter for this request and its user, and the filters in force."""
        bound = self.filtered(request, request.user)
        return bound, self.active_filters(bound)

    def page_context(self, request: AuthenticatedRequest, page_size: int) -> dict[str, Any]:
        """The list page's context: the bound ``filter``, the keyset ``page`` the request asks
        for, the ``filters`` in force and, for the export links, ``export_query``."""
        bound, filters = self.bind(request)
        return {
            "filter": bound,
            "page": keyset_page(request, bound.qs, page_size),
            "filters": filters,
            "export_query": urlencode(filters),
        }

    def export_source(
        self,
        request: AuthenticatedRequest,
        *,
        row: Callable[[Any], Sequence[str]],
        headers: Sequence[str],
        stem: str,
        ascii_stem: str,
        prefetch: Sequence[str] = (),
        named_after: str = "",
    ) -> ExportSource:
        """The list's export for this request: every row the list holds (``prefetch`` what
        ``row`` reads of related records), in a file named ``<stem>_<YYYYMMDD>``. With
        ``named_after``, the value of that filter follows the stem in the file's name (the
        period a grades list shows), and the sheet is named by the stem alone."""
        bound, filters = self.bind(request)
        queryset = bound.qs.prefetch_related(*prefetch) if prefetch else bound.qs
        suffix = f"_{filters.get(named_after, '')}" if named_after else ""
        return ExportSource(
            queryset=queryset,
            row=row,
            headers=headers,
            filters=filters,
            stem=stem + suffix,
            ascii_stem=ascii_stem + suffix,
            sheet=stem if named_after else "",
        )
