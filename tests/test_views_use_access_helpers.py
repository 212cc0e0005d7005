"""Views reach the database only through the access helpers and selectors: no model manager in a
view module (STYLE.md habit 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

# --- Views reach the database only through access helpers and selectors ---------------------------


def test_no_view_module_uses_a_model_manager() -> None:
    # STYLE.md habit 1, stricter than tests/test_access.py: no `.objects.` at all in a view module,
    # so neither a scoped fetch nor a create or count bypasses the access helpers and services.
    offenders = []
    for path in sorted(ROOT.glob("*/views*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.objects\.", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_the_view_grep_sees_every_app() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/views*.py")}
    assert {"lyushunkou", "units", "complaints", "inspections"} <= apps
