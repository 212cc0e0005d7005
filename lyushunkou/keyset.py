"""Keyset pagination for the big staff lists (issue 17 item 1; DESIGN.md §8).

A page is "the rows after this row in the list's order" (``?after=<cursor>``) or "the rows before
it" (``?before=<cursor>``), never ``OFFSET``: a deep page costs what the first page costs, and an
index on the list's default order answers it. The cursor is the last (or first) row's sort key,
signed with the secret key, so it is opaque and cannot be forged into another query; a cursor
that does not verify, or was made for another order (the complaint list's ``?sort=``), gives the
first page instead of an error.

The order is the queryset's own ``order_by`` (plain fields, relations through ``__``, and
``F(...).asc(nulls_last=True)``-style expressions); the primary key is appended when the order
does not end with it, so that rows with equal timestamps keep a stable order across pages.

The total is exact up to ``EXACT_COUNT_LIMIT`` rows (a capped count) and on databases other than
PostgreSQL. Above it, on PostgreSQL, an unfiltered list shows the table's own estimate as "about
N" (``pg_class.reltuples``), and a filtered one shows "more than EXACT_COUNT_LIMIT": the planner's
estimate of a filter is unreliable (a bigram containment, units.search, is guessed from generic
selectivities), and counting on past the cap reads a heap block for nearly every row (a common
search term matches tens of thousands of units at city scale). Short lists (notices, appeals) keep
Django's page numbers; templates/includes/pagination.html draws both.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import BooleanField, F, Field, Func, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

EXACT_COUNT_LIMIT = 1_000  # rows; the capped count reads about one heap block a row
CURSOR_PARAMS = ("after", "before", "page")  # "page": links made for the page numbers before
_SALT = "lyushunkou.keyset"
_MAX_CURSOR = 2000  # characters; a longer value is not ours


@dataclass(frozen=True)
class OrderKey:
    """One column of a list's order: the field path, its direction, where NULLs sort, whether the
    order names that place (``explicit``; otherwise the database's default) and whether the
    column can be NULL at all."""

    path: str
    descending: bool
    nulls_last: bool
    explicit: bool = False
    nullable: bool = False

    def reversed(self) -> OrderKey:
        return replace(self, descending=not self.descending, nulls_last=not self.nulls_last)

    def expression(self) -> OrderBy:
        # NULLS FIRST/LAST only where the list asked for it: PostgreSQL matches a plain
        # "ORDER BY x DESC" to the index on x, not "x DESC NULLS LAST".
        nulls: dict[str, bool] = {}
        if self.explicit:
            nulls = {"nulls_last": True} if self.nulls_last else {"nulls_first": True}
        return F(self.path).desc(**nulls) if self.descending else F(self.path).asc(**nulls)

    def after(self, value: Any, *, inclusive: bool = False) -> Q:
        """Rows after ``value`` in this key's order (or equal to it, ``inclusive``)."""
        if value is None:
            if inclusive:
                return Q() if not self.nulls_last else Q(**{f"{self.path}__isnull": True})
            # Nothing sorts after NULL when NULLs come last; every value does when they come first.
            return Q(pk__in=[]) if self.nulls_last else Q(**{f"{self.path}__isnull": False})
        lookup = ("lt" if self.descending else "gt") + ("e" if inclusive else "")
        beyond = Q(**{f"{self.path}__{lookup}": value})
        if self.nullable and self.nulls_last:
            return beyond | Q(**{f"{self.path}__isnull": True})
        return beyond

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})


def _field(model: type[Model], path: str) -> Field[Any, Any]:
    """The model field at the end of ``path`` (``"unit__name"``); ``pk`` is the primary key."""
    parts = path.split("__")
    field: Any = None
    for number, part in enumerate(parts):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if number < len(parts) - 1:
            if field.related_model is None:
                raise FieldDoesNotExist(path)
            model = field.related_model
    if field is None or not field.concrete or field.is_relation:
        raise FieldDoesNotExist(path)
    return field  # type: ignore[no-any-return]


