"""Writing the bulk path's rows with PostgreSQL's ``COPY`` (``complaints.imports_bulk``).

``bulk_create`` of a year's 12315 file spends most of its time in Python building SQL: an
``INSERT`` of 1,000 rows of some 50 columns is 50,000 placeholders Django composes and psycopg
binds one by one. ``COPY … FROM STDIN`` takes the same rows as a stream psycopg's C code writes
(``write_row``), with no SQL to compose.

The timeline events need their complaint's id, which ``COPY`` does not return: the ids are
reserved first from the table's own sequence (``nextval`` in one query, as an ``INSERT`` would
take them) and written explicitly. The values are the ones ``bulk_create`` sends: each field's
``pre_save`` (``auto_now``) and ``get_db_prep_save``, except for the fields whose value goes to
the database unchanged (text, integers, booleans, dates, foreign keys), read in one
``attrgetter``. It runs in the caller's transaction (all or nothing) and its errors are
Django's (``IntegrityError``); the rows it wrote count for
``lyushunkou.db_maintenance.analyzing_written_tables`` as an ``INSERT``'s would.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from django.db import connections, models
from django.db.models import Field, Model

from lyushunkou.db_maintenance import note_written

# Fields whose Python value is what the database gets (get_db_prep_save leaves it alone).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.ForeignKey,  # its attname: the related id
)


def _plain(field: Field[Any, Any]) -> bool:
    if type(field) is models.DateField:  # exactly: a DateTimeField is a DateField too
        return not (field.auto_now or field.auto_now_add)
    return type(field) in _PLAIN


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


def copy_insert(model: type[Model], objs: Sequence[Model], *, using: str, ids: bool) -> None:
    """INSERT ``objs`` with one ``COPY``; with ``ids``, reserve their primary keys first and
    set them on ``objs`` (in order), otherwise the database numbers them. The objects are saved
    afterwards as ``bulk_create`` leaves them."""
    if not objs:
        return
    connection = connections[using]
    meta = model._meta
    table = meta.db_table
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    plain = [f for f in fields if _plain(f)]
    other = [f for f in fields if not _plain(f)]
    columns = [f.column for f in plain] + [f.column for f in other]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, meta.pk.column, len(objs)],
            )
            for obj, pk in zip(objs, sorted(row[0] for row in cursor.fetchall()), strict=True):
                obj.pk = pk
            columns.insert(0, meta.pk.column)
        _link_related(objs, fields)
        values = attrgetter(*[f.attname for f in plain])
        pk_name = meta.pk.attname
        statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
            for obj in objs:
                row: list[Any] = [getattr(obj, pk_name)] if ids else []
                row.extend(values(obj) if len(plain) > 1 else (values(obj),))
                row.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in other)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    note_written(table, len(objs), using)
