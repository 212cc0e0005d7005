"""A finished job seen as the importer's result, so the import page's template shows it as is."""

from __future__ import annotations

from dataclasses import dataclass

from lyushunkou.models import ImportJob


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
