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

The package: ``result`` (``ImportResult``, ``RowError``), ``reading`` (the file into rows of text),
``rows`` (``read_rows``, ``write_rows``), ``cells`` (the cells every file has), ``recording`` (the
audit event and ``records_imported``), ``registry`` (the kinds a background job can run), ``page``
(``import_page`` and its form), ``command`` (``ImportCommand``), ``jobs`` (background jobs) and
``job_result`` (a finished job as a result). The names below are the ones other modules use.
"""

from __future__ import annotations

from lyushunkou.importing.cells import (
    Streets,
    credit_code_cell,
    load_existing,
    lookup,
    vocabulary,
)
from lyushunkou.importing.command import ImportCommand
from lyushunkou.importing.job_result import JobResult, JobRowError, job_result
from lyushunkou.importing.jobs import (
    _delete_upload,
    _notify,
    import_job_for_user,
    import_job_run,
    import_job_start,
    import_jobs_for_user,
    job_progress,
    progress_key,
)
from lyushunkou.importing.page import ImportUploadForm, import_page
from lyushunkou.importing.reading import (
    MAX_FILE_BYTES,
    ImportFileError,
    cell_text,
    count_rows,
    decode_csv,
    estimate_rows,
    iter_table,
    read_table,
)
from lyushunkou.importing.recording import record_import, records_imported
from lyushunkou.importing.registry import (
    KINDS,
    ImportKind,
    importer_for,
    kind_label,
    kind_of,
    register_import,
)
from lyushunkou.importing.result import ImportResult, Plan, Progress, RowError, Rows
from lyushunkou.importing.rows import FileColumn, RowStream, open_rows, read_rows, write_rows

__all__ = [
    "KINDS",
    "MAX_FILE_BYTES",
    "FileColumn",
    "ImportCommand",
    "ImportFileError",
    "ImportKind",
    "ImportResult",
    "ImportUploadForm",
    "JobResult",
    "JobRowError",
    "Plan",
    "Progress",
    "RowError",
    "RowStream",
    "Rows",
    "Streets",
    "_delete_upload",
    "_notify",
    "cell_text",
    "count_rows",
    "credit_code_cell",
    "decode_csv",
    "estimate_rows",
    "import_job_for_user",
    "import_job_run",
    "import_job_start",
    "import_jobs_for_user",
    "import_page",
    "importer_for",
    "iter_table",
    "job_progress",
    "job_result",
    "kind_label",
    "kind_of",
    "load_existing",
    "lookup",
    "open_rows",
    "progress_key",
    "read_rows",
    "read_table",
    "record_import",
    "records_imported",
    "register_import",
    "vocabulary",
    "write_rows",
]
