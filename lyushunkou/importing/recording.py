"""The audit event of every import, and the signal sent when an import wrote records."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from lyushunkou import audit
from lyushunkou.importing.result import ImportResult
from lyushunkou.models import User

# Sent after an import wrote records (not a dry run, not a refused file), with ``action`` (the
# audit action, e.g. "complaints.imported") and ``result``: the figures that count them refresh.
records_imported = Signal()


def record_import(
    result: ImportResult, by: User | None, *, action: str, command: str, **detail: Any
) -> ImportResult:
    """The audit event every import writes, whether it succeeded or not, with the counts and
    the importer's own ``detail`` (what it wrote in bulk, without an event per record); a
    successful import that wrote records also sends ``records_imported``."""
    audit.record(
        action,
        actor=by,
        username="" if by else f"manage.py {command}",
        outcome=audit.Outcome.SUCCESS if result.ok else audit.Outcome.FAILURE,
        file=result.filename[:200],
        dry_run=result.dry_run,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=len(result.errors) + len(result.problems),
        **detail,
    )
    if result.ok and not result.dry_run and (result.created or result.updated):
        records_imported.send(sender=ImportResult, action=action, result=result)
    return result
