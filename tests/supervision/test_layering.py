"""supervision sits above units, complaints and inspections: none of them (nor the base app)
names it, so removing it leaves them working (STYLE.md habit 16)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_APPS = ("lyushunkou", "units", "complaints", "inspections")
# An import, or the app named in a string ("supervision.models", "supervision"): the words
# "market supervision" of the domain are fine.
NAMES_IT = re.compile(r"(from|import)\s+supervision\b|[\"']supervision[\"'.:]")


def test_no_lower_app_names_supervision() -> None:
    offenders = []
    for app in LOWER_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not NAMES_IT.search(line):
                    continue
                project = path.stem in ("settings", "urls") or path.stem.startswith("settings_")
                if path.parent.name == "lyushunkou" and project:
                    continue  # the project's list of apps, its periodic jobs and URL includes
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_supervision_imports_nothing_above_it() -> None:
    offenders = []
    for path in sorted((ROOT / "supervision").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(from|import)\s+(scoring|api|areas)\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)