def order_keys(qs: QuerySet[Any]) -> list[OrderKey]:
    """The queryset's order as keys, ending with the primary key. Raises ValueError for an order
    keyset pagination cannot follow (random, annotations, raw expressions)."""
    nulls_largest = connections[qs.db].features.nulls_order_largest
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    keys: list[OrderKey] = []
    for item in ordering:
        if isinstance(item, str):
            if item == "?":
                raise ValueError("A random order cannot be paged by keys.")
            descending, path = item.startswith("-"), item.lstrip("-")
            explicit_last: bool | None = None
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, path = item.descending, item.expression.name
            explicit_last = True if item.nulls_last else False if item.nulls_first else None
        else:
            raise ValueError(f"Keyset pagination cannot follow the order {item!r}.")
        try:
            field = _field(qs.model, path)
        except FieldDoesNotExist:
            raise ValueError(
                f"Keyset pagination needs a field to order by, not {path!r}."
            ) from None
        # Without NULLS FIRST/LAST, the database's own place for NULLs: largest on PostgreSQL,
        # smallest on SQLite.
        keys.append(
            OrderKey(
                path,
                descending,
                nulls_largest != descending if explicit_last is None else explicit_last,
                explicit=explicit_last is not None,
                nullable=field.null,
            )
        )
        if field.primary_key:
            return keys  # a unique key ends the order: nothing after it matters
    last = keys[-1] if keys else None
    descending = last.descending if last else True
    keys.append(OrderKey("pk", descending, nulls_largest != descending))
    return keys


def _signature(qs: QuerySet[Any], keys: Sequence[OrderKey]) -> str:
    parts = [f"{'-' if k.descending else ''}{k.path}{'' if k.nulls_last else '^'}" for k in keys]
    return f"{qs.model._meta.label_lower}:{','.join(parts)}"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # to the microsecond: equal timestamps must stay equal
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def make_cursor(qs: QuerySet[Any], keys: Sequence[OrderKey], values: Sequence[Any]) -> str:
    payload = {"o": _signature(qs, keys), "v": [_encode(v) for v in values]}
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_cursor(qs: QuerySet[Any], keys: Sequence[OrderKey], cursor: str) -> list[Any] | None:
    """The sort key a cursor carries, or None for a cursor that is not valid for this order."""
    if not cursor or len(cursor) > _MAX_CURSOR:
        return None
    try:
        payload = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("o") != _signature(qs, keys):
        return None
    raw = payload.get("v")
    if not isinstance(raw, list) or len(raw) != len(keys):
        return None
    try:
        return [
            None if value is None else _field(qs.model, key.path).to_python(value)
            for key, value in zip(keys, raw, strict=True)
        ]
    except (ValidationError, ValueError, TypeError):
        return None


def after_condition(keys: Sequence[OrderKey], values: Sequence[Any]) -> Q:
    """Rows after the row with sort key ``values``: (k1 after v1) or (k1 = v1 and k2 after v2)…

    When every key runs the same way and none can be NULL, that is one row comparison,
    ``(k1, k2) < (v1, v2)``, which an index on the order answers as a range: the expanded form
    bounds the scan by the first key only, so a page deep inside a long run of equal first keys
    (the grade list's thousands of equal totals) read and dropped every row before it."""
    if len({key.descending for key in keys}) == 1 and not any(
        key.nullable or value is None for key, value in zip(keys, values, strict=True)
    ):
        return Q(_RowBeyond(keys, values))
    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= prefix & key.after(value)
        prefix &= key.equal(value)
    # The same rows, with a plain bound on the first key that an index scan can start from
    # (PostgreSQL would otherwise read the index from the top and filter: OFFSET again).
    return keys[0].after(values[0], inclusive=True) & condition


