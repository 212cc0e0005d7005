"""Plain helpers of the periodic reports' tests (tests/scoring/test_reports*.py): a report
rendered now, and the text of its PDF."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import translation
from pypdf import PdfReader

from scoring import periods
from scoring.models import Report
from scoring.reports import data as report_data
from scoring.reports import render as report_render
from scoring.reports import services as reports

ROOT = Path(__file__).resolve().parents[2]
JUNE = periods.parse("2025-06")


def no_data() -> str:
    with translation.override(report_render.REPORT_LANGUAGE):
        return str(report_data.NO_DATA)


def pdf_lines(content: bytes) -> list[str]:
    path = Path(default_storage.path("probe.pdf")).with_name("extracted.pdf")
    path.write_bytes(content)
    reader = PdfReader(path)
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def line_of(lines: list[str], label: str) -> str:
    found = [line for line in lines if line.startswith(label)]
    assert found, f"{label} not in the PDF"
    return found[0]


def render_now(kind: str = "monthly", period: str = "2025-06", scope: str = "district") -> Report:
    return reports.build_now(kind=kind, period=periods.parse(period), scope_code=scope)
