"""The base of every app's import command (``manage.py import_<kind> FILE``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lyushunkou.db_maintenance import analyzing_written_tables
from lyushunkou.models import Role, User


class ImportCommand(BaseCommand):
    importer: Callable[..., Any]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row and write nothing"
        )
        parser.add_argument(
            "--user",
            help="the staff account the changes are recorded under (required unless --dry-run); "
            "staff scoped to a street may import records of their street only",
        )

    @analyzing_written_tables()  # the planner's statistics follow a big file (PostgreSQL)
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        dry_run: bool = options["dry_run"]
        by = self._user(options["user"]) if options["user"] else None
        if by is None and not dry_run:
            # The services record every change under a person (DESIGN.md §4 audit trail).
            raise CommandError(_("Give --user USERNAME: the staff account the import is made by."))
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        importer = type(self).importer
        result = importer(content=content, filename=path.name, by=by, dry_run=dry_run)
        if not result.ok:
            for message in result.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported: %(count)d error(s) in %(file)s.")
                % {"count": len(result.messages), "file": path.name},
                returncode=1,
            )
        counts = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        message = (
            _(
                "Checked (dry run, nothing written) %(rows)d rows: %(created)d new, "
                "%(updated)d updated, %(unchanged)d unchanged."
            )
            if dry_run
            else _(
                "Imported %(rows)d rows: %(created)d new, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
        )
        self.stdout.write(self.style.SUCCESS(message % counts))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.role != Role.STAFF:
            raise CommandError(
                _("%(username)s is not an active market-supervision staff account.")
                % {"username": username}
            )
        return user
