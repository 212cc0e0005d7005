"""``manage.py import_sampling FILE [--dry-run] [--user USERNAME]`` (DESIGN.md §7 import rules)."""

from inspections.imports import import_sampling
from lyushunkou.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import sampling batches from an .xlsx or .csv file (UTF-8 with or without BOM, or "
        "GB18030). All or nothing: any invalid row means nothing is written and every error "
        "is listed; exit status 1. A sample number already recorded updates that batch."
    )
    importer = staticmethod(import_sampling)
