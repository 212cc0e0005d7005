"""Each app registers the lists an export job may write from ``AppConfig.ready()`` (issue 20
item 1), as it registers its importer: the core's export modules name no app above them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from complaints.exports import COMPLAINT_LIST, SURVEY_LIST
from inspections.exports import SAMPLING_LIST
from lyushunkou.list_exports import list_exports, register_list_exports
from scoring.grading.exports import SCORE_LIST
from tests.test_import_registry import UPPER_MODULE
from units.exports import UNIT_LIST

ROOT = Path(__file__).resolve().parent.parent
CORE = [
    ROOT / "lyushunkou/list_exports.py",
    ROOT / "lyushunkou/export_jobs.py",
    ROOT / "lyushunkou/staff_lists.py",
]


def test_each_app_registers_its_lists() -> None:
    assert list_exports() == {
        "units": UNIT_LIST,
        "sampling": SAMPLING_LIST,
        "complaints": COMPLAINT_LIST,
        "surveys": SURVEY_LIST,
        "grades": SCORE_LIST,
    }


def test_a_second_list_under_a_kind_taken_is_refused() -> None:
    register_list_exports(UNIT_LIST)  # the same list again: harmless
    with pytest.raises(ImproperlyConfigured, match="units"):
        register_list_exports(replace(UNIT_LIST, action="unit.exported_elsewhere"))
    assert list_exports()["units"] is UNIT_LIST


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_the_core_names_no_app_above_it(path: Path) -> None:
    assert not UPPER_MODULE.search(path.read_text(encoding="utf-8"))
