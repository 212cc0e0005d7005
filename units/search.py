"""Chinese name search that an index can answer (issue 17 item 1).

Chinese has no spaces between words, so a word index does not help, and a trigram index cannot
serve the two-character terms people type most (海鲜, 酒店). Every unit keeps ``name_bigrams``:
the distinct overlapping pairs of characters of its name, lower-cased, without spaces
("旅顺口区示例海鲜馆" → "旅顺 顺口 口区 区示 示例 例海 海鲜 鲜馆"). On PostgreSQL a GIN index on
``string_to_array(name_bigrams, ' ')`` finds the units whose name holds every pair of the query
(``@>``, array containment); ``icontains`` then confirms the pairs stand together and in order,
on the few rows the index found. A one-character query has no pair and falls back to
``icontains`` alone, as does SQLite (the development database), where no such index exists.

A two-character query (海鲜, 酒店) is one pair, and holding that pair is the whole test: no
``icontains`` is added on PostgreSQL. That is the same answer but for a name with a space between
the two characters, which the pair finds (names are compared without spaces). It matters to the
plan: PostgreSQL cannot estimate ``UPPER(name) LIKE '%海鲜%'`` and takes it for very selective,
so with it a common pair (one unit in 26 in a seaside district) looked like a hundred rows, and the
grade list sorted every score of the tens of thousands of matching units instead of walking its
order's index until a page was full (issue 17 item 1). The pair alone is estimated from the GIN
index's statistics, which are close.

``name_bigrams`` is written by ``Unit.save``, by ``unit_update_profile`` and, for the bulk paths
that skip ``save`` (the demo seeders, benchmarks), by ``fill_name_bigrams`` before
``bulk_create``: the same ``name_bigrams`` function in every case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet


class _Named(Protocol):
    name: str
    name_bigrams: str


def _compact(text: str) -> str:
    return "".join(text.lower().split())


def bigrams(text: str) -> list[str]:
    """The distinct pairs of adjacent characters of ``text`` (spaces removed), in order."""
    compact = _compact(text)
    return list(dict.fromkeys(compact[i : i + 2] for i in range(len(compact) - 1)))


def name_bigrams(name: str) -> str:
    """What ``Unit.name_bigrams`` stores for ``name``: its bigrams joined by spaces."""
    return " ".join(bigrams(name))


def fill_name_bigrams(units: Iterable[_Named]) -> None:
    """Set ``name_bigrams`` on units about to be written with ``bulk_create``."""
    for unit in units:
        unit.name_bigrams = name_bigrams(unit.name)


def name_matches(queryset: QuerySet[Any], text: str, *, prefix: str = "") -> Q:
    """The condition "the name contains ``text``" for units reached through ``prefix``
    (``"unit__"`` from a unit's scores), indexed on PostgreSQL for two characters or more."""
    contains = Q(**{f"{prefix}name__icontains": text})
    pairs = bigrams(text)
    if not pairs or connections[queryset.db].vendor != "postgresql":
        return contains
    has_pairs = Q(_HasAllPairs(F(f"{prefix}name_bigrams"), pairs=pairs))
    if len(text) == 2:  # one pair, nothing around it: the pair is the answer
        return has_pairs
    return has_pairs & contains


class _HasAllPairs(Func):
    """``string_to_array(name_bigrams, ' ') @> ARRAY[pairs]``, written exactly as the GIN index
    of migration units 0007 is, so that PostgreSQL uses it."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: F, *, pairs: list[str]) -> None:
        super().__init__(column)
        self.pairs = pairs

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        column_sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"string_to_array({column_sql}, ' ') @> %s::text[]", (*params, self.pairs)
