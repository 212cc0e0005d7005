"""Each app registers its importer with the core from ``AppConfig.ready()`` (issue 20 item 1):
the core's import package and job model name no app above them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from complaints.imports import import_complaints
from inspections.imports import import_sampling
from lyushunkou.importing import KINDS, importer_for, kind_label, kind_of, register_import
from lyushunkou.models import ImportJob
from units.imports import import_units

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    *sorted((ROOT / "lyushunkou" / "importing").glob("*.py")),
    ROOT / "lyushunkou/models_jobs.py",
]
# An app above the core, imported or named in a string ("units.imports.import_units").
APPS = r"(?:units|complaints|inspections|scoring|supervision|areas|api)"
UPPER_MODULE = re.compile(rf"(?:from|import)\s+{APPS}\b|[\"']{APPS}\.[a-z_]+\.")


def test_each_app_registers_its_importer() -> None:
    assert importer_for("units") is import_units
    assert importer_for("complaints") is import_complaints
    assert importer_for("sampling") is import_sampling


def test_a_pages_importer_is_found_by_its_kind() -> None:
    assert kind_of(import_complaints) == "complaints"
    assert kind_of(lambda **kwargs: None) is None


def test_the_kinds_are_labelled_by_their_apps() -> None:
    assert kind_label("sampling") == str(KINDS["sampling"].label)
    assert kind_label("unknown") == "unknown"
    job = ImportJob(kind="units", file_name="a.xlsx")
    assert str(job).startswith(str(KINDS["units"].label))


def test_the_complaint_page_states_its_row_limit() -> None:
    entry = KINDS["complaints"]
    assert entry.max_rows is not None
    assert entry.max_rows() > 0


def test_a_kind_is_not_taken_by_a_second_importer() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register_import(
            "units",
            label="x",
            importer=import_sampling,
            template="x.html",
            columns=[],
            page="x",
        )


def test_a_kind_fits_the_job_column() -> None:
    with pytest.raises(ValueError, match="1 to 12 characters"):
        register_import(
            "a" * 13, label="x", importer=import_units, template="x.html", columns=[], page="x"
        )


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_the_core_names_no_app_above_it(path: Path) -> None:
    text = path.read_text()
    assert not UPPER_MODULE.findall(text)
