"""The shape shared by every import: the page, the background job and the command (DESIGN.md §7).

An app's importer is a function taking ``content, filename, by, dry_run`` (and optionally
``progress``) and returning a result with ``ok``, ``messages``, ``rows``, ``created``, ``updated``
and ``unchanged`` (``ImportResult``); it writes all rows or none, in one transaction. The steps the
importers share live here: reading the file and its header (``read_rows``), checking every row
(``ImportResult.check``), the cells every file has (``vocabulary``, ``credit_code_cell``,
``Streets``), and writing in one transaction (``write_rows``).

- ``import_page`` is the view body of every import page. A file of more than
  ``settings.IMPORT_BACKGROUND_ROWS`` rows is not imported inside the request: it is stored, an
  ``ImportJob`` is queued (``import_job_start``) and the user is sent to the job's page, which
  polls until the task (``lyushunkou.tasks.run_import_job`` → ``import_job_run``) has run the same
  importer and then shows the result as the page would have.
- An app's command subclasses ``ImportCommand`` and names its importer. Errors go to stderr and
  the exit status is 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet
from django.dispatch import Signal
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lyushunkou import audit
from lyushunkou.access import jurisdictions_for_user
from lyushunkou.background import Heartbeat
from lyushunkou.db_maintenance import analyzing_written_tables
from lyushunkou.import_templates import example_row_problem, is_example_row
from lyushunkou.models import ImportJob, Jurisdiction, Role, User
from lyushunkou.notifications import notify
from lyushunkou.roles import AuthenticatedRequest
from lyushunkou.sanitise import strip_controls
from lyushunkou.spreadsheets import UnsafeSpreadsheet, sheet_rows, too_many_rows
from lyushunkou.tabular import column_positions, data_rows, header_key

log = logging.getLogger(__name__)

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


class Progress(Protocol):
    """Told by an importer how many of its rows it has written, and of how many."""

    def __call__(self, done: int, total: int) -> None: ...


# --- Reading and checking a file: what the three importers share --------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class Plan(Protocol):
    """A valid row an importer will write: its spreadsheet row and the record it updates."""

    @property
    def row(self) -> int: ...

    @property
    def existing(self) -> object | None: ...


PlanT = TypeVar("PlanT", bound=Plan)
ModelT = TypeVar("ModelT", bound=Model)
Rows = list[tuple[int, dict[str, str]]]


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, filename: str, by: User | None, dry_run: bool) -> ImportResult:
        if by is None and not dry_run:
            raise ValueError("An import that writes needs the user it is recorded under.")
        return cls(filename=filename, dry_run=dry_run)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    @property
    def messages(self) -> list[str]:
        return [*self.problems, *(str(error) for error in self.errors)]

    def check(
        self, rows: Rows, check: Callable[[int, dict[str, str]], PlanT | list[RowError]]
    ) -> list[PlanT]:
        """Every row through ``check``: the plans of the valid ones; the others' errors added."""
        plans: list[PlanT] = []
        for number, values in rows:
            outcome = check(number, values)
            if isinstance(outcome, list):
                self.errors.extend(outcome)
            else:
                plans.append(outcome)
        return plans

    def count(self, plans: Sequence[PlanT], changed: Callable[[PlanT], bool]) -> None:
        """New rows, rows that change their record, and the others."""
        self.created = sum(1 for plan in plans if plan.existing is None)
        self.updated = sum(1 for plan in plans if plan.existing is not None and changed(plan))
        self.unchanged = len(plans) - self.created - self.updated


def decode_csv(content: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (what Excel on Chinese Windows writes)."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file starts as UTF-8 but is not valid UTF-8.")) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is neither UTF-8 nor GB18030 (GBK); save it again as UTF-8 CSV.")
        ) from None


