"""Writing many rows with PostgreSQL's ``COPY``: the 12315 import's bulk path
(``complaints.imports_bulk``) and each scoring chunk's scores (``scoring.grading.run``).

``bulk_create`` of a year's 12315 file spends most of its time in Python building SQL: an
``INSERT`` of 1,000 rows of some 50 columns is 50,000 placeholders Django composes and psycopg
binds one by one. ``COPY … FROM STDIN`` takes the same rows as a stream psycopg's C code writes
(``write_row``), with no SQL to compose.

The timeline events need their complaint's id, which ``COPY`` does not return: the ids are
reserved first from the table's own sequence (``nextval`` in one query, as an ``INSERT`` would
take them) and written explicitly. The values are the ones ``bulk_create`` sends: the fields
whose value goes to the database unchanged (text, integers, booleans, dates, aware date-times,
foreign keys) are read in one ``attrgetter``, ``auto_now`` fields take one moment for the whole
``COPY``, the others (decimals) go through their ``get_db_prep_save``. It runs in the caller's
transaction (all or nothing) and its errors are Django's (``IntegrityError``); the rows it wrote
count for ``lyushunkou.db_maintenance.analyzing_written_tables`` as an ``INSERT``'s would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from django.db import connections, models
from django.db.models import Field, Model
from django.utils import timezone

from lyushunkou.db_maintenance import note_written

# Fields whose Python value is what the database gets (get_db_prep_save leaves it alone; a
# date-time is aware, as everything the portal writes).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.DateField,
    models.DateTimeField,
    models.ForeignKey,  # its attname: the related id
    models.AutoField,
    models.BigAutoField,
)


# False: ``copies`` says no and callers write with ``bulk_create`` on PostgreSQL too (the tests
# compare the two ways).
USE_COPY = True


def copies(using: str) -> bool:
    """Whether to write with ``COPY`` on the connection ``using``: on PostgreSQL only."""
    return USE_COPY and connections[using].vendor == "postgresql"


def _plain(field: Field[Any, Any]) -> bool:
    return type(field) in _PLAIN


def _automatic(field: Field[Any, Any]) -> bool:
    """``auto_now`` / ``auto_now_add``: the moment of writing."""
    return isinstance(field, models.DateField) and bool(field.auto_now or field.auto_now_add)


def _link_related(objs: Sequence[Model], fields: Sequence[Field[Any, Any]]) -> None:
    """A foreign key set to an object saved after it was set (a timeline event's complaint)
    takes that object's id, as ``bulk_create`` does."""
    for field in fields:
        if not isinstance(field, models.ForeignKey):
            continue
        for obj in objs:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    setattr(obj, field.attname, related.pk)


def copy_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, using: str
) -> int:
    """``COPY`` ``rows`` (values in the order of ``columns``, as psycopg adapts them) into
    ``table``; the number of rows written."""
    connection = connections[using]
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    note_written(table, count, using)
    return count


def reserve_ids(model: type[Model], count: int, *, using: str) -> list[int]:
    """``count`` new primary keys of ``model`` from its table's sequence, in ascending order."""
    meta = model._meta
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def copy_insert(model: type[Model], objs: Sequence[Model], *, using: str, ids: bool) -> None:
    """INSERT ``objs`` with one ``COPY``; with ``ids``, reserve their primary keys first and
    set them on ``objs`` (in order), otherwise the database numbers them. The objects are saved
    afterwards as ``bulk_create`` leaves them."""
    if not objs:
        return
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    if ids:
        for obj, pk in zip(objs, reserve_ids(model, len(objs), using=using), strict=True):
            obj.pk = pk
        fields.insert(0, meta.pk)
    _link_related(objs, fields)
    now = timezone.now()
    for field in fields:
        if _automatic(field):
            for obj in objs:
                setattr(obj, field.attname, now)
    plain = [f for f in fields if _plain(f)]
    other = [f for f in fields if not _plain(f)]
    values = attrgetter(*[f.attname for f in plain])

    def rows() -> Iterator[list[Any]]:
        for obj in objs:
            row = list(values(obj)) if len(plain) > 1 else [values(obj)]
            row.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in other)
            yield row

    columns = [f.column for f in plain] + [f.column for f in other]
    copy_rows(meta.db_table, columns, rows(), using=using)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
