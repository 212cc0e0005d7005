"""The kinds of import that can run as a background job, as the apps register them.

This app sits below the others and never names them (DESIGN.md §3, STYLE.md habit 16): each app
registers its importer from its ``AppConfig.ready()`` with ``register_import``, under the job
kind stored in ``ImportJob.kind``, with the words its jobs are listed under, the template and
columns of its import page, and the page's URL name. An import page whose importer is not
registered can only run inside the request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

MAX_KIND_LENGTH = 12  # ImportJob.kind


@dataclass(frozen=True)
class ImportKind:
    """What the job page and the job runner need of one kind of import."""

    kind: str
    label: str | Promise
    importer: Callable[..., Any]
    template: str
    columns: Sequence[Any]
    page: str  # the URL name of the import page
    # The most rows a file may have, stated on the page (a setting: read when the page is shown).
    max_rows: Callable[[], int] | None = None


KINDS: dict[str, ImportKind] = {}


def register_import(
    kind: str,
    *,
    label: str | Promise,
    importer: Callable[..., Any],
    template: str,
    columns: Sequence[Any],
    page: str,
    max_rows: Callable[[], int] | None = None,
) -> ImportKind:
    """Register an app's importer under ``kind``. Registering the same kind again replaces it
    (``ready()`` may run twice in tests); two importers under one kind are a mistake."""
    if not kind or len(kind) > MAX_KIND_LENGTH:
        raise ValueError(f"An import kind has 1 to {MAX_KIND_LENGTH} characters: {kind!r}.")
    current = KINDS.get(kind)
    if current is not None and _name(current.importer) != _name(importer):
        raise ValueError(f"Import kind {kind!r} is registered already for another importer.")
    entry = ImportKind(kind, label, importer, template, columns, page, max_rows)
    KINDS[kind] = entry
    return entry


def importer_for(kind: str) -> Callable[..., Any]:
    """The importer a background job of ``kind`` runs (KeyError: no app registers it)."""
    return KINDS[kind].importer


def kind_label(kind: str) -> str:
    """The words a job of ``kind`` is shown under; the stored value when no app registers it."""
    entry = KINDS.get(kind)
    return str(entry.label) if entry is not None else kind


def kind_of(importer: Callable[..., Any]) -> str | None:
    """The job kind of a page's importer; None for one that can only run in the request."""
    name = _name(importer)
    return next((kind for kind, entry in KINDS.items() if _name(entry.importer) == name), None)


def _name(importer: Callable[..., Any]) -> str:
    # By name, not identity: a test that patches a module's importer still finds its kind.
    return f"{importer.__module__}.{importer.__qualname__}"