def cell_text(value: Any) -> str:
    """A cell as text: numbers typed into Excel (phones, all-digit codes) lose no digits.
    Control characters are stripped, by the rule web forms follow (``lyushunkou.sanitise``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return strip_controls(str(value)).strip()


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """All rows of the first sheet (or the CSV) as text, the header row first; a blank row is
    an empty list. Refused past ``IMPORT_MAX_SHEET_ROWS`` rows, blank ones included."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        # Control characters go before the CSV is parsed: a NUL is then nobody's problem.
        text = strip_controls(decode_csv(content))
        table: list[list[str]] = []
        try:
            for row in csv.reader(io.StringIO(text)):
                if len(table) >= settings.IMPORT_MAX_SHEET_ROWS:
                    raise ImportFileError(too_many_rows())
                table.append([cell.strip() for cell in row])
            return table
        except csv.Error as error:
            raise ImportFileError(
                _("The CSV file is malformed: %(error)s") % {"error": error}
            ) from None
    if name.endswith(".xls"):
        raise ImportFileError(_("Old .xls files are not supported: save the file as .xlsx."))
    raise ImportFileError(_("Upload an .xlsx or .csv file."))


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        return [
            # row.count runs in C: the many blank rows of a formatted sheet cost next to nothing
            [cell_text(value) for value in row] if row.count(None) != len(row) else []
            for row in sheet_rows(content)
        ]
    except UnsafeSpreadsheet as refusal:
        raise ImportFileError(str(refusal)) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError, SyntaxError):
        # SyntaxError: XML that is not well-formed (ElementTree's ParseError), e.g. a raw NUL
        raise ImportFileError(_("The file could not be read as an .xlsx workbook.")) from None


