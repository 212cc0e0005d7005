"""``manage.py import_units FILE [--dry-run] [--user USERNAME]`` (DESIGN.md §7 import rules)."""

from lyushunkou.importing import ImportCommand
from units.imports import import_units


class Command(ImportCommand):
    help = (
        "Import units from an .xlsx or .csv file (UTF-8 with or without BOM, or GB18030). All or "
        "nothing: any invalid row means nothing is written and every error is listed; exit "
        "status 1. A credit code already registered updates that unit."
    )
    importer = staticmethod(import_units)