class _RowBeyond(Func):
    """``(k1, k2, …) < (v1, v2, …)`` (``>`` for an ascending order): a row-value comparison, which
    PostgreSQL and SQLite (3.15+) both evaluate and PostgreSQL turns into an index range."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, keys: Sequence[OrderKey], values: Sequence[Any]) -> None:
        super().__init__(*(F(key.path) for key in keys))
        self.operator = "<" if keys[0].descending else ">"
        self.values = list(values)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        columns: list[str] = []
        params: list[Any] = []
        for expression in self.get_source_expressions():
            sql, column_params = compiler.compile(expression)
            columns.append(sql)
            params.extend(column_params)
        values: list[str] = []
        for expression, value in zip(self.get_source_expressions(), self.values, strict=True):
            field = expression.output_field
            values.append("%s")
            params.append(field.get_db_prep_value(value, connection, prepared=False))
        return f"({', '.join(columns)}) {self.operator} ({', '.join(values)})", params


# --- The total ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """What templates read as ``page.paginator.count``, as for Django's pages: ``count`` rows
    exactly, about ``count`` (``estimated``), or more than ``count`` (``more``)."""

    count: int
    estimated: bool = False
    more: bool = False

    @property
    def exact(self) -> bool:
        return not (self.estimated or self.more)


def estimated_count(qs: QuerySet[Any]) -> Total:
    """The list's total: exact up to EXACT_COUNT_LIMIT, and everywhere but on PostgreSQL; above
    it, about N for an unfiltered list and more than EXACT_COUNT_LIMIT for a filtered one."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return Total(qs.count())
    ids = qs.order_by().values("pk")
    capped = ids[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return Total(capped)
    if qs.query.where:
        return Total(EXACT_COUNT_LIMIT, more=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [qs.model._meta.db_table],
        )
        row = cursor.fetchone()
    estimate = int(row[0]) if row else -1
    if estimate < 0:  # the table never analysed (-1): ask the planner, which reads its size
        plan = json.loads(ids.explain(format="json"))
        estimate = int(plan[0]["Plan"]["Plan Rows"])
    return Total(max(estimate, capped), estimated=True)


# --- The page -------------------------------------------------------------------------------


@dataclass
class KeysetPage(Generic[M]):
    object_list: list[M]
    paginator: Total
    has_next: bool
    has_previous: bool
    next_query: str
    previous_query: str
    first_query: str
    keyset = True  # templates/includes/pagination.html draws cursors, not numbers

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: int) -> M:
        return self.object_list[index]

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _query(request: HttpRequest, **cursor: str) -> str:
    """The request's query string (its filters) with only this cursor."""
    params = request.GET.copy()
    for name in CURSOR_PARAMS:
        params.pop(name, None)
    for name, value in cursor.items():
        params[name] = value
    return params.urlencode()


def _values(row: Model, keys: Sequence[OrderKey]) -> list[Any]:
    return [
        getattr(row, f"keyset_{n}") if "__" in key.path else getattr(row, key.path)
        for n, key in enumerate(keys)
    ]


def keyset_page(request: HttpRequest, qs: QuerySet[M], per_page: int) -> KeysetPage[M]:
    """The page of ``qs`` that ``?after=`` / ``?before=`` ask for (the first page without one, or
    with one that is not valid), in the queryset's order, with the filters kept in its links."""
    keys = order_keys(qs)
    # A related column of the order is read from the row itself, never by another query.
    qs = qs.annotate(
        **{f"keyset_{n}": F(key.path) for n, key in enumerate(keys) if "__" in key.path}
    ).order_by(*(key.expression() for key in keys))
    backwards = False
    values = None
    if after := request.GET.get("after", ""):
        values = read_cursor(qs, keys, after)
    elif before := request.GET.get("before", ""):
        values = read_cursor(qs, keys, before)
        backwards = values is not None

    if backwards:
        assert values is not None
        reverse = [key.reversed() for key in keys]
        window = qs.filter(after_condition(reverse, values)).order_by(
            *(key.expression() for key in reverse)
        )
        rows = list(window[: per_page + 1])
        has_previous, has_next = len(rows) > per_page, True
        rows = rows[:per_page][::-1]
    else:
        window = qs.filter(after_condition(keys, values)) if values is not None else qs
        rows = list(window[: per_page + 1])
        has_next, has_previous = len(rows) > per_page, values is not None
        rows = rows[:per_page]

    # A first page that holds the whole list (a narrow search, a quiet street) is its own total:
    # counting would read the matches again (for a search no index serves, the whole table).
    total = Total(len(rows)) if values is None and not has_next else estimated_count(qs)
    if not rows:  # a cursor past the end (rows deleted since): offer the way back to the start
        has_next = False
    return KeysetPage(
        object_list=rows,
        paginator=total,
        has_next=has_next and bool(rows),
        has_previous=has_previous,
        next_query=_query(request, after=make_cursor(qs, keys, _values(rows[-1], keys)))
        if rows
        else "",
        previous_query=_query(request, before=make_cursor(qs, keys, _values(rows[0], keys)))
        if rows
        else _query(request),
        first_query=_query(request),
    )
