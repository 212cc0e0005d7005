"""The shape shared by every ``manage.py import_*`` command (DESIGN.md §7 import rules).

An app's command subclasses ``ImportCommand`` and names its importer: a function taking
``content, filename, by, dry_run`` and returning a result with ``ok``, ``messages``, ``rows``,
``created``, ``updated`` and ``unchanged``. Errors go to stderr and the exit status is 1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou import audit
from lyushunkou.models import Role, User
from lyushunkou.roles import AuthenticatedRequest

MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    """The upload of every import page: a file and a dry-run box."""

    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run): validate every row, write nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = str(upload.name).lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(gettext_lazy("Upload an .xlsx or .csv file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 20 MB; split it."))
        return upload


def import_page(
    request: AuthenticatedRequest,
    *,
    importer: Callable[..., Any],
    template: str,
    columns: Any,
) -> HttpResponse:
    """The view body of every import page: upload, run the importer as the user, show the
    errors by row and column (status 400) or the summary."""
    result = None
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = importer(
            content=upload.read(),
            filename=str(upload.name),
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request,
        template,
        {"form": form, "result": result, "columns": columns},
        status=200 if result is None or result.ok else 400,
    )


def record_import(result: Any, by: User | None, *, action: str, command: str) -> Any:
    """The audit event every import writes, whether it succeeded or not."""
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
    )
    return result


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