class FileColumn(Protocol):
    """A column of an app's file format (``<app>.exports.COLUMNS``)."""

    @property
    def header(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def required(self) -> bool: ...


def read_rows(
    result: ImportResult,
    content: bytes,
    filename: str,
    columns: Sequence[FileColumn],
    *,
    max_rows: int,
    missing: str = "",
    too_many: str = "",
) -> Rows | None:
    """The data rows of the file as ``(spreadsheet row number, {column key: trimmed text})``,
    blank rows skipped; None, with the problems added to ``result``, when the file cannot be
    read, lacks a required column, has no rows or more than ``max_rows``.

    A missing column is an error of row 1 unless ``missing`` (with ``%(column)s``) makes it a
    problem of the file; ``too_many`` (``%(count)d``, ``%(max)d``) replaces the usual message.
    """
    try:
        if len(content) > MAX_FILE_BYTES:
            raise ImportFileError(_("The file is larger than 20 MB; split it."))
        table = read_table(content, filename)
        if not table:
            raise ImportFileError(_("The file is empty."))
    except ImportFileError as problem:
        result.problems.append(str(problem))
        return None
    by_header = column_positions(table[0], [column.header for column in columns])
    positions = {c.key: by_header[c.header] for c in columns if c.header in by_header}
    for column in columns:
        if column.required and column.key not in positions:
            if missing:
                result.problems.append(missing % {"column": column.header})
            else:
                result.errors.append(RowError(1, column.header, _("This column is missing.")))
    if not result.ok:
        return None
    rows = data_rows(table, positions)
    result.problems.extend(example_row_problem(n) for n, values in rows if is_example_row(values))
    if not rows:
        result.problems.append(_("The file has no rows below the header."))
    elif len(rows) > max_rows:
        message = too_many or _("The file has %(count)d rows; import at most %(max)d at a time.")
        result.problems.append(message % {"count": len(rows), "max": max_rows})
    if not result.ok:
        return None
    result.rows = len(rows)
    return rows


def write_rows(
    result: ImportResult,
    plans: Sequence[PlanT],
    write: Callable[[PlanT], object],
    *,
    column: str,
    progress: Progress | None = None,
    roll_back: bool = False,
) -> None:
    """All or nothing: every plan through ``write`` in one transaction, ``progress`` told the
    rows done so far. An error ``write`` raises undoes the transaction and is reported on its
    row under ``column``; ``write`` may instead add a row's error to ``result.errors`` itself
    (checking the later rows too), which also undoes it, as ``roll_back`` (a dry run that goes
    through the services) does. Nothing written means no row counted."""
    current: PlanT | None = None
    try:
        with transaction.atomic():
            for done, current in enumerate(plans):
                if progress is not None:
                    progress(done, len(plans))
                write(current)
            if result.errors or roll_back:
                raise _RollBack
    except _RollBack:
        pass
    except (ValidationError, IntegrityError) as problem:
        # Changed by someone else meanwhile, or a rule only the database knows: nothing written.
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        row = current.row if current is not None else 0
        result.errors.append(RowError(row, column, " ".join(messages)))
    if result.errors:
        result.created = result.updated = result.unchanged = 0


class _RollBack(Exception):
    """Raised inside an import's transaction to undo it."""


# --- Cells every file has -----------------------------------------------------------------------


def vocabulary(
    names: Mapping[Any, str],
    choices: Iterable[tuple[str, Any]] = (),
    aliases: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Accepted spellings → stored value: the file's Chinese word, the stored value, the
    choices' labels in English and Chinese, and ``aliases``; look up with ``lookup``."""
    accepted: dict[str, str] = {}
    for value, label in choices:
        accepted[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                accepted[header_key(str(label)).lower()] = value
    for value, name in names.items():
        accepted[str(value).lower()] = str(value)
        accepted[header_key(name).lower()] = str(value)
    for name, value in (aliases or {}).items():
        accepted[header_key(name).lower()] = str(value)
    return accepted


def lookup(accepted: Mapping[str, str], text: str) -> str | None:
    return accepted.get(header_key(text).lower())


def credit_code_cell(text: str | None) -> tuple[str, str]:
    """A credit-code cell normalised, and why it is not a valid code ("" when it is, or blank)."""
    from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code

    code = normalize_credit_code(text)
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as problem:
            return code, " ".join(problem.messages)
    return code, ""


def load_existing(queryset: QuerySet[ModelT], field: str, keys: Iterable[str]) -> dict[str, ModelT]:
    """The records already registered under the file's keys (blank keys skipped), by key."""
    found: dict[str, ModelT] = {}
    unique = sorted({key for key in keys if key})
    for start in range(0, len(unique), 500):  # stay under SQLite's parameter limit
        for record in queryset.filter(**{f"{field}__in": unique[start : start + 500]}):
            found[getattr(record, field)] = record
    return found


@dataclass
class Streets:
    """The streets a file may name (by name or 12-digit division code), and those the importing
    user may import into (``allowed`` None: every one)."""

    by_key: dict[str, Jurisdiction]
    allowed: set[int] | None
    scope_name: str

    @classmethod
    def load(cls, by: User | None) -> Streets:
        by_key: dict[str, Jurisdiction] = {}
        for jurisdiction in Jurisdiction.objects.all():
            by_key[jurisdiction.code] = jurisdiction
            by_key[header_key(jurisdiction.name)] = jurisdiction
        allowed: set[int] | None = None
        scope_name = ""
        if by is not None and not by.is_district_wide:
            scoped = list(jurisdictions_for_user(by))
            allowed = {jurisdiction.pk for jurisdiction in scoped}
            scope_name = "、".join(jurisdiction.name for jurisdiction in scoped)
        return cls(by_key, allowed, scope_name)

    def allows(self, jurisdiction_id: int | None) -> bool:
        return self.allowed is None or jurisdiction_id in self.allowed

    def find(
        self, text: str, *, district: str, outside: str, inactive_unknown: bool = False
    ) -> tuple[Jurisdiction | None, str]:
        """The street a cell names, and why the row may not name it ("" when it may):
        ``district`` when it names the district, ``outside`` (with ``%(scope)s``) when it is
        outside the user's streets. ``inactive_unknown``: a street no longer in use reads as
        unknown."""
        jurisdiction = self.by_key.get(header_key(text))
        if jurisdiction is None or (inactive_unknown and not jurisdiction.active):
            reason = _("Unknown street “%(value)s”; give its name or 12-digit division code.")
            return jurisdiction, reason % {"value": text}
        if not jurisdiction.active:
            return jurisdiction, _("%(street)s is no longer in use.") % {
                "street": jurisdiction.name
            }
        if jurisdiction.kind == Jurisdiction.Kind.DISTRICT:
            return jurisdiction, district
        if not self.allows(jurisdiction.pk):
            return jurisdiction, outside % {"scope": self.scope_name}
        return jurisdiction, ""


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


def count_rows(content: bytes, filename: str, *, limit: int) -> int:
    """The non-blank rows below the header, counted up to ``limit + 1`` only (so a huge file
    costs no more than a small one). 0 for a file that cannot be read: the importer then runs
    in the request and reports why."""
    try:
        if filename.lower().endswith(".csv"):
            rows: Any = csv.reader(io.StringIO(decode_csv(content)))
        elif filename.lower().endswith(".xlsx"):
            rows = sheet_rows(content)  # the limits of lyushunkou.spreadsheets apply here too
        else:
            return 0
        count = 0
        for number, row in enumerate(rows):
            if number >= settings.IMPORT_MAX_SHEET_ROWS:
                break  # the importer then refuses the file in the request, saying why
            if number and any(cell not in (None, "") and str(cell).strip() for cell in row):
                count += 1
                if count > limit:
                    break
        return count
    except (
        ImportFileError,
        UnsafeSpreadsheet,
        csv.Error,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        IndexError,
        SyntaxError,
    ):
        return 0


def import_page(
    request: AuthenticatedRequest,
    *,
    importer: Callable[..., Any],
    template: str,
    columns: Any,
) -> HttpResponse:
    """The view body of every import page: upload, run the importer as the user, show the
    errors by row and column (status 400) or the summary. A file of more rows than
    ``IMPORT_BACKGROUND_ROWS`` becomes a background job, and the user goes to its page."""
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
        {"form": form, "result": result, "columns": columns},
        status=200 if result is None or result.ok else 400,
    )


# Sent after an import wrote records (not a dry run, not a refused file), with ``action`` (the
# audit action, e.g. "complaints.imported") and ``result``: the figures that count them refresh.
records_imported = Signal()


def record_import(
    result: ImportResult, by: User | None, *, action: str, command: str
) -> ImportResult:
    """The audit event every import writes, whether it succeeded or not; a successful import
    that wrote records also sends ``records_imported``."""
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
    if result.ok and not result.dry_run and (result.created or result.updated):
        records_imported.send(sender=ImportResult, action=action, result=result)
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


# --- Background import jobs ----------------------------------------------------------------------

PROGRESS_EVERY = 25  # rows between two progress reports: a cache write each, nothing more
PROGRESS_TIMEOUT = 24 * 3600


def progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_jobs_for_user(user: User) -> QuerySet[ImportJob]:
    """A job is its uploader's alone: the file and its errors are personal data of the people
    in it, and the result is what the uploader's own page would have shown."""
    if not user.is_authenticated or not user.is_active or user.role != Role.STAFF:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(uploaded_by=user)


def import_job_for_user(user: User, pk: int) -> ImportJob:
    try:
        return import_jobs_for_user(user).get(pk=pk)
    except ImportJob.DoesNotExist:
        audit.record(
            "access.denied",
            actor=user if user.is_authenticated else None,
            outcome=audit.Outcome.DENIED,
            model="lyushunkou.importjob",
            requested=str(pk),
        )
        raise Http404("No such import job.") from None


@transaction.atomic
def import_job_start(
    *, kind: str, content: bytes, filename: str, by: User, dry_run: bool
) -> ImportJob:
    """Store the upload and queue its import after commit. The stored name is random: the
    original file name is shown on the job's page only."""
    suffix = Path(filename).suffix.lower()
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(content))
    try:
        job = ImportJob.objects.create(
            kind=kind,
            uploaded_by=by,
            jurisdiction_id=by.jurisdiction_id,
            file_name=filename[:255],
            stored_name=stored,
            language=translation.get_language() or "",
            dry_run=dry_run,
            heartbeat_at=timezone.now(),
        )
    except BaseException:
        # No job, nothing will run: do not leave the personal data behind.
        default_storage.delete(stored)
        raise
    audit.record("import.queued", actor=by, obj=job, file=filename[:200], dry_run=dry_run)
    # A broker that cannot take the task fails the job and deletes the upload (import_jobs).
    from lyushunkou.import_jobs import queue_import

    queue_import(job.pk)
    return job


def _claim(job_id: int) -> dt.datetime | None:
    """Queued → running; the claim's start time, which its heartbeats match on, or None."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        version=F("version") + 1,
    )
    return now if claimed == 1 else None


def _beat(job_id: int, started: dt.datetime) -> None:
    ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING, started_at=started).update(
        heartbeat_at=timezone.now()
    )


class _Reporter:
    """Progress into the cache, not the database: the importer's transaction is open while it
    writes, so a row update would stay invisible until the end (and on SQLite would wait for
    its lock). With a shared cache (Redis) the job's page shows it live."""

    def __init__(self, job_id: int) -> None:
        self.key = progress_key(job_id)
        self.last = -PROGRESS_EVERY

    def __call__(self, done: int, total: int) -> None:
        if done - self.last >= PROGRESS_EVERY:
            self.last = done
            cache.set(self.key, (done, total), PROGRESS_TIMEOUT)


def job_progress(job: ImportJob) -> tuple[int, int] | None:
    """(rows written, rows to write) of a running job, when the worker's reports reach us."""
    if job.state != ImportJob.State.RUNNING:
        return None
    value = cache.get(progress_key(job.pk))
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


@analyzing_written_tables()  # the planner's statistics follow a big file (PostgreSQL)
def import_job_run(job_id: int) -> ImportJob | None:
    """Run a queued job's import as its uploader; None when it was not queued (another worker
    has it, or it ran already). The stored upload is deleted whatever happens; while it runs,
    a thread beats the job's ``heartbeat_at`` for the sweep (``lyushunkou.import_jobs``)."""
    claimed = _claim(job_id)
    if claimed is None:
        return None
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    by = job.uploaded_by
    result: Any = None
    problem = ""
    try:
        with translation.override(job.language or None):
            if not by.is_active or by.role != Role.STAFF:
                problem = _("The account that uploaded the file can no longer import.")
            elif by.jurisdiction_id != job.jurisdiction_id:
                problem = _("Your jurisdiction changed after the upload; upload the file again.")
            else:
                with default_storage.open(job.stored_name, "rb") as stored:
                    content = stored.read()
                importer = import_string(KINDS[job.kind].importer)
                with Heartbeat(lambda: _beat(job_id, claimed)):
                    result = importer(
                        content=content,
                        filename=job.file_name,
                        by=by,
                        dry_run=job.dry_run,
                        progress=_Reporter(job_id),
                    )
    except Exception:
        log.exception("Import job %s stopped", job_id)
        with translation.override(job.language or None):
            problem = _("The import stopped with an internal error; nothing was imported.")
    finally:
        _delete_upload(job)
        cache.delete(progress_key(job_id))
    return _finish(job, result, problem)


def _delete_upload(job: ImportJob) -> None:
    if job.stored_name:
        try:
            default_storage.delete(job.stored_name)
        except OSError:
            log.exception("Import job %s: the upload %s was not deleted", job.pk, job.stored_name)
            return
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
        job.stored_name = ""


def _finish(job: ImportJob, result: Any, problem: str) -> ImportJob:
    if result is not None:
        ok = bool(result.ok)
        fields: dict[str, Any] = {
            "rows_total": result.rows,
            "rows_processed": result.rows if ok else 0,
            "created": result.created if ok else 0,
            "updated": result.updated if ok else 0,
            "unchanged": result.unchanged if ok else 0,
            "errors": [str(message) for message in result.messages],
            "error_cells": [
                {"row": error.row, "column": str(error.column), "reason": str(error.reason)}
                for error in result.errors
            ],
        }
    else:
        ok = False
        fields = {"errors": [problem], "error_cells": []}
    state = ImportJob.State.DONE if ok else ImportJob.State.FAILED
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(
            state=state, finished_at=timezone.now(), version=F("version") + 1, **fields
        )
        job.refresh_from_db()
        if result is None:  # the importer did not run, so it wrote no audit event: write one
            audit.record(
                "import.failed", actor=job.uploaded_by, obj=job, outcome=audit.Outcome.FAILURE
            )
        _notify(job)
    return job


def _notify(job: ImportJob) -> None:
    with translation.override(job.language or None):
        if job.state == ImportJob.State.DONE:
            message = (
                _("Checked %(file)s (dry run, nothing written): %(rows)d rows, no errors.")
                if job.dry_run
                else _(
                    "Imported %(file)s: %(created)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
            ) % {
                "file": job.file_name,
                "rows": job.rows_total,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
            }
        else:
            message = _("Nothing was imported from %(file)s: %(count)d error(s).") % {
                "file": job.file_name,
                "count": len(job.errors),
            }
    notify(
        [job.uploaded_by],
        message=message,
        link=reverse("import-job", kwargs={"pk": job.pk}),
        key=f"import-job:{job.pk}",
    )


@dataclass(frozen=True)
class JobRowError:
    row: int
    column: str
    reason: str
    line: str

    def __str__(self) -> str:
        return self.line


@dataclass(frozen=True)
class JobResult:
    """A finished job seen as the importer's result, so the page's template shows it as is."""

    filename: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[JobRowError]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problems

    @property
    def messages(self) -> list[str]:
        return [*self.problems, *(str(error) for error in self.errors)]


def job_result(job: ImportJob) -> JobResult | None:
    if not job.finished:
        return None
    lines = [str(line) for line in job.errors]
    cells = list(job.error_cells)
    split = len(lines) - len(cells)
    return JobResult(
        filename=job.file_name,
        dry_run=job.dry_run,
        rows=job.rows_total,
        created=job.created,
        updated=job.updated,
        unchanged=job.unchanged,
        errors=[
            JobRowError(int(cell["row"]), str(cell["column"]), str(cell["reason"]), line)
            for cell, line in zip(cells, lines[split:], strict=True)
        ],
        problems=lines[:split],
    )
