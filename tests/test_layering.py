"""Layering you can fail on (STYLE habit 17, issue 20 item 1): `make lint` runs import-linter
with the contract in pyproject.toml, and that contract fails on an upward import.

The failing cases run the project's own pyproject.toml and the Makefile's own lint-imports line
against a throwaway tree of packages named like the apps, with one forbidden import each, so the
test breaks if the contract or the lint line loses a floor."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent

# Each app of the throwaway tree imports only what is below it, like the real one.
LAWFUL = {
    "lyushunkou": "",
    "units": "from lyushunkou import models\n",
    "complaints": "from units import models\n",
    "inspections": "from units import models\n",
    "supervision": "from complaints import models\nfrom inspections import models\n",
    "scoring": "from supervision import models\nfrom complaints import models\n",
    "areas": "from scoring import models\n",
    "api": "from areas import models\nfrom lyushunkou import models\n",
}


def lint_imports_command() -> list[str]:
    """The lint-imports line of the Makefile's lint recipe, with $(VENV) resolved."""
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe is not None, "the Makefile has no lint target"
    lines = [line for line in recipe.group(1).splitlines() if "lint-imports" in line]
    assert len(lines) == 1, "make lint runs lint-imports exactly once"
    return shlex.split(lines[0].strip().replace("$(VENV)", str(VENV)))


def run_lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PYTHONPATH": str(cwd), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        lint_imports_command(),
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def app_tree(root: Path, extra: dict[str, str]) -> None:
    """Packages named like the apps, each with a models module, plus ``extra`` modules
    (dotted name → source) and the project's own pyproject.toml."""
    for app, source in LAWFUL.items():
        (root / app).mkdir()
        (root / app / "__init__.py").write_text("")
        (root / app / "models.py").write_text(source)
    for dotted, source in extra.items():
        app, module = dotted.split(".")
        (root / app / f"{module}.py").write_text(source)
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())


def test_the_projects_imports_keep_the_layering_contract() -> None:
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken\.", result.stdout), result.stdout


def test_the_throwaway_tree_without_a_forbidden_import_passes(tmp_path: Path) -> None:
    app_tree(tmp_path, {})
    result = run_lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "source", "named"),
    [
        pytest.param(
            "units.sections",
            "from scoring import models\n",
            "units.sections -> scoring.models",
            id="units-imports-scoring",
        ),
        pytest.param(
            "lyushunkou.importing",
            "def cell():\n    from units import models\n\n    return models\n",
            "lyushunkou.importing -> units.models",
            id="a-lazy-import-inside-a-function",
        ),
        pytest.param(
            "complaints.figures",
            "from inspections import models\n",
            "complaints.figures -> inspections.models",
            id="sibling-complaints-imports-inspections",
        ),
        pytest.param(
            "inspections.figures",
            "from complaints import models\n",
            "inspections.figures -> complaints.models",
            id="sibling-inspections-imports-complaints",
        ),
        pytest.param(
            "supervision.risk",
            "from scoring import models\n",
            "supervision.risk -> scoring.models",
            id="supervision-imports-scoring",
        ),
        pytest.param(
            "scoring.dashboard",
            "from areas import models\n",
            "scoring.dashboard -> areas.models",
            id="scoring-imports-areas",
        ),
        pytest.param(
            "areas.standard",
            "from api import models\n",
            "areas.standard -> api.models",
            id="areas-imports-api",
        ),
    ],
)
def test_make_lint_fails_on_a_forbidden_import_and_names_it(
    tmp_path: Path, module: str, source: str, named: str
) -> None:
    app_tree(tmp_path, {module: source})
    result = run_lint(tmp_path)
    assert result.returncode != 0
    assert named in result.stdout, result.stdout + result.stderr
