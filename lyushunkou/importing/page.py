"""The import page: the upload form and the view body every app's import page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from lyushunkou.importing.jobs import import_job_start
from lyushunkou.importing.reading import MAX_FILE_BYTES, count_rows
from lyushunkou.importing.registry import kind_of
from lyushunkou.roles import AuthenticatedRequest


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
    max_rows: int | None = None,
) -> HttpResponse:
    """The view body of every import page: upload, run the importer as the user, show the
    errors by row and column (status 400) or the summary. A file of more rows than
    ``IMPORT_BACKGROUND_ROWS`` becomes a background job, and the user goes to its page.
    ``max_rows``: the most rows a file may have, stated on the page before the upload."""
    result = None
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        filename = str(upload.name)
        dry_run = bool(form.cleaned_data["dry_run"])
        kind = kind_of(importer)
        limit = settings.IMPORT_BACKGROUND_ROWS
        if kind is not None and count_rows(content, filename, limit=limit) > limit:
            job = import_job_start(
                kind=kind, content=content, filename=filename, by=request.user, dry_run=dry_run
            )
            return redirect("import-job", pk=job.pk)
        result = importer(content=content, filename=filename, by=request.user, dry_run=dry_run)
    return render(
        request,
        template,
        {"form": form, "result": result, "columns": columns, "max_rows": max_rows},
        status=200 if result is None or result.ok else 400,
    )
