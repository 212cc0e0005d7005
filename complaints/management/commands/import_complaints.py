"""``manage.py import_complaints FILE [--dry-run] [--user USERNAME]`` (DESIGN.md §7)."""

from complaints.imports import import_complaints
from lyushunkou.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import 12315 complaints from an .xlsx or .csv file (UTF-8 with or without BOM, or "
        "GB18030). All or nothing: any invalid row means nothing is written and every error is "
        "listed; exit status 1. A record number already imported gets only the steps that are new."
    )
    importer = staticmethod(import_complaints)
