"""The kinds of import that can run as a background job: where each one's importer, template and
columns live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lyushunkou.models import ImportJob


@dataclass(frozen=True)
class ImportKind:
    """Where each kind of import lives. Dotted paths: this app sits below the others and must
    not import them when it is loaded (DESIGN.md §3)."""

    importer: str
    template: str
    columns: str
    page: str  # the URL name of the import page


KINDS: dict[str, ImportKind] = {
    ImportJob.Kind.UNITS: ImportKind(
        "units.imports.import_units",
        "units/staff/unit_import.html",
        "units.exports.COLUMNS",
        "unit-import",
    ),
    ImportJob.Kind.COMPLAINTS: ImportKind(
        "complaints.imports.import_complaints",
        "complaints/import/import.html",
        "complaints.exports.COLUMNS",
        "complaint-import",
    ),
    ImportJob.Kind.SAMPLING: ImportKind(
        "inspections.imports.import_sampling",
        "inspections/sampling_import.html",
        "inspections.exports.COLUMNS",
        "sampling-import",
    ),
}


def kind_of(importer: Callable[..., Any]) -> str | None:
    """The job kind of a page's importer; None for one that can only run in the request."""
    name = f"{importer.__module__}.{importer.__qualname__}"
    return next((kind for kind, entry in KINDS.items() if entry.importer == name), None)
